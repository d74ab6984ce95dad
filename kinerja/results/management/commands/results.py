"""kinerja results recompute|iku|series: compute and store every indicator of a plan (idempotent),
print the IKU table of a year from the stored results, and one indicator's series across the
plans of a chain (terminal or JSON)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.lib.commands import NounCommand
from kinerja.plan.commandline import resolve_plan
from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute
from kinerja.results.commandline import add_plan_year, resolve_year
from kinerja.results.queries import iku_cells, iku_json
from kinerja.results.recompute_lock import RecomputeBusy
from kinerja.results.series import series
from kinerja_core.numbers import format_decimal


def shown(value: Any, decimals: int, suffix: str) -> str:
    return "–" if value is None else format_decimal(value, decimals) + suffix


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class Command(NounCommand):
    summary = gettext_lazy(
        "Results: compute and store every indicator of a plan; print the IKU table of a year."
    )

    def add_verbs(self, verbs: Any) -> None:
        recompute = verbs.add_parser(
            "recompute",
            help=_(
                "compute every indicator of a plan for each year and quarter and each unit, and "
                "store what changed (locked years: differences are recorded as pending, not "
                "stored)"
            ),
        )
        add_plan_year(
            recompute, _("only this year (default: every year of the plan and its baseline)")
        )
        recompute.add_argument(
            "--all", action="store_true", help=_("every plan loaded (ignores --plan)")
        )
        iku = verbs.add_parser(
            "iku",
            help=_(
                "print the IKU table of a year: target, realisation, achievement and status per "
                "indicator"
            ),
        )
        add_plan_year(iku, _("the year (default: the latest year with results)"))
        iku.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
        series = verbs.add_parser(
            "series",
            help=_(
                "print one indicator's yearly series across the plans a plan continues, oldest "
                "first, with a break where the definition changed"
            ),
        )
        series.add_argument("plan", help=_("the plan's code (the newest plan of the chain)"))
        series.add_argument("indicator", help=_("the indicator's code in that plan"))
        series.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))

    def handle_recompute(self, options: dict[str, Any]) -> None:
        plans = (
            list(Plan.objects.select_related("unit"))
            if options["all"]
            else [resolve_plan(options["plan"])]
        )
        for plan in plans:
            years = None
            if options["year"] is not None:
                years = [resolve_year(plan, options["year"])]

            def progress(items: Iterable[Any], total: int, code: str = plan.code) -> Iterable[Any]:
                return self.progress_bar(items, total=total, desc=code, unit="period")

            try:
                summary = do_recompute(plan, years, progress)
            except RecomputeBusy as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(str(summary))

    def handle_series(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
        found = series(plan, options["indicator"])
        if found is None:
            codes = ", ".join(plan.indicators.values_list("code", flat=True))
            raise CommandError(
                f"plan {plan.code} has no indicator {options['indicator']!r} (known: {codes})"
            )
        if options["json"]:
            self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
            return
        ind = found.indicator
        self.stdout.write(f"{ind.code} {ind.name} · {plan.unit.name}")
        header = [_("Year"), _("Plan"), _("Code"), _("Target"), _("Realisation"), _("Achievement")]
        rows = [
            [
                str(p.year) + (" ‖" if p.broken else ""),
                p.plan.code,
                p.cell.indicator.code,
                p.cell.target_text(),
                shown(p.realisation, p.cell.decimals, p.cell.indicator.unit_suffix),
                shown(p.cell.achievement, 2, "%"),
            ]
            for p in found.points
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for r in [header, *rows]:
            self.stdout.write("  ".join(v.ljust(widths[i]) for i, v in enumerate(r)).rstrip())
        for note in found.footnotes():
            self.stdout.write(f"‖ {note}")

    def handle_iku(self, options: dict[str, Any]) -> None:
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
