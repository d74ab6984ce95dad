"""with_targets: each indicator's targets as prefetch_related("targets") gives them, in one
query, and freed by reference counting alone (kinerja/plan/targets.py)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from kinerja.plan.chain import definition_history
from kinerja.plan.models import Plan, Target
from kinerja.plan.versions import indicators_of


def stored_targets(plan: Plan) -> dict[int, list[tuple[int, int, Any]]]:
    rows: dict[int, list[tuple[int, int, Any]]] = {}
    for t in Target.objects.filter(indicator__plan=plan).order_by("indicator", "year", "quarter"):
        rows.setdefault(t.indicator_id, []).append((t.year, t.quarter, t.value))
    return rows


def test_each_indicator_answers_its_targets_in_order_without_a_query(
    wonoasih: Plan, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # the definitions, then every target of them
        found = definition_history(wonoasih)
    with django_assert_num_queries(0):
        read = {ind.pk: [(t.year, t.quarter, t.value) for t in ind.targets.all()] for ind in found}
    stored = stored_targets(wonoasih)
    assert read == {ind.pk: stored.get(ind.pk, []) for ind in found}
    assert sum(map(len, read.values())) >= 20  # four indicators, five years each


@pytest.mark.parametrize("read", [definition_history, indicators_of])
def test_the_rows_go_with_the_last_reference_no_collection_needed(
    wonoasih: Plan, read: Any
) -> None:
    gc.collect()
    gc.disable()
    try:
        found = read(wonoasih)
        first_target = next(iter(found[0].targets.all()))
        watched = [weakref.ref(found[0]), weakref.ref(first_target)]
        del found, first_target
        # With prefetch_related each target pointed back at its indicator: a cycle that only
        # the (here disabled) garbage collector frees.
        assert [ref() for ref in watched] == [None, None]
    finally:
        gc.enable()
