"""The plan file's optional ``renaksi:`` section: read, checked, stored on load."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml

from kinerja.monitoring.models import QuarterTargets, RenaksiAction, TargetMode
from kinerja.plan.actions import PlanRefused, do_load_plan_text
from kinerja.test import WONOASIH_PLAN

pytestmark = pytest.mark.django_db


def plan_text(quarters: list[int], renaksi: list[dict[str, Any]]) -> str:
    data = yaml.safe_load(WONOASIH_PLAN.read_text(encoding="utf-8"))
    for goal in data["goals"]:
        for objective in goal.get("objectives", []):
            for ind in objective.get("indicators", []):
                if ind["code"] == "S1.1":
                    ind["quarter_targets"] = {2024: quarters}
    data["renaksi"] = renaksi
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


ACTION = {
    "name": "Fasilitasi LPMK",
    "budget_code": "7.01.01.2.06.0001",
    "position": "Kasi Pemberdayaan Masyarakat",
    "months": [5, 2],
}


def test_it_stores_the_renaksi_of_a_plan_file_and_replaces_it_on_reload(db) -> None:
    entry = {"year": 2024, "indicator": "S1.1", "mode": "cumulative", "actions": [ACTION]}
    plan = do_load_plan_text(plan_text([10, 20, 30, 40], [entry]))
    targets = QuarterTargets.objects.get(renaksi__plan=plan, indicator__code="S1.1")
    assert (targets.mode, targets.q1, targets.q4) == (
        TargetMode.CUMULATIVE,
        Decimal(10),
        Decimal(40),
    )
    action = RenaksiAction.objects.get()
    assert (action.budget_code, action.months) == ("7.01.01.2.06.0001", [2, 5])
    do_load_plan_text(
        plan_text([10, 20, 30, 40], [{**entry, "actions": [{**ACTION, "name": "Baru"}]}])
    )
    assert list(RenaksiAction.objects.values_list("name", flat=True)) == ["Baru"]


@pytest.mark.parametrize(
    "quarters,entry,field",
    [
        ([10, 20, 30, 35], {"year": 2024, "indicator": "S1.1"}, "quarter_targets.q4"),
        (
            [10, 20, 30, 40],
            {"year": 2024, "indicator": "S1.1", "actions": [{**ACTION, "budget_code": "7-01"}]},
            "budget_code",
        ),
        (
            [10, 20, 30, 40],
            {"year": 2024, "indicator": "S1.1", "actions": [{**ACTION, "months": [13]}]},
            "months",
        ),
        ([10, 20, 30, 40], {"year": 2024, "indicator": "S1.1", "mode": "sometimes"}, "mode"),
        ([10, 20, 30, 40], {"year": 2024, "indicator": "X9"}, "indicator"),
        ([10, 20, 30, 40], {"year": 2031, "indicator": "S1.1"}, "year"),
    ],
)
def test_bad_renaksi_in_a_plan_file_is_refused_naming_the_field(db, quarters, entry, field) -> None:
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(plan_text(quarters, [entry]))
    assert field in [p.field for p in refused.value.problems]
    assert not QuarterTargets.objects.exists() and not RenaksiAction.objects.exists()
