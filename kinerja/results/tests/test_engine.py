from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator
from kinerja.results.engine import Evaluator
from kinerja.results.tests.plans import COVERAGE, GROWTH, load, put
from kinerja_core.periods import Period

pytestmark = pytest.mark.django_db


def outcome(plan, code: str, unit: str, period: str, evaluator: Evaluator | None = None):
    indicator = Indicator.objects.get(plan=plan, code=code)
    evaluator = evaluator or Evaluator(plan)
    return evaluator.outcome(
        indicator,
        list(indicator.targets.all()),
        OrgUnit.objects.get(code=unit),
        Period.parse(period),
    )


def test_it_computes_a_ratio_from_manual_values() -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kec-uji", "2021", 30)
    put(plan, "registered", "kec-uji", "2021", 60)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.realisation == Decimal("50")
    assert result.computable and result.reason == ""
    assert result.target_value == Decimal(50) and result.achievement == Decimal(100)
    assert result.status == "met"
    assert result.formula == "served / registered * 100"
    assert result.inputs["served"]["value"] == "30"
    assert result.inputs["served"]["source"] == "manual"
    assert result.inputs["registered"]["period"] == "2021"


def test_it_adds_up_counts_of_the_units_below_when_the_unit_has_none() -> None:
    plan = load(COVERAGE)
    for unit, served, registered in [("kel-satu", 10, 30), ("kel-dua", 20, 30)]:
        put(plan, "served", unit, "2022", served)
        put(plan, "registered", unit, "2022", registered)
    assert outcome(plan, "I1", "kec-uji", "2022").realisation == Decimal(50)
    assert outcome(plan, "I1", "kel-satu", "2022").realisation.quantize(Decimal("0.01")) == Decimal(
        "33.33"
    )
    # the unit's own figure wins over the sum below it
    put(plan, "served", "kec-uji", "2022", 45)
    assert outcome(plan, "I1", "kec-uji", "2022").realisation == Decimal(75)


def test_it_does_not_add_up_an_index_of_the_units_below() -> None:
    plan = load(
        """\
- code: I3
  name: Hari tunggu
  level: goal
  formula: waiting_days
  unit: number
  data_source: Buku
  responsible: Kasi
  targets: {2021: 7, 2022: 7, 2023: 7}
"""
    )
    put(plan, "waiting_days", "kel-satu", "2021", 4)
    put(plan, "waiting_days", "kel-dua", "2021", 6)
    assert outcome(plan, "I3", "kec-uji", "2021").status == "not_measured"
    assert outcome(plan, "I3", "kel-dua", "2021").realisation == Decimal(6)


def test_it_says_not_measured_rather_than_zero() -> None:
    plan = load(COVERAGE)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.realisation is None and result.achievement is None
    assert not result.computable
    assert result.status == "not_measured" and result.reason == "belum diukur"
    assert result.inputs["served"] == {
        "name": "served",
        "unit": "kec-uji",
        "period": "2021",
        "measure": "served",
        "label": "Warga dilayani",
        "source": "manual",
        "filters": {},
        "value": None,
        "reason": "belum diukur",
    }


def test_it_gives_the_reason_when_a_denominator_is_zero() -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kec-uji", "2021", 0)
    put(plan, "registered", "kec-uji", "2021", 0)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.realisation is None and not result.computable
    assert result.status == "not_computable"
    assert "pembagian dengan nol" in result.reason and "registered" in result.reason


def test_it_gives_the_reason_when_one_input_is_missing() -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kec-uji", "2021", 10)
    result = outcome(plan, "I1", "kec-uji", "2021")
    assert result.status == "not_computable" and "registered" in result.reason


def test_it_reads_prev_from_the_year_before_down_to_the_baseline() -> None:
    plan = load(GROWTH)
    put(plan, "served", "kec-uji", "2020", 20)
    put(plan, "registered", "kec-uji", "2020", 100)
    put(plan, "served", "kec-uji", "2021", 30)
    put(plan, "registered", "kec-uji", "2021", 100)
    result = outcome(plan, "I2", "kec-uji", "2021")
    assert result.realisation == Decimal(50)  # (30 % − 20 %) / 20 % × 100
    assert result.achievement == Decimal(500)
    before = result.inputs["prev(served_pct)"]
    assert before["period"] == "2020" and before["value"] == "20"
    assert before["source"] == "derived" and before["formula"] == "served / registered * 100"
    assert before["inputs"]["served"]["value"] == "20"
    assert result.inputs["served_pct"]["inputs"]["registered"]["period"] == "2021"
    # a quarter compares its year-to-date value with the whole previous year
    put(plan, "served", "kec-uji", "2021-Q2", 25)
    put(plan, "registered", "kec-uji", "2021-Q2", 100)
    quarter = outcome(plan, "I2", "kec-uji", "2021-Q2")
    assert quarter.realisation == Decimal(25)
    assert quarter.inputs["prev(served_pct)"]["period"] == "2020"


def test_it_asks_nothing_before_the_baseline_year() -> None:
    plan = load(GROWTH)
    put(plan, "served", "kec-uji", "2020", 20)
    put(plan, "registered", "kec-uji", "2020", 100)
    result = outcome(plan, "I2", "kec-uji", "2020")
    assert result.status == "not_computable"
    assert "2020" in result.reason
    asked = result.inputs["prev(served_pct)"]["inputs"]["served"]
    assert asked["period"] == "2019" and asked["value"] is None and "2020" in asked["reason"]


def test_it_computes_each_measure_once_per_run() -> None:
    plan = load(COVERAGE, GROWTH)
    for period in ("2020", "2021"):
        put(plan, "served", "kec-uji", period, 20)
        put(plan, "registered", "kec-uji", period, 100)
    evaluator = Evaluator(plan)
    with CaptureQueriesContext(connection) as queries:
        outcome(plan, "I1", "kec-uji", "2021", evaluator)
        outcome(plan, "I2", "kec-uji", "2021", evaluator)
        outcome(plan, "I2", "kec-uji", "2021", evaluator)
    # served and registered for 2021 and 2020: four aggregates however often they are used
    assert evaluator.calls == 4
    aggregates = [q for q in queries.captured_queries if "results_manualvalue" in q["sql"]]
    assert len(aggregates) == 4
