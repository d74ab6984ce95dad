from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja.monitoring import rules
from kinerja.monitoring.models import TargetMode
from kinerja.plan.models import Indicator, Target
from kinerja.plan.planfile.renaksi import budget_code_ok
from kinerja_core.achievement import DEFAULT_BANDS

D = Decimal
BANDS = {b.key: b for b in DEFAULT_BANDS}


@pytest.mark.parametrize(
    "code,ok",
    [
        ("", True),
        ("7.01.01.2.06", True),
        ("7.01.01.2.06.0001", True),
        ("7.01.01.2.06.01", True),
        ("7.01.01", False),
        ("7.01.01.2.06.0001.9", False),
        ("7.01.01.2.06.00001", False),
        ("abc", False),
        ("7.01.01.2.06\n", False),
    ],
)
def test_budget_code_format(code: str, ok: bool) -> None:
    assert budget_code_ok(code) is ok


def test_reporting_window_is_ten_days_after_the_quarter_by_default(settings) -> None:
    settings.KINERJA_REPORTING_WINDOW_DAYS = 10
    assert rules.quarter_end(2024, 1) == date(2024, 3, 31)
    assert rules.quarter_end(2024, 4) == date(2024, 12, 31)
    assert rules.reporting_due(2024, 1) == date(2024, 4, 10)
    assert rules.reporting_due(2024, 4) == date(2025, 1, 10)
    assert not rules.is_late(2024, 1, date(2024, 4, 10))
    assert rules.is_late(2024, 1, date(2024, 4, 11))
    assert rules.window_open(2024, 2, date(2024, 7, 1))
    assert not rules.window_open(2024, 2, date(2024, 6, 30))
    settings.KINERJA_REPORTING_WINDOW_DAYS = 3
    assert rules.is_late(2024, 1, date(2024, 4, 4))


def indicator(unit: str) -> Indicator:
    return Indicator(code="X", unit=unit)


def test_cumulative_q4_must_equal_the_year_target() -> None:
    pct = indicator(Indicator.Unit.PERCENT)
    year = Target(year=2024, value=D(40))
    quarters = [D(10), D(20), D(30), D(40)]
    assert not rules.contradicts_year(quarters, TargetMode.CUMULATIVE, pct, year)
    assert rules.contradicts_year([D(10), D(20), D(30), D(35)], TargetMode.CUMULATIVE, pct, year)
    assert not rules.contradicts_year(quarters, TargetMode.CUMULATIVE, pct, None)


def test_per_quarter_counts_add_up_to_the_year_and_levels_end_on_it() -> None:
    count = indicator(Indicator.Unit.NUMBER)
    year = Target(year=2024, value=D(100))
    assert not rules.contradicts_year([D(25)] * 4, TargetMode.PER_QUARTER, count, year)
    assert rules.contradicts_year(
        [D(25), D(25), D(25), D(100)], TargetMode.PER_QUARTER, count, year
    )
    pct = indicator(Indicator.Unit.PERCENT)
    assert not rules.contradicts_year(
        [D(70), D(80), D(90), D(100)], TargetMode.PER_QUARTER, pct, year
    )


def test_a_range_year_target_takes_q4_inside_it() -> None:
    pct = indicator(Indicator.Unit.PERCENT)
    year = Target(year=2024, low=D(80), high=D(90))
    assert not rules.contradicts_year([D(1), D(2), D(3), D(85)], TargetMode.CUMULATIVE, pct, year)
    assert rules.contradicts_year([D(1), D(2), D(3), D(91)], TargetMode.CUMULATIVE, pct, year)


def test_a_count_per_quarter_compares_the_quarters_own_increase() -> None:
    ytd = [D(10), D(25), None, D(60)]
    count = indicator(Indicator.Unit.NUMBER)
    assert rules.quarter_realisation(ytd, 2, TargetMode.PER_QUARTER, count) == D(15)
    assert rules.quarter_realisation(ytd, 2, TargetMode.CUMULATIVE, count) == D(25)
    assert rules.quarter_realisation(ytd, 4, TargetMode.PER_QUARTER, count) is None
    pct = indicator(Indicator.Unit.PERCENT)
    assert rules.quarter_realisation(ytd, 2, TargetMode.PER_QUARTER, pct) == D(25)


def test_lagging_is_below_the_near_band() -> None:
    assert rules.near_minimum(BANDS) == D(85)
    assert rules.lagging(D("84.99"), BANDS)
    assert not rules.lagging(D(85), BANDS)
    assert not rules.lagging(None, BANDS)
