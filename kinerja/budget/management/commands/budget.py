"""kinerja budget import|export: a unit's budget lines of a year in and out as CSV/XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user, add_as_argument, resolve_unit
from kinerja.budget.actions import do_import_lines
from kinerja.budget.exports import HEADER, line_rows
from kinerja.lib import coremessages
from kinerja.lib.commands import NounCommand
from kinerja.lib.language import lang
from kinerja.lib.tables import cell_text, iter_rows, safe_cell, xlsx_bytes
from kinerja_core.errors import InputError
from kinerja_core.numbers import format_decimal


class Command(NounCommand):
    summary = gettext_lazy("Import or export a unit's budget lines (pagu, realisasi) of a year.")

    def add_verbs(self, verbs: Any) -> None:
        load = verbs.add_parser(
            "import",
            help=_(
                "import budget lines from .csv/.xlsx (an SIPD export); refused whole on any problem"
            ),
        )
        load.add_argument("file", help=_("the .csv or .xlsx file"))
        load.add_argument("--unit", required=True, help=_("org unit code"))
        load.add_argument("--year", type=int, required=True, help=_("budget year"))
        load.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check and report what would change; store nothing"),
        )
        load.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "the file is the whole budget of the year: remove the lines it leaves out "
                "(listed; refused when a Rencana Aksi names one)"
            ),
        )
        add_as_argument(load)
        export = verbs.add_parser("export", help=_("write a unit's budget lines to .xlsx or .csv"))
        export.add_argument("-o", "--output", required=True, help=_("FILE.xlsx or FILE.csv"))
        export.add_argument("--unit", required=True, help=_("org unit code"))
        export.add_argument("--year", type=int, required=True, help=_("budget year"))

    def handle_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("no such file: %(file)s") % {"file": path})
        limit = int(settings.KINERJA_BUDGET_FILE_MAX_BYTES)
        if path.stat().st_size > limit:
            raise CommandError(
                _("%(file)s has more than %(limit)s bytes (KINERJA_BUDGET_FILE_MAX_BYTES)")
                % {"file": path, "limit": format_decimal(limit, 0, lang())}
            )
        unit = resolve_unit(options["unit"])
        try:
            with path.open("rb") as stream:
                report = do_import_lines(
                    acting_user(options),
                    unit,
                    options["year"],
                    iter_rows(stream, path.name),
                    dry_run=options["dry_run"],
                    replace=options["replace"],
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except InputError as exc:
            raise CommandError(
                _("%(file)s was refused; nothing was stored:") % {"file": path}
                + "\n"
                + "\n".join(f"  - {p}" for p in coremessages.problem_texts(exc.problems))
            ) from exc
        where = {
            "unit": unit.code,
            "year": options["year"],
            "rows": report.rows,
            "summary": report.summary(),
        }
        if report.dry_run:
            self.stdout.write(
                _(
                    "Dry run, nothing stored. %(unit)s %(year)s, %(rows)d lines, would be: %(summary)s"
                )
                % where
            )
        else:
            self.stdout.write(_("%(unit)s %(year)s, %(rows)d lines: %(summary)s") % where)
        for code, name in report.removed:
            line = {"code": code, "name": name}
            if report.dry_run:
                self.stdout.write("  " + _("would remove: %(code)s %(name)s") % line)
            else:
                self.stdout.write("  " + _("removed: %(code)s %(name)s") % line)

    def handle_export(self, options: dict[str, Any]) -> None:
        path = Path(options["output"])
        unit = resolve_unit(options["unit"])
        rows = line_rows(unit, options["year"])
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            content = xlsx_bytes([("anggaran", HEADER, rows)])
        elif suffix == ".csv":
            text = io.StringIO(newline="")
            writer = csv.writer(text)
            writer.writerow(HEADER)
            writer.writerows([cell_text(safe_cell(v)) for v in row] for row in rows)
            content = text.getvalue().encode("utf-8-sig")
        else:
            raise CommandError(_("the output must end in .xlsx or .csv"))
        self.save(path, content)
