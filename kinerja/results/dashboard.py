"""The dashboard's data: IKU cards with trend charts, and the comparison of units.

Built from stored results in a fixed number of queries (indicators, targets, units, results),
whatever the number of indicators, years and units.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.charts import trend_chart
from kinerja.lib.models import StaleMark
from kinerja.plan.models import Indicator, Plan
from kinerja_core.achievement import Band

from .actions import plan_years
from .models import Result
from .queries import (
    CONTRIBUTION_COLOUR,
    Cell,
    ResultIndex,
    bands_of,
    indicators_of,
    year_target,
)
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

    @property
    def updated(self) -> str:
        """When the shown value was stored, in local time: "14.05" today, else with the date."""
        result = self.cell.result
        return "" if result is None else updated_text(result.computed_at)

    @property
    def state(self) -> str:
        """What the card's figures were built from: its script rewrites them when this changes."""
        result = self.cell.result
        stored = "" if result is None else f"{result.pk}@{result.computed_at.isoformat()}"
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


def target_series(indicator: Indicator, years: list[int]) -> list[tuple[str, dict[int, Any]]]:
    """The target line(s): one for a plain target, two (lower, upper) for range targets."""
    targets = {y: year_target(indicator, y) for y in years}
    if any(t is not None and t.is_range for t in targets.values()):
        return [
            (_("Target (lower bound)"), {y: t.low if t else None for y, t in targets.items()}),
            (_("Target (upper bound)"), {y: t.high if t else None for y, t in targets.items()}),
        ]
    return [(_("Target"), {y: t.value if t else None for y, t in targets.items()})]


def chart_for(
    indicator: Indicator,
    index: ResultIndex,
    unit: OrgUnit,
    years: list[int],
    own_targets: bool = True,
) -> str:
    """The unit's realisation over the years, with the target line(s) if the targets are its own."""
    realisation: dict[int, Decimal | None] = {}
    for year in years:
        row = index.get(indicator, unit, str(year))
        realisation[year] = None if row is None else row.realisation
    series = [(_("Realisation"), realisation, REALISATION_COLOUR, False)]
    if own_targets:
        series += [
            (name, points, TARGET_COLOUR, True) for name, points in target_series(indicator, years)
        ]
    return trend_chart(
        years,
        series,
        title=f"{indicator.code} {indicator.name}",
        unit=indicator.unit_suffix,
        decimals=indicator.decimals,
    )


def series_chart(found: Series, own_targets: bool) -> str:
    """The trend of a series across the plans of a chain, cut and marked where it breaks."""
    indicator = found.indicator
    realisation = {p.year: p.realisation for p in found.points}
    series = [(_("Realisation"), realisation, REALISATION_COLOUR, False)]
    if own_targets:
        targets = {p.year: p.target for p in found.points}
        series.append((_("Target"), targets, TARGET_COLOUR, True))
    return trend_chart(
        found.years,
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


def shown_indicators(plan: Plan, year: int) -> list[Indicator]:
    """The dashboard's cards: the plan's IKU in force in ``year`` (all its indicators if none)."""
    indicators = indicators_of(plan, year)
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
            contribution=not has_own_targets(plan, where),
        )

    return cell


def live_cards(plan: Plan, unit: OrgUnit, year: int) -> list[Card]:
    """The dashboard's cards of ``unit`` without their charts, from the year's rows only: what
    the page's poll reads while results are being recomputed (docs/rules.md#live-results)."""
    shown = shown_indicators(plan, year)
    index = ResultIndex.of_cells(
        Result.objects.filter(plan=plan, period_kind="year", unit=unit, year=year)
    )
    cell = cell_maker(plan, year, index, shown, bands_of(plan))
    updating = unit.pk in stale_units(plan, [unit], year)
    return [Card(cell(ind, unit), chart="", stale=updating) for ind in shown]


def dashboard_data(plan: Plan, unit: OrgUnit, year: int) -> dict[str, Any]:
    shown = shown_indicators(plan, year)
    subunits = list(unit.subtree().exclude(pk=unit.pk).order_by("path"))
    years = plan_years(plan)
    # The unit's own year rows (its trend charts) and the sub-units' rows of the chosen year only,
    # in one query and only the fields a cell shows (not the inputs: a JSON document per row).
    index = ResultIndex.of_cells(
        Result.objects.filter(plan=plan, period_kind="year").filter(
            Q(unit=unit) | Q(unit__in=[u.pk for u in subunits], year=year)
        )
    )
    bands = bands_of(plan)
    cell = cell_maker(plan, year, index, shown, bands)
    own = has_own_targets(plan, unit)
    # A plan that continues another, or one a revision gave a second definition of an indicator,
    # draws each trend as its series (the same one `kinerja results series` prints): each year
    # from the plan and definition in force then, cut where it changed. A plan of its own never
    # revised, over its own years and baseline.
    revised = Indicator.objects.filter(plan=plan, valid_until__isnull=False).exists()
    chained = plan_series(plan, unit) if plan.continues or revised else {}

    def card(ind: Indicator) -> Card:
        found = chained.get(ind.code)
        if found is None:
            return Card(cell(ind, unit), chart_for(ind, index, unit, years, own), stale=updating)
        return Card(cell(ind, unit), series_chart(found, own), found.footnotes(), updating)

    updating = unit.pk in stale_units(plan, [unit], year)

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
    }
