"""kinerja iku: the IKU table of a year from the stored results (terminal or JSON)."""

from __future__ import annotations

import json
import shutil
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kinerja.results.commandline import add_plan_year, resolve_plan, resolve_year
from kinerja.results.queries import iku_cells, iku_json
from kinerja_core.numbers import format_decimal


def shown(value: Any, decimals: int, suffix: str) -> str:
    return "–" if value is None else format_decimal(value, decimals) + suffix


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class Command(BaseCommand):
    help = (
        "Print the IKU table of a year: target, realisation, achievement and status per indicator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_plan_year(parser, "the year (default: the latest year with results)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = resolve_plan(options["plan"])
        year = resolve_year(plan, options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(iku_json(plan, year), ensure_ascii=False, indent=2))
            return
        cells = iku_cells(plan, year)
        header = [
            _("Code"),
            _("Indicator"),
            _("Target"),
            _("Realisation"),
            _("Achievement"),
            _("Status"),
        ]
        rows = [
            [
                c.indicator.code + (" *" if c.indicator.iku else ""),
                c.indicator.name,
                c.target_text(),
                shown(c.realisation, c.decimals, c.indicator.unit_suffix)
                + (f" ({_('published value')})" if c.published else ""),
                shown(c.achievement, 2, "%"),
                c.status_label if c.computable else f"{c.status_label}: {c.reason}",
            ]
            for c in cells
        ]
        fixed = sum(max(len(str(r[i])) for r in [header, *rows]) + 2 for i in (0, 2, 3, 4))
        width = shutil.get_terminal_size((120, 20)).columns
        name_width = max(24, min(60, width - fixed - 24))
        for r in rows:
            r[1] = clip(r[1], name_width)
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        title = f"{plan.title} · {plan.unit.name} · {year}"
        self.stdout.write(title)
        self.stdout.write("=" * min(len(title), width))
        right = {2, 3, 4}
        for n, r in enumerate([header, *rows]):
            cells_text = [
                (str(v).rjust(widths[i]) if i in right else str(v).ljust(widths[i]))
                for i, v in enumerate(r)
            ]
            self.stdout.write("  ".join(cells_text).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(_("* key performance indicator (IKU)"))
