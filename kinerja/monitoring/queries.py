"""Reading quarterly monitoring: each indicator's quarter targets, realisations, achievements
and narratives, the "belum lapor" lists and the early warnings.

The realisations are the stored quarterly results (``results.quarterly``); nothing computes an
indicator here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.budget.models import BudgetLine
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.versions import indicators_of
from kinerja.results.default_year import current_year
from kinerja.results.quarterly import Forecast, PageReads, QuarterRow, quarterly_data
from kinerja.results.queries import bands_of
from kinerja_core.achievement import Band, achievement, classify

from . import budgetlinks, rules
from .models import QuarterNarrative, QuarterReport, QuarterTargets, RenaksiAction, TargetMode


@dataclass
class QuarterCell:
    quarter: int
    target: Decimal | None
    realisation: Decimal | None  # what the target is compared with (rules.quarter_realisation)
    achievement: Decimal | None
    band: Band | None
    lagging: bool


@dataclass(frozen=True)
class LinkedAction:
    """A Renaksi action and the budget line its code names in the unit's budget of the year
    (None: no code, or no such line; budgetlinks.py)."""

    action: RenaksiAction
    line: BudgetLine | None


@dataclass
class IndicatorQuarters:
    indicator: Indicator
    mode: str
    quarters: list[QuarterCell]
    forecast: Forecast | None
    actions: list[LinkedAction] = field(default_factory=list)


def quarter_rows(plan: Plan, unit: OrgUnit, year: int) -> list[IndicatorQuarters]:
    """Every indicator of the plan with its four quarters against the Renaksi's targets."""
    data = quarterly_data(plan, unit, year)
    bands = bands_of(plan)
    band_list = list(bands.values())
    targets = {
        t.indicator_id: t
        for t in QuarterTargets.objects.filter(
            renaksi__plan=plan, renaksi__unit=unit, renaksi__year=year
        )
    }
    stored = list(
        RenaksiAction.objects.filter(
            renaksi__plan=plan, renaksi__unit=unit, renaksi__year=year
        ).order_by("pk")
    )
    lines = budgetlinks.lines_of(unit, year, (a.budget_code for a in stored))
    actions: dict[int, list[LinkedAction]] = {}
    for a in stored:
        actions.setdefault(a.indicator_id, []).append(LinkedAction(a, lines.get(a.budget_code)))
    rows = []
    for row in data["rows"]:
        ind: Indicator = row.indicator
        qt = targets.get(ind.pk)
        mode = qt.mode if qt else TargetMode.CUMULATIVE
        ytd = [c.realisation for c in row.quarters]
        cells = []
        # Without Renaksi targets, the plan file's own quarter targets (cumulative) stand.
        in_plan = {t.quarter: t.value for t in ind.targets.all() if t.year == year and t.quarter}
        for q in range(1, 5):
            target = in_plan.get(q) if qt is None else Decimal(str(qt.values()[q - 1]))
            value = rules.quarter_realisation(ytd, q, mode, ind)
            rated = achievement(target, value, ind.rated_polarity, ind.cap)
            ach = rated if isinstance(rated, Decimal) else None
            band = classify(rated, band_list) if ach is not None else None
            cells.append(QuarterCell(q, target, value, ach, band, rules.lagging(ach, bands)))
        rows.append(IndicatorQuarters(ind, mode, cells, row.forecast, actions.get(ind.pk, [])))
    return rows


def narratives_of(report: QuarterReport | None) -> dict[int, QuarterNarrative]:
    if report is None or report.pk is None:
        return {}
    return {n.indicator_id: n for n in report.narratives.all()}


POSITION_SEPARATOR = re.compile(r"\s*[,;]\s*")


def positions_of(indicator: Indicator) -> list[str]:
    """The positions an indicator names as responsible ("Kasi A, Kasi B" names two; "dan" belongs to a name such as "Kasi Keamanan dan Ketertiban")."""
    return [p for p in POSITION_SEPARATOR.split(indicator.responsible.strip()) if p]


@dataclass
class PositionStatus:
    position: str
    indicators: list[Indicator]
    missing: list[Indicator]


def positions_status(plan: Plan, unit: OrgUnit, year: int, quarter: int) -> list[PositionStatus]:
    """Per responsible position, its indicators and those without a quarterly entry yet."""
    report = QuarterReport.objects.filter(plan=plan, unit=unit, year=year, quarter=quarter).first()
    written = set(narratives_of(report))
    by_position: dict[str, list[Indicator]] = {}
    for ind in indicators_of(plan, year):
        for position in positions_of(ind):
            by_position.setdefault(position, []).append(ind)
    return [
        PositionStatus(p, inds, [i for i in inds if i.pk not in written])
        for p, inds in sorted(by_position.items())
    ]


@dataclass
class UnitStatus:
    unit: OrgUnit
    report: QuarterReport | None

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.status in (
            QuarterReport.State.SUBMITTED,
            QuarterReport.State.APPROVED,
        )


def kelurahan_status(plan: Plan, year: int, quarter: int) -> list[UnitStatus]:
    """Every kelurahan under the plan's unit and its report of the quarter, if submitted."""
    units = OrgUnit.objects.filter(
        path__startswith=plan.unit.path, level=OrgUnit.Level.KELURAHAN
    ).order_by("name")
    reports = {
        r.unit_id: r
        for r in QuarterReport.objects.filter(plan=plan, year=year, quarter=quarter, unit__in=units)
    }
    return [UnitStatus(u, reports.get(u.pk)) for u in units]


def early_warnings(plans: list[Plan], year: int) -> list[tuple[Plan, Indicator, Forecast]]:
    """The indicators of the plans' own units whose year target is out of reach."""
    found = []
    for plan in plans:
        rows = quarterly_data(plan, plan.unit, year)["rows"]
        found += [(plan, row.indicator, f) for row, f in out_of_reach(rows)]
    return found


def out_of_reach(rows: list[QuarterRow]) -> list[tuple[QuarterRow, Forecast]]:
    return [(r, r.forecast) for r in rows if r.forecast is not None and r.forecast.out_of_reach]


@dataclass
class Warning:
    plan: Plan
    year: int
    indicator: Indicator
    forecast: Forecast


def warnings_for(user: access.UserLike, reads: PageReads | None = None) -> list[Warning]:
    """The early warnings of the plans ``user`` may see, each in its current year (the latest
    year with results when the plan's period is over). ``reads``: what the page already read
    of them (the dashboard's plans and its plan's quarters), not read again."""
    if reads is not None:
        plans = reads.plans
    else:
        visible = access.units_for(user, access.VIEW)
        plans = list(
            Plan.objects.filter(unit__in=visible)
            .select_related("unit")
            .order_by("unit__path", "code")
        )
    found = []
    for plan in plans:
        known = reads.quarters.get(plan.pk) if reads is not None else None
        if known is None:
            year = current_year(plan)
            rows = quarterly_data(plan, plan.unit, year)["rows"]
        else:
            year, rows = known
        found += [Warning(plan, year, r.indicator, f) for r, f in out_of_reach(rows)]
    return found
