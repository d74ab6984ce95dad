"""kinerja registry import|export: the community registry in and out as CSV/XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user, add_as_argument, resolve_unit
from kinerja.community.exports import export_bytes
from kinerja.community.importers import IMPORTERS, do_import, file_source
from kinerja.lib import coremessages
from kinerja.lib.commands import NounCommand
from kinerja_core.errors import InputError

# What an import's summary line calls the rows of each kind.
KIND_WORDS = {"groups": gettext_lazy("Groups"), "activities": gettext_lazy("Activities")}


class Command(NounCommand):
    summary = gettext_lazy(
        "Import or export the community registry (groups, institutions, activities)."
    )

    def add_verbs(self, verbs: Any) -> None:
        load = verbs.add_parser(
            "import",
            help=_("import groups or activities from .csv/.xlsx; refused whole on any problem"),
        )
        load.add_argument("file", help=_("the .csv or .xlsx file"))
        load.add_argument(
            "--kind",
            choices=sorted(IMPORTERS),
            help=_("what the file holds (default: told by its columns)"),
        )
        load.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check and report what would change; store nothing"),
        )
        add_as_argument(load)
        export = verbs.add_parser(
            "export", help=_("write the registry to .xlsx (both sheets) or .csv")
        )
        export.add_argument("-o", "--output", required=True, help=_("FILE.xlsx or FILE.csv"))
        export.add_argument(
            "--kind",
            choices=sorted(IMPORTERS),
            default="groups",
            help=_("for .csv: which table to write (default groups)"),
        )
        export.add_argument("--unit", help=_("org unit code to export (default: every unit)"))

    def handle_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("no such file: %(file)s") % {"file": path})

        def progress(rows: Any, label: str) -> Any:
            return self.progress_bar(rows, desc=label, unit=" rows")

        try:
            report = do_import(
                file_source(path),
                options["kind"],
                user=acting_user(options),
                dry_run=options["dry_run"],
                progress=progress,
            )
        except InputError as exc:
            raise CommandError(
                _("%(file)s was refused; nothing was stored:") % {"file": path}
                + "\n"
                + "\n".join(f"  - {p}" for p in coremessages.problem_texts(exc.problems))
            ) from exc
        where = {"kind": KIND_WORDS.get(report.kind, report.kind), "rows": report.rows}
        if report.dry_run:
            line = _("Dry run, nothing stored. %(kind)s, %(rows)d rows, would be: %(summary)s")
        else:
            line = _("%(kind)s, %(rows)d rows: %(summary)s")
        self.stdout.write(line % {**where, "summary": report.summary()})

    def handle_export(self, options: dict[str, Any]) -> None:
        path = Path(options["output"])
        unit = resolve_unit(options["unit"]) if options["unit"] else None
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError(_("the output must end in .xlsx or .csv"))
        self.save(path, export_bytes(suffix[1:], options["kind"], unit.subtree() if unit else None))
