"""The dashboard's data: IKU cards with trend charts, and the comparison of units.

Built from stored results in a fixed number of queries (indicators, targets, units, results,
stale marks), whatever the number of indicators, years and units: every trend chart is the
indicator's series (series.py), read from the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.charts import trend_chart
from kinerja.lib.models import StaleMark
from kinerja.plan.chain import definition_history
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.versions import indicators_of
from kinerja_core.achievement import Band

from .actions import plan_years
from .models import Result
from .quarterly import quarter_rows
from .queries import CONTRIBUTION_COLOUR, Cell, ResultIndex, bands_of, year_target
from .series import Series, plan_series

REALISATION_COLOUR = "#0b5394"
TARGET_COLOUR = "#c2410c"


@dataclass
class Card:
    cell: Cell
    chart: str
    # Where the series across plans changed definition: one sentence per break, under the chart.
    footnotes: list[str] = field(default_factory=list)
    # A write since the last recompute waits for the background worker (docs/rules.md#live-results).
    stale: bool = False

    @cached_property
    def updated(self) -> str:
        """When the shown value was stored, in local time: "14.05" today, else with the date
        (the page asks twice: formatted once)."""
        result = self.cell.result
        return "" if result is None or not result.computed_at else updated_text(result.computed_at)

    @property
    def state(self) -> str:
        """What the card's figures were built from: its script rewrites them when this changes."""
        result = self.cell.result
        when = None if result is None else result.computed_at
        stored = "" if result is None or when is None else f"{result.pk}@{when.isoformat()}"
        return f"{'stale' if self.stale else 'fresh'}:{stored}"


def updated_text(moment: datetime, now: datetime | None = None) -> str:
    local = timezone.localtime(moment)
    today = timezone.localdate(now or timezone.now())
    # Indonesian times use a dot (14.05); another day adds the date (5 Desember 2026 14.05).
    pattern = "H.i" if local.date() == today else "j F Y H.i"
    return dateformat.format(local, pattern)


def stale_units(plan: Plan, units: list[OrgUnit], year: int) -> set[int]:
    """Of ``units``, those whose results in ``year`` wait for a recompute: a unit is stale when
    it or a unit under it is marked."""
    marked = list(
        StaleMark.objects.filter(plan=plan, year=year).values_list("unit__path", flat=True)
    )
    return {u.pk for u in units if any(path.startswith(u.path) for path in marked)}


@dataclass
class UnitRow:
    unit: OrgUnit
    depth: int
    cells: list[Cell]


def target_lines(cells: dict[int, Cell]) -> list[tuple[str, dict[int, Decimal | None]]]:
    """The target line(s) of the cells by year: one for a plain target, two (lower, upper) for
    range targets."""
    ranges = {y: c.target_range for y, c in cells.items()}
    if any(r is not None for r in ranges.values()):
        return [
            (_("Target (lower bound)"), {y: r[0] if r else None for y, r in ranges.items()}),
            (_("Target (upper bound)"), {y: r[1] if r else None for y, r in ranges.items()}),
        ]
    return [(_("Target"), {y: c.target_value for y, c in cells.items()})]


def series_chart(found: Series, own_targets: bool) -> str:
    """The trend of a series: the baseline year, every year of the plans up to the newest's last
    (future years with their targets), cut and marked where the definition changed; the target
    line(s) when the targets are the unit's own."""
    indicator = found.indicator
    cells = {p.year: p.cell for p in found.drawn}
    series = [
        (_("Realisation"), {y: c.realisation for y, c in cells.items()}, REALISATION_COLOUR, False)
    ]
    if own_targets:
        series += [(name, points, TARGET_COLOUR, True) for name, points in target_lines(cells)]
    return trend_chart(
        list(cells),
        series,
        title=f"{indicator.code} {indicator.name}",
        unit=indicator.unit_suffix,
        decimals=indicator.decimals,
        breaks=found.breaks,
        break_label=_("new definition"),
    )


def has_own_targets(plan: Plan, unit: OrgUnit) -> bool:
    """A plan's targets are its unit's (a plan file sets one per indicator and year); the units
    below it have none of their own: their values are contributions to the plan unit's."""
    return unit.pk == plan.unit_id


def shown_indicators(indicators: list[Indicator]) -> list[Indicator]:
    """The dashboard's cards: of the indicators in force, the IKU (all of them if none)."""
    return [ind for ind in indicators if ind.iku] or indicators


def cell_maker(
    plan: Plan, year: int, index: ResultIndex, indicators: list[Indicator], bands: dict[str, Band]
) -> Callable[[Indicator, OrgUnit], Cell]:
    """Builds the cell of an indicator for a unit in ``year`` from ``index``."""
    targets = {ind.pk: year_target(ind, year) for ind in indicators}

    def cell(ind: Indicator, where: OrgUnit) -> Cell:
        return Cell(
            ind,
            index.get(ind, where, str(year)),
            bands,
            targets[ind.pk],
            contribution=where.pk != plan.unit_id,  # has_own_targets, asked for every cell
        )

    return cell


def live_cards(plan: Plan, unit: OrgUnit, year: int) -> list[Card]:
    """The dashboard's cards of ``unit`` without their charts, from the year's rows only: what
    the page's poll reads while results are being recomputed (docs/rules.md#live-results)."""
    shown = shown_indicators(indicators_of(plan, year))
    index = ResultIndex.of_cells(
        Result.objects.filter(plan=plan, period_kind="year", unit=unit, year=year)
    )
    cell = cell_maker(plan, year, index, shown, bands_of(plan))
    updating = unit.pk in stale_units(plan, [unit], year)
    return [Card(cell(ind, unit), chart="", stale=updating) for ind in shown]


def dashboard_data(plan: Plan, unit: OrgUnit, year: int, current: int) -> dict[str, Any]:
    """The dashboard of ``unit`` in ``year``; ``current``: the plan's current year
    (``current_year``), whose quarter rows of the plan's unit the page's early warnings read
    (``current_quarters``). A fixed number of queries: definitions, targets, sub-units, results
    and stale marks."""
    history = definition_history(plan)
    indicators = [ind for ind in history if ind.in_force(year)]
    subunits = list(unit.subtree().exclude(pk=unit.pk).order_by("path"))
    years = plan_years(plan)
    # In one query and only the fields a cell shows (not the inputs: a JSON document per row):
    # the unit's year rows of every year (its trend charts), the sub-units' rows of the chosen
    # year, and the plan unit's year and quarters of the current year (the early warnings).
    index = ResultIndex.of_cells(
        Result.objects.filter(
            Q(plan=plan, period_kind="year", unit=unit)
            | Q(plan=plan, period_kind="year", year=year, unit__in=[u.pk for u in subunits])
            | Q(plan=plan, period_kind__in=["year", "quarter"], year=current, unit=plan.unit_id)
        ),
        stamped=Q(unit=unit, year=year),
    )
    bands = bands_of(plan)
    shown = shown_indicators(indicators)
    cell = cell_maker(plan, year, index, indicators, bands)
    own = has_own_targets(plan, unit)
    # Each trend is the indicator's series (the one `kinerja results series` prints) from the
    # baseline to the plan's last year, later years than this one with their targets only: in a
    # plan that continues another or that a revision changed, each year from the plan and
    # definition in force then, cut where it changed.
    trends = plan_series(
        plan,
        unit,
        timezone.localdate().year,
        codes=[ind.code for ind in shown],
        read=(history, index),
        outlook=years[-1],
    )
    updating = unit.pk in stale_units(plan, [unit], year)

    def card(ind: Indicator) -> Card:
        found = trends[ind.code]
        return Card(cell(ind, unit), series_chart(found, own), found.footnotes(), updating)

    cards = [card(ind) for ind in shown]
    base_depth = unit.path.count("/")
    comparison = [
        UnitRow(u, u.path.count("/") - base_depth - 1, [cell(ind, u) for ind in shown])
        for u in [unit, *subunits]
    ]
    return {
        "indicators": shown,
        "cards": cards,
        "comparison": comparison if subunits else [],
        "years": years,
        "bands": list(bands.values()),
        "contribution_colour": CONTRIBUTION_COLOUR,
        "updating": updating,
        "current_quarters": (
            current,
            quarter_rows(
                plan, plan.unit, current, [i for i in history if i.in_force(current)], index
            ),
        ),
    }
