"""Quarterly monitoring (triwulan): realisation to date per quarter and a forecast of the year.

Every quarter's realisation is year to date (1 January to the quarter's end). The forecast of
the year's value from the latest quarter with a realisation uses one documented method:

- a count (indicator unit "number"): a linear run-rate, value so far × 4 / quarters elapsed;
- a ratio or an index (units "percent" and "index"): the latest year-to-date value, because a
  percentage or a satisfaction index is a level, not a flow that adds up over the year.

The forecast is rated against the year target with the plan's own achievement rules and bands;
it is flagged "out of reach" when it falls below the top band (the target would not be met).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from django.http import HttpRequest

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.versions import indicators_of
from kinerja_core.achievement import Band, achievement, classify
from kinerja_core.periods import quarters

from .queries import Cell, ResultIndex, bands_of, year_target

RUN_RATE = "run_rate"
LATEST = "latest"


def method_for(indicator: Indicator) -> str:
    return RUN_RATE if indicator.unit == Indicator.Unit.NUMBER else LATEST


@dataclass
class Forecast:
    method: str
    based_on: str  # the quarter key the forecast starts from
    value: Decimal
    achievement: Decimal | None
    band: Band | None
    out_of_reach: bool


def forecast(
    indicator: Indicator, cells: list[Cell], year: int, bands: list[Band]
) -> Forecast | None:
    measured = [(q, c) for q, c in enumerate(cells, start=1) if c.realisation is not None]
    if not measured:
        return None
    q, latest = measured[-1]
    assert latest.realisation is not None
    method = method_for(indicator)
    value = latest.realisation * 4 / q if method == RUN_RATE else latest.realisation
    target = year_target(indicator, year)
    comparable = None if target is None else target.comparable()
    rated = achievement(comparable, value, indicator.rated_polarity, indicator.cap)
    ach = rated if isinstance(rated, Decimal) else None
    band = classify(rated, bands) if ach is not None else None
    top = max(bands, key=lambda b: b.minimum if b.minimum is not None else Decimal("-Infinity"))
    return Forecast(
        method=method,
        based_on=f"{year}-Q{q}",
        value=value,
        achievement=ach,
        band=band,
        out_of_reach=band is not None and band.key != top.key,
    )


@dataclass
class QuarterRow:
    indicator: Indicator
    year: Cell
    quarters: list[Cell]
    forecast: Forecast | None


def quarterly_data(plan: Plan, unit: OrgUnit, year: int) -> dict[str, Any]:
    """Each indicator's four quarters, the year and the forecast (three queries)."""
    index = ResultIndex.load(plan, [unit], [year], kinds=("year", "quarter"))
    return {
        "rows": quarter_rows(plan, unit, year, indicators_of(plan, year), index),
        "quarter_periods": quarters(year),
    }


def quarter_rows(
    plan: Plan, unit: OrgUnit, year: int, indicators: list[Indicator], index: ResultIndex
) -> list[QuarterRow]:
    """The rows of ``quarterly_data`` from indicators (in force in ``year``, with their targets)
    and the unit's year and quarter results a page already read: no query."""
    bands = bands_of(plan)
    band_list = list(bands.values())
    rows = []
    for ind in indicators:
        cells = [Cell(ind, index.get(ind, unit, p.key), bands, None) for p in quarters(year)]
        rows.append(
            QuarterRow(
                ind,
                Cell(ind, index.get(ind, unit, str(year)), bands, year_target(ind, year)),
                cells,
                forecast(ind, cells, year, band_list),
            )
        )
    return rows


@dataclass
class PageReads:
    """What a page already read for the early warnings of its header: the plans the user may see
    and, by plan, the current year (``current_year``) with its quarter rows for the plan's unit."""

    plans: list[Plan]
    quarters: dict[int, tuple[int, list[QuarterRow]]] = field(default_factory=dict)


_PAGE_READS: WeakKeyDictionary[HttpRequest, PageReads] = WeakKeyDictionary()


def remember_reads(request: HttpRequest, reads: PageReads) -> None:
    _PAGE_READS[request] = reads


def reads_of(request: HttpRequest) -> PageReads | None:
    return _PAGE_READS.get(request)
