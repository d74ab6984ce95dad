"""The benchmark code at small scale: generation is exact and deterministic, scenarios run."""

from __future__ import annotations

import pytest
from django.db import connection

from kinerja.benchmarks import generate, ikmquery, results
from kinerja.benchmarks.responses import ServiceSlot, generate_days
from kinerja.benchmarks.scales import parse_scale
from kinerja.surveys import rollup
from kinerja.surveys.models import DailyTally, Response

TALLY = ("unit_id", "service_id", "day", "respondents", *(f"t{i}" for i in range(1, 10)), "sum_s2")


def test_it_generates_the_same_rows_for_the_same_seed() -> None:
    slots = [ServiceSlot(i, 100 + i, 1.0 + i, i % 4) for i in range(5)]
    first = [b.rows for b in generate_days(slots, 500, [2024], 9, "")]
    again = [b.rows for b in generate_days(slots, 500, [2024], 9, "")]
    other = [b.rows for b in generate_days(slots, 500, [2024], 10, "")]
    assert first == again
    assert first != other
    assert sum(len(rows) for rows in first) == 500


def test_it_reads_scales() -> None:
    assert parse_scale("province").kelurahan == 8000
    assert parse_scale("2").cities == 2
    with pytest.raises(ValueError, match="unknown scale"):
        parse_scale("galaxy")


@pytest.mark.django_db
def test_it_generates_a_rollup_equal_to_a_rebuild_and_runs_the_scenarios() -> None:
    out = generate.generate(parse_scale("small"), 3000, [2023, 2024], seed=5)
    assert out.responses == Response.objects.count() == 3000
    assert out.units == 9 and out.groups == 60 and out.plan == "bench-c01-plan"
    generated = set(DailyTally.objects.values_list(*TALLY))
    rollup.rebuild()
    assert set(DailyTally.objects.values_list(*TALLY)) == generated

    ikm_unit, ikm_city = ikmquery.run(connection.vendor, 2024, repeats=1, sample=4)
    assert ikm_unit.equal_to_full_recompute and ikm_city.equal_to_full_recompute
    assert ikm_unit.rows == 3000 and ikm_city.details["queries"] == 36

    recompute = results.run_recompute(connection.vendor, 1, [2019])
    assert recompute.rows == 9 * 50  # units × the baseline year (no quarters) × indicators
    assert recompute.details["measure_queries"] > 0

    dashboard = results.run_dashboard(connection.vendor, 2)
    assert len(dashboard.details["pages"]) == 4
