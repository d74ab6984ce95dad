"""A recompute reads measures with a batch form once per period for all units, with the very
results (values, reasons, inputs) the one-unit-at-a-time path gives."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from kinerja.results import registry
from kinerja.results.actions import (
    compute_outcomes,
    no_progress,
    recompute_periods,
    recompute_units,
)
from kinerja.results.engine import Evaluator

pytestmark = pytest.mark.django_db


def outcomes(plan, years: list[int]) -> tuple[dict[Any, Any], int, int]:
    """Every outcome of a recompute of ``years`` (not stored), the measure calls and queries."""
    evaluator = Evaluator(plan)
    with CaptureQueriesContext(connection) as queries:
        found = {
            (ind.code, unit.code, period.key): outcome.snapshot()
            for ind, unit, period, outcome in compute_outcomes(
                evaluator, recompute_units(plan), recompute_periods(plan, years), no_progress
            )
        }
    return found, evaluator.calls, len(queries)


def without_batches(monkeypatch) -> None:
    for name, spec in list(registry.MEASURES.items()):
        monkeypatch.setitem(registry.MEASURES, name, dataclasses.replace(spec, batch=None))


def test_it_batches_the_units_of_a_recompute_with_identical_results(wonoasih, monkeypatch) -> None:
    for step in ("kinerja.demo.community.load", "kinerja.demo.surveys.load"):
        import_string(step)(wonoasih)
    years = [2019, 2020, 2023]  # the baseline year (prev() before it is refused) and two more
    batched, batch_calls, batch_queries = outcomes(wonoasih, years)
    without_batches(monkeypatch)
    single, single_calls, single_queries = outcomes(wonoasih, years)
    assert batched == single
    assert any(o["computable"] for o in single.values())
    assert any(o["reason"] for o in single.values())  # not computable / not measured ones too
    units = len(recompute_units(wonoasih))
    assert units == 7
    # one call per measure, filters and period instead of one per unit as well
    assert batch_calls * units == single_calls
    assert batch_queries < single_queries / 3


COMMUNITY = ("groups_total", "groups_facilitated", "groups_fostered_cumulative")


def test_it_falls_back_to_the_single_form_without_a_batch(wonoasih, monkeypatch) -> None:
    import_string("kinerja.demo.community.load")(wonoasih)
    expected, _, _ = outcomes(wonoasih, [2020])
    for name in COMMUNITY:
        spec = dataclasses.replace(registry.MEASURES[name], batch=None)
        monkeypatch.setitem(registry.MEASURES, name, spec)
    assert outcomes(wonoasih, [2020])[0] == expected
