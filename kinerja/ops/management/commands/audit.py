"""kinerja audit verify|anchor|export: check the keyed hash chain of the audit log against its
anchor (and a backup's manifest), re-anchor it, or write it out."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from kinerja.audit.anchor import Anchor, AnchorError, anchor_path, read_anchor
from kinerja.audit.chain import HASHED_FIELDS, Break, check_anchor, verify, write_anchor_now
from kinerja.audit.exports import HEADER, iter_export_rows
from kinerja.audit.models import AuditEntry
from kinerja.lib.commands import NounCommand
from kinerja.lib.tables import cell_text, safe_cell, xlsx_bytes
from kinerja.ops.backup import BackupError, manifest_of


class Command(NounCommand):
    summary = gettext_lazy(
        "Verify the audit log's hash chain (exit 1 naming the first broken entry) or export it."
    )

    def add_verbs(self, verbs: Any) -> None:
        check = verbs.add_parser(
            "verify", help=_("check every entry's hash and link; exit 1 if broken")
        )
        check.add_argument("--json", action="store_true", help=_("print the result as JSON"))
        check.add_argument(
            "--manifest",
            metavar="PATH",
            help=_(
                "also check the count and last hash a backup recorded (its .tar.gz or "
                "manifest.json)"
            ),
        )
        verbs.add_parser(
            "anchor",
            help=_(
                "verify the chain, then write its count and last hash to the anchor file (after "
                "a database was restored by other means than `kinerja backup restore`)"
            ),
        )
        export = verbs.add_parser("export", help=_("write the audit log to a CSV or XLSX file"))
        export.add_argument("-o", "--output", required=True, help=_("FILE.csv or FILE.xlsx"))

    def handle_verify(self, options: dict[str, Any]) -> None:
        total = AuditEntry.objects.count()
        rows = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(2000)
        progress = tqdm(rows, total=total, unit="entry", disable=total < 5000 or options["json"])
        checked, broken = verify(progress)
        anchored, against_marks = self.check_marks(options["manifest"])
        if against_marks is not None and (broken is None or against_marks.cut):
            broken = against_marks
        if options["json"]:
            import json

            result: dict[str, Any] = {"checked": checked, "ok": broken is None}
            if broken is None:
                result["anchored"] = anchored
            else:
                result.update({"first_broken": broken.seq, "problem": broken.problem})
            self.stdout.write(json.dumps(result))
            if broken is not None:
                sys.exit(1)
            return
        if broken is not None:
            raise CommandError(f"audit chain broken at {broken} ({checked} entries read)")
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain intact: {checked} entries, keyed; "
                f"the anchor's {anchored} entries are in place"
            )
        )

    def check_marks(self, manifest: str | None) -> tuple[int, Break | None]:
        """The anchor file (and a backup's manifest): (entries they vouch for, first problem)."""
        try:
            mark = read_anchor()
        except AnchorError as exc:
            return 0, Break(None, str(exc))
        broken = check_anchor(mark, f"the anchor file {anchor_path()}")
        if broken is None and manifest:
            try:
                recorded = manifest_of(Path(manifest)).get("audit")
                source = f"the backup manifest {manifest}"
                broken = check_anchor(Anchor.from_dict(recorded, source), source)
            except (BackupError, AnchorError) as exc:
                broken = Break(None, str(exc))
        return (mark.count if mark is not None else 0), broken

    def handle_anchor(self, options: dict[str, Any]) -> None:
        checked, broken = verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at {broken}: not anchoring it")
        mark = write_anchor_now(force=True)
        count = mark.count if mark is not None else 0
        self.stdout.write(f"anchored {count} entries in {anchor_path()}")

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
