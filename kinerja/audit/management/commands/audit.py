"""kinerja audit verify|export: check the hash chain of the audit log, or write it out."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinerja.audit.chain import HASHED_FIELDS, verify
from kinerja.audit.exports import HEADER, iter_export_rows
from kinerja.audit.models import AuditEntry
from kinerja.web.tables import cell_text, safe_cell, xlsx_bytes


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (exit 1 naming the first broken entry) or export it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="check every entry's hash and link; exit 1 if broken")
        check.add_argument("--json", action="store_true", help="print the result as JSON")
        export = sub.add_parser("export", help="write the audit log to a CSV or XLSX file")
        export.add_argument("-o", "--output", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_verify(self, options: dict[str, Any]) -> None:
        total = AuditEntry.objects.count()
        rows = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(2000)
        progress = tqdm(rows, total=total, unit="entry", disable=total < 5000 or options["json"])
        checked, broken = verify(progress)
        if options["json"]:
            import json

            result = {"checked": checked, "ok": broken is None}
            if broken is not None:
                result.update({"first_broken": broken.seq, "problem": broken.problem})
            self.stdout.write(json.dumps(result))
            if broken is not None:
                sys.exit(1)
            return
        if broken is not None:
            raise CommandError(f"audit chain broken at {broken} ({checked} entries read)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} entries"))

    def handle_export(self, options: dict[str, Any]) -> None:
        path = Path(options["output"])
        suffix = path.suffix.lower()
        if suffix not in {".csv", ".xlsx"}:
            raise CommandError(f"{path}: the file name must end in .csv or .xlsx")
        entries = AuditEntry.objects.all()
        rows = tqdm(iter_export_rows(entries), total=entries.count(), unit="entry", disable=None)
        try:
            if suffix == ".csv":
                with path.open("w", encoding="utf-8-sig", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(HEADER)
                    for row in rows:
                        writer.writerow([cell_text(safe_cell(v)) for v in row])
            else:
                path.write_bytes(xlsx_bytes([("audit", HEADER, rows)]))
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc}") from exc
        self.stdout.write(f"wrote {path}")
