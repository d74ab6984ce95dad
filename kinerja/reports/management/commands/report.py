"""kinerja report KIND --format FMT -o FILE: write a document (IKU, PK, capaian, SKM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.reports.registry import RENDERERS, UnknownReport, filename, render
from kinerja.results.commandline import add_plan_year, resolve_plan, resolve_year


class Command(BaseCommand):
    help = (
        "Write a document from the plan and the stored results: "
        + "; ".join(f"{kind} ({', '.join(formats)})" for kind, formats in RENDERERS.items())
        + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="iku, pk, capaian or skm")
        parser.add_argument("--format", "-f", dest="fmt", default="pdf", help="pdf, docx or xlsx")
        parser.add_argument("-o", "--output", help="file to write (default: KIND-PLAN-YEAR.FMT)")
        add_plan_year(parser, "the report year (default: the latest year with results)")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = resolve_plan(options["plan"])
        year = resolve_year(plan, options["year"])
        kind, fmt = options["kind"], options["fmt"]
        try:
            content = render(kind, fmt, plan, year)
        except UnknownReport as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["output"] or filename(kind, fmt, plan, year))
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc}") from exc
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")
