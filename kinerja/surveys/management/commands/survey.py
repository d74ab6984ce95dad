"""kinerja survey import|rebuild-rollup|clean-imports|published|published-decision: responses in
from files, repairs, and the IKM values a unit published before its answers were in Kinerja."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinerja.accounts import access
from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.accounts.models import OrgUnit
from kinerja.surveys import batches, rollup
from kinerja.surveys.actions import do_decide_published_ikm, do_record_published_ikm
from kinerja.surveys.importing import do_import
from kinerja.surveys.models import PublishedIkm
from kinerja_core.errors import CoreError, InputError
from kinerja_core.ikm import METHODS
from kinerja_core.numbers import parse_decimal


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
        pub = sub.add_parser(
            "published",
            help="record (or correct) the IKM a unit published for a year whose answers are not "
            "in Kinerja, with the published document (docs/rules.md#ikm-published-values)",
        )
        pub.add_argument("--unit", required=True, help="code of the org unit")
        pub.add_argument("--year", type=int, required=True)
        pub.add_argument("--value", required=True, help="the IKM as printed, e.g. 74,67")
        pub.add_argument("--grade", required=True, choices=["A", "B", "C", "D"])
        pub.add_argument("--method", required=True, choices=sorted(METHODS))
        pub.add_argument("--title", required=True, help="title of the published document")
        pub.add_argument("--number", default="", help="number of the published document")
        pub.add_argument(
            "--document", help="the published document (PDF, JPEG or PNG); needed for a new year"
        )
        add_as_argument(pub)
        decide = sub.add_parser(
            "published-decision",
            help="decide whether a year's IKM is its answers or its published value, with the "
            "reason (kept in the audit log)",
        )
        decide.add_argument("--unit", required=True, help="code of the org unit")
        decide.add_argument("--year", type=int, required=True)
        decide.add_argument("--use", required=True, choices=["answers", "published"])
        decide.add_argument("--reason", required=True)
        add_as_argument(decide)

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
                    + "\n".join(f"  - {p}" for p in exc.problems)
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

    def handle_published(self, options: dict[str, Any]) -> None:
        unit = self.unit(options["unit"])
        try:
            value = parse_decimal(options["value"])
        except CoreError as exc:
            raise CommandError(f"--value: {exc}") from exc
        with refused_as_error(), document(options["document"]) as evidence:
            row = do_record_published_ikm(
                unit,
                options["year"],
                value=value,
                grade=options["grade"],
                method=options["method"],
                document_title=options["title"],
                document_number=options["number"],
                evidence=evidence,
                user=acting_user(options),
            )
        self.stdout.write(f"{unit.code} {row.year}: published IKM {row.value} ({row.grade}) saved")

    def handle_published_decision(self, options: dict[str, Any]) -> None:
        unit = self.unit(options["unit"])
        row = PublishedIkm.objects.filter(unit=unit, year=options["year"]).first()
        if row is None:
            raise CommandError(f"no published IKM of {options['year']} for {unit.code}")
        with refused_as_error():
            row = do_decide_published_ikm(
                row,
                use_answers=options["use"] == "answers",
                reason=options["reason"],
                user=acting_user(options),
            )
        figure = "the published value" if row.in_force else "the answers"
        self.stdout.write(f"{unit.code} {row.year}: the IKM is now {figure}")


@contextmanager
def refused_as_error() -> Iterator[None]:
    """An action's refusal as the command's error message."""
    try:
        yield
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise CommandError(f"not allowed: {exc}") from exc


@contextmanager
def document(path: str | None) -> Iterator[File[bytes] | None]:
    if path is None:
        yield None
        return
    given = Path(path)
    try:
        stream = given.open("rb")
    except OSError as exc:
        raise CommandError(f"cannot read {given}: {exc}") from exc
    with stream:
        yield File(stream, name=given.name)
