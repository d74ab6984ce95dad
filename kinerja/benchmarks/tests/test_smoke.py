"""The benchmark code at small scale: generation is exact and deterministic, scenarios run."""

from __future__ import annotations

import pytest
from django.db import connection

from kinerja.benchmarks import generate, ikmquery, publicpages, results
from kinerja.benchmarks.scales import parse_scale
from kinerja.db import generator
from kinerja.db.generator import ServiceSlot, reference_rows
from kinerja.db.imports import RESPONSE_COLUMNS
from kinerja.surveys import rollup
from kinerja.surveys.models import DailyTally, Response

TALLY = ("unit_id", "service_id", "day", "respondents", *(f"t{i}" for i in range(1, 10)), "sum_s2")


def test_it_generates_the_same_rows_for_the_same_seed() -> None:
    slots = [ServiceSlot(i, 100 + i, 1.0 + i, i % 4) for i in range(5)]
    first = list(reference_rows(slots, 500, [2024], 9))
    assert first == list(reference_rows(slots, 500, [2024], 9))
    assert first != list(reference_rows(slots, 500, [2024], 10))
    assert len(first) == 500
    # Every service, score, channel and weekday shows up; busier services get more rows.
    assert {r[0] for r in first} == set(range(5))
    assert {s for r in first for s in r[10:19]} == {1, 2, 3, 4}
    assert {r[5] for r in first} == {"online", "kiosk", "paper"}
    assert sum(r[0] == 4 for r in first) > sum(r[0] == 0 for r in first)


def test_it_reads_scales() -> None:
    assert parse_scale("province").kelurahan == 8000
    assert parse_scale("2").cities == 2
    with pytest.raises(ValueError, match="unknown scale"):
        parse_scale("galaxy")


@pytest.mark.django_db
def test_it_generates_a_rollup_equal_to_a_rebuild_and_runs_the_scenarios(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(generator, "CHUNK_ROWS", 1100)  # three chunks, as at scale
    out = generate.generate(parse_scale("small"), 3000, [2023, 2024], seed=5)
    assert out.responses == Response.objects.count() == 3000
    # The SQL stores exactly the rows of the Python specification, on either engine.
    stored = list(Response.objects.order_by("id").values_list(*RESPONSE_COLUMNS))
    assert stored == list(reference_rows(out.slots, 3000, [2023, 2024], out.response_seed))
    assert out.units == 9 and out.groups == 60 and out.plan == "bench-c01-plan"
    generated = set(DailyTally.objects.values_list(*TALLY))
    rollup.rebuild()
    assert set(DailyTally.objects.values_list(*TALLY)) == generated

    ikm_unit, ikm_city = ikmquery.run(connection.vendor, 2024, repeats=1, sample=4)
    assert ikm_unit.equal_to_full_recompute and ikm_city.equal_to_full_recompute
    assert ikm_unit.rows == 3000 and ikm_city.details["queries"] == 36
    # At least three alternating windows against the baseline, each with its figures.
    for m in (ikm_unit, ikm_city):
        assert [len(m.windows[k]) for k in ("value", "baseline_value", "ratio")] == [3, 3, 3]

    recompute = results.run_recompute(connection.vendor, 1, [2019])
    assert recompute.rows == 9 * 50  # units × the baseline year (no quarters) × indicators
    assert recompute.details["reader_calls"] > 0
    assert len(recompute.windows["value"]) == len(recompute.windows["baseline_value"]) == 1

    dashboard = results.run_dashboard(connection.vendor, 2)
    assert len(dashboard.details["pages"]) == 4
    assert len(dashboard.windows["ratio"]) == 3 and min(dashboard.windows["value"]) > 0
    city, kelurahan = dashboard.details["pages"][:2]
    # The bench's marks wait for a worker that does not run here, so the pages also read when a
    # worker was last seen (the "waits for the background worker" notice): one query each.
    assert (city["queries"], kelurahan["queries"]) == ([13], [14])

    public = publicpages.run(connection.vendor, 3)
    assert len(public.details["pages"]) == 5 and public.rows == 3000
    assert public.goals["no_raw_responses"] and public.goals["fixed_query_count"]
    assert len(public.windows["ratio"]) == 3 and min(public.windows["baseline_value"]) > 0
