"""No database cascade deletes a result, its history or an audit row: deleting any kind of plan
object either leaves them all in place or is refused (docs/rules.md#plan-revisions)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.audit.models import AuditEntry
from kinerja.plan.models import Goal, Indicator, Objective, Plan, PlanVersion, Target
from kinerja.results.actions import do_recompute
from kinerja.results.models import (
    PendingChange,
    Result,
    ResultChange,
    YearApproval,
    YearLock,
)

pytestmark = pytest.mark.django_db


def evidence() -> dict[str, int]:
    """How many rows of each kind a result's history consists of."""
    return {
        "results": Result.objects.count(),
        "result history": Result.history.count(),  # type: ignore[attr-defined]
        "pending": PendingChange.objects.count(),
        "changes": ResultChange.objects.count(),
        "locks": YearLock.objects.count(),
        "approvals": YearApproval.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def with_history(wonoasih):
    """The seed plan (goals, objectives, indicators, targets) with results of 2021 (not
    measured: the rows are what matters here), a pending and a logged change, a lock."""
    uji = wonoasih
    do_recompute(uji, years=[2021])
    now = timezone.now()
    result = Result.objects.filter(plan=uji, period_key="2021").first()
    assert result is not None
    for model in (PendingChange, ResultChange):
        extra = (
            {"detected_at": now} if model is PendingChange else {"reason": "x", "changed_at": now}
        )
        model.objects.create(
            plan=uji,
            indicator=result.indicator,
            unit=result.unit,
            period_key="2021",
            year=2021,
            before={},
            after={},
            **extra,
        )
    YearApproval.objects.create(plan=uji, year=2021)
    YearLock.objects.create(plan=uji, year=2021, locked_at=now)
    return uji


def test_deleting_any_plan_object_keeps_every_result_or_is_refused(with_history) -> None:
    plan = with_history
    before = evidence()
    assert before["results"] and before["pending"] and before["changes"]
    objects = [
        Target.objects.filter(indicator__plan=plan).first(),
        Indicator.objects.filter(plan=plan).first(),
        Objective.objects.filter(goal__plan=plan).first(),
        Goal.objects.filter(plan=plan).first(),
        PlanVersion.objects.filter(plan=plan).first(),
        plan,
        OrgUnit.objects.get(code="kel-pakistaji"),
        plan.unit,
    ]
    refused = []
    for obj in objects:
        assert obj is not None
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            refused.append(type(obj).__name__)
        after = evidence()
        # A deleted target leaves history and audit rows of its own; nothing of a result goes.
        assert {k: v for k, v in after.items() if k != "audit"} == {
            k: v for k, v in before.items() if k != "audit"
        }, type(obj).__name__
        assert after["audit"] >= before["audit"]
    assert refused == [
        "Indicator",
        "Objective",
        "Goal",
        "Plan",
        "OrgUnit",
        "OrgUnit",
    ]
    assert Plan.objects.filter(pk=plan.pk).exists()
