"""Achievement as stored with each result (docs/rules.md#capaian), through the engine and the
plan's bands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.results.tests.plans import WAITING, load, put
from kinerja.results.tests.test_engine import outcome

pytestmark = pytest.mark.django_db

CAPPED = """\
- code: I4
  name: Cakupan dibatasi
  level: goal
  formula: served / registered * 100
  unit: percent
  cap: 120
  data_source: Buku
  responsible: Kasi
  targets: {2021: 50, 2022: 50, 2023: 50}
"""

BANDS = """\
bands:
- {minimum: 90, key: baik, label: Baik, colour: '#00aa00'}
- {minimum: null, key: kurang, label: Kurang, colour: '#aa0000'}
"""


def test_it_rates_lower_is_better_against_the_target() -> None:
    plan = load(WAITING)
    put(plan, "waiting_days", "kec-uji", "2021", "6.5")
    result = outcome(plan, "I3", "kec-uji", "2021")
    # Target 7, realisation 6,5 → (2 × 7 − 6,5) / 7 = 107,14 %
    # (docs/rules.md#capaian-lower-is-better).
    assert result.achievement == Decimal("107.142857")
    assert result.status == "met"
    put(plan, "waiting_days", "kec-uji", "2021", 8)
    assert outcome(plan, "I3", "kec-uji", "2021").achievement == Decimal("85.714286")
    assert outcome(plan, "I3", "kec-uji", "2021").status == "near"


def test_it_rates_higher_is_better_and_a_zero_realisation() -> None:
    plan = load()
    put(plan, "served", "kec-uji", "2021", 0)
    put(plan, "registered", "kec-uji", "2021", 10)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.realisation == 0 and result.computable
    assert result.achievement == 0 and result.status == "not_met"  # a real 0, not "not measured"
    put(plan, "served", "kec-uji", "2021", 4)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.achievement == Decimal(80) and result.status == "not_met"


def test_it_compares_a_range_target_with_the_nearer_bound() -> None:
    plan = load(WAITING)
    # Lower is better, band 3–5: below the band is better, (2 × 3 − 2) ÷ 3 = 133,33 %
    # (docs/rules.md#capaian-range-targets).
    for value, expected in [("4", "100"), ("3", "100"), ("6", "80"), ("2", "133.333333")]:
        put(plan, "waiting_days", "kec-uji", "2022", value)
        result = outcome(plan, "I3", "kec-uji", "2022")
        assert result.achievement == Decimal(expected), value
        assert (result.target_low, result.target_high, result.target_value) == (3, 5, None)


def test_it_rates_a_range_target_by_the_indicators_polarity() -> None:
    # The same band 3–5 and realisations 2 and 6 under each polarity: only the side that the
    # polarity calls better rises above 100 %.
    expected = {
        "lower": ("133.333333", "80"),
        "higher": ("66.666667", "120"),
        "stable": ("66.666667", "80"),
    }
    for polarity, (below, above) in expected.items():
        unit = f"kec-{polarity}"  # one plan per unit over the same years
        plan = load(
            WAITING.replace("polarity: lower", f"polarity: {polarity}"), code=polarity, unit=unit
        )
        assert plan.indicators.get(code="I3").polarity == polarity
        put(plan, "waiting_days", unit, "2022", "2")
        assert outcome(plan, "I3", unit, "2022").achievement == Decimal(below), polarity
        put(plan, "waiting_days", unit, "2022", "6")
        assert outcome(plan, "I3", unit, "2022").achievement == Decimal(above), polarity


def test_it_does_not_divide_by_a_zero_target() -> None:
    plan = load(WAITING)
    put(plan, "waiting_days", "kec-uji", "2023", 4)
    result = outcome(plan, "I3", "kec-uji", "2023")
    assert result.realisation == Decimal(4) and result.computable
    assert result.achievement is None and result.status == "not_computable"
    assert "target = 0" in result.reason


def test_it_keeps_a_missing_target_apart() -> None:
    plan = load()
    put(plan, "served", "kec-uji", "2022-Q1", 5)
    put(plan, "registered", "kec-uji", "2022-Q1", 10)
    result = outcome(plan, "I1", "kec-uji", "2022-Q1")  # the plan has quarter targets for 2023 only
    assert result.realisation == Decimal(50) and result.target_value is None
    assert result.status == "no_target" and result.achievement is None
    put(plan, "served", "kec-uji", "2023-Q1", 5)
    put(plan, "registered", "kec-uji", "2023-Q1", 10)
    quarter = outcome(plan, "I1", "kec-uji", "2023-Q1")
    assert quarter.target_value == Decimal(20) and quarter.achievement == Decimal(250)


def test_it_caps_achievement_only_when_the_plan_says_so() -> None:
    plan = load(CAPPED, code="cap")
    put(plan, "served", "kec-uji", "2021", 40)
    put(plan, "registered", "kec-uji", "2021", 50)
    assert outcome(plan, "I4", "kec-uji", "2021").achievement == Decimal(120)  # 160 capped
    uncapped = load(code="nocap", unit="kec-nocap")
    put(uncapped, "served", "kec-nocap", "2021", 40)
    put(uncapped, "registered", "kec-nocap", "2021", 50)
    assert outcome(uncapped, "I1", "kec-nocap", "2021").achievement == Decimal(160)


def test_it_uses_the_plan_bands() -> None:
    plan = load(extra=BANDS)
    put(plan, "served", "kec-uji", "2021", 46)
    put(plan, "registered", "kec-uji", "2021", 100)
    assert outcome(plan, "I1", "kec-uji", "2021").status == "baik"  # 92 % ≥ 90
    put(plan, "served", "kec-uji", "2021", 44)
    assert outcome(plan, "I1", "kec-uji", "2021").status == "kurang"
