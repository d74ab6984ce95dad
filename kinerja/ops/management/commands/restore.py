"""kinerja restore FILE: put a backup made by ``kinerja backup`` back into this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.ops.backup import BackupError, do_restore


class Command(BaseCommand):
    help = "Restore a backup archive into the configured (fresh) database and the media folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive written by kinerja backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds accounts (everything in it is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = do_restore(Path(options["file"]), force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {manifest['created_at']} "
                f"({manifest['media_files']} media files)"
            )
        )
        if manifest["previous_media"]:
            self.stdout.write(
                f"the media folder before the restore is kept at {manifest['previous_media']}"
            )
        self.stdout.write(
            "Run `kinerja migrate` if this version of Kinerja is newer than the backup."
        )
