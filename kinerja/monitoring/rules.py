"""The rules of the Rencana Aksi and the quarterly report (docs/rules.md#rencana-aksi-and-quarterly-reports).

Plain functions over values: the actions and the pages call them, the tests hold them to the
rules' examples. The budget code's shape is the plan file's (``plan.planfile.renaksi``), which
reads the same actions from a plan file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from kinerja.plan.models import Indicator, Target
from kinerja_core.achievement import Band
from kinerja_core.quarter_targets import contradicts, implied_year_value

from .models import TargetMode


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def reporting_due(year: int, quarter: int) -> date:
    """The last day a quarter's report is on time: the quarter's end plus the window."""
    return quarter_end(year, quarter) + timedelta(days=settings.KINERJA_REPORTING_WINDOW_DAYS)


def is_late(year: int, quarter: int, on: date) -> bool:
    return on > reporting_due(year, quarter)


def window_open(year: int, quarter: int, on: date) -> bool:
    return quarter_end(year, quarter) < on <= reporting_due(year, quarter)


def adds_up(indicator: Indicator) -> bool:
    """A count is a flow that adds up over the year; a percentage or an index is a level."""
    return indicator.unit == Indicator.Unit.NUMBER


def year_value_of(targets: list[Decimal], mode: str, indicator: Indicator) -> Decimal:
    """The year's value the quarter targets imply."""
    return implied_year_value(targets, mode == TargetMode.PER_QUARTER, adds_up(indicator))


def contradicts_year(
    targets: list[Decimal], mode: str, indicator: Indicator, year_target: Target | None
) -> bool:
    """Whether the quarter targets end the year elsewhere than the year's own target."""
    if year_target is None:
        return False
    implied = year_value_of(targets, mode, indicator)
    return contradicts(implied, year_target.value, year_target.low, year_target.high)


def quarter_realisation(
    ytd: list[Decimal | None], quarter: int, mode: str, indicator: Indicator
) -> Decimal | None:
    """The realisation a quarter target is compared with: year to date for cumulative targets
    and for levels; the quarter's own increase for a count with per-quarter targets."""
    value = ytd[quarter - 1]
    if value is None or mode != TargetMode.PER_QUARTER or not adds_up(indicator) or quarter == 1:
        return value
    before = ytd[quarter - 2]
    return None if before is None else value - before


def near_minimum(bands: dict[str, Band]) -> Decimal | None:
    """The lowest achievement that needs no narrative: the plan's "near" band, else its top."""
    near = bands.get("near")
    if near is not None and near.minimum is not None:
        return near.minimum
    minimums = [b.minimum for b in bands.values() if b.minimum is not None]
    return max(minimums) if minimums else None


def lagging(achievement: Decimal | None, bands: dict[str, Band]) -> bool:
    floor = near_minimum(bands)
    return achievement is not None and floor is not None and achievement < floor


@dataclass(frozen=True)
class NarrativeText:
    drivers: str
    obstacles: str
    follow_up: str

    def fields(self) -> dict[str, str]:
        return {"drivers": self.drivers, "obstacles": self.obstacles, "follow_up": self.follow_up}

    def complete(self) -> bool:
        return all(v.strip() for v in self.fields().values())
