"""kinerja backup create|restore FILE: a consistent copy of the database and media files, made
while Kinerja runs, and put back into a fresh installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from kinerja.lib.commands import NounCommand
from kinerja.ops.backup import BackupError, do_backup, do_restore


class Command(NounCommand):
    summary = gettext_lazy(
        "Back up the database and media files (safe while Kinerja runs), or restore a backup."
    )
    legacy_verb = "create"  # the release before: kinerja backup FILE

    def add_verbs(self, verbs: Any) -> None:
        create = verbs.add_parser(
            "create",
            help=_("back up the database and media files into one .tar.gz (safe while running)"),
        )
        create.add_argument("file", help=_("archive to write, e.g. kinerja-2025-01-31.tar.gz"))
        restore = verbs.add_parser(
            "restore",
            help=_(
                "restore a backup archive into the configured (fresh) database and the media folder"
            ),
        )
        restore.add_argument("file", help=_("archive written by kinerja backup create"))
        restore.add_argument(
            "--force",
            action="store_true",
            help=_("replace a database that already holds accounts (everything in it is lost)"),
        )

    def handle_create(self, options: dict[str, Any]) -> None:
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

    def handle_restore(self, options: dict[str, Any]) -> None:
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
