"""kinerja backup FILE: a consistent copy of the database and media files, while running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinerja.ops.backup import BackupError, do_backup


class Command(BaseCommand):
    help = "Back up the database and media files into one .tar.gz (safe while Kinerja runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive to write, e.g. kinerja-2025-01-31.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            manifest = do_backup(
                path, lambda items, total: tqdm(items, total=total, unit="file", disable=None)
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed, nothing written: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"wrote {path}: {manifest['engine']} database and {manifest['media_files']} media files"
            )
        )
        vanished = manifest["vanished_media_files"]
        if vanished:
            # Deleted while the backup ran: not an error, but the archive does not hold them.
            self.stdout.write(
                self.style.WARNING(
                    f"{len(vanished)} media files were deleted while the backup ran and are not "
                    f"in it (listed in its manifest.json): {', '.join(vanished[:10])}"
                    + (" …" if len(vanished) > 10 else "")
                )
            )
