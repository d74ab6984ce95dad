"""kinerja survey import|rebuild-rollup|clean-imports: responses in from files, and repairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinerja.accounts import access
from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages
from kinerja.surveys import batches, rollup
from kinerja.surveys.importing import do_import
from kinerja_core.errors import InputError


class Command(BaseCommand):
    help = "Survey data: import responses from CSV/XLSX (idempotent), rebuild the daily rollup."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="check a CSV or XLSX file and store its responses (all or nothing; rows already "
            "imported are skipped)",
        )
        imp.add_argument("file")
        imp.add_argument(
            "--unit", required=True, help="code of the org unit the services belong to"
        )
        imp.add_argument("--dry-run", action="store_true", help="check only, store nothing")
        add_as_argument(imp)
        rebuild = sub.add_parser(
            "rebuild-rollup", help="recompute the daily IKM rollup from the raw responses"
        )
        rebuild.add_argument("--unit", help="only this unit and its subtree")
        sub.add_parser(
            "clean-imports",
            help="delete the rows of imports that were killed or failed before they were "
            "committed (never visible; the next import also does it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["action"].replace("-", "_"))(options)

    def unit(self, code: str) -> OrgUnit:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"no org unit with code {code!r}")
        return unit

    def handle_import(self, options: dict[str, Any]) -> None:
        unit = self.unit(options["unit"])
        user = acting_user(options)
        if user is not None and not access.can(user, access.EDIT_SURVEY, unit):
            raise CommandError(f"{user.username} may not import survey responses for {unit}")
        path = Path(options["file"])
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with stream, tqdm(desc="rows", unit=" rows", disable=None, file=self.stderr) as bar:
            try:
                result = do_import(
                    unit,
                    stream,
                    path.name,
                    dry_run=options["dry_run"],
                    user=user,
                    progress=bar.update,
                    # A command is single-threaded: safe to read the file in a forked process.
                    fork=True,
                )
            except InputError as exc:
                raise CommandError(
                    f"{path}: the file was refused, nothing was stored "
                    f"({len(exc.problems)} problems):\n"
                    + "\n".join(f"  - {p}" for p in coremessages.problem_texts(exc.problems))
                ) from exc
        verb = "would store" if result.dry_run else "stored"
        self.stdout.write(
            f"{path.name}: {result.rows} rows, {verb} {result.inserted} new responses, "
            f"{result.skipped} already imported."
        )

    def handle_rebuild_rollup(self, options: dict[str, Any]) -> None:
        unit = self.unit(options["unit"]) if options["unit"] else None
        rows = rollup.rebuild(unit)
        self.stdout.write(f"rebuilt {rows} daily rows")

    def handle_clean_imports(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"removed {batches.clean_abandoned()} abandoned imports")
