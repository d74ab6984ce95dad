"""Plan versions: which definitions are in force in a year, and what is stored against them
(docs/rules.md#plan-revisions).

``indicators_in_force(plan, year)`` is THE answer to "the indicators of plan P in year Y":
results, the API, the documents and the plan page call it, never ``Indicator.objects`` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .diff import Facts
from .models import Indicator, Plan, PlanVersion
from .targets import with_targets


def in_force(year: int | F, prefix: str = "") -> Q:
    """Indicator rows (reached through ``prefix``) whose definition holds in ``year`` (open
    ends are None); ``F("year")`` for rows of a year, such as results: a result of a definition
    a later version replaced is history, not that year's figure."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": year})
    ) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": year}))


def row_in_force() -> Q:
    """Results (or any rows with ``indicator`` and ``year``) of the definition in force."""
    return in_force(F("year"), "indicator__")


def indicators_in_force(plan: Plan, year: int | None) -> QuerySet[Indicator]:
    """The plan's indicators defined for ``year`` (None: the current version), in order."""
    rows = Indicator.objects.filter(plan=plan)
    rows = rows.filter(valid_until__isnull=True) if year is None else rows.filter(in_force(year))
    return rows.order_by("order")


def indicators_of(plan: Plan, year: int | None = None) -> list[Indicator]:
    """The plan's indicators in force in ``year`` (None: the current version) in order, with
    goal, objective and targets (two queries)."""
    return with_targets(
        indicators_in_force(plan, year).select_related("goal", "objective").order_by("order")
    )


def version_in_force(plan: Plan, year: int) -> PlanVersion | None:
    """The latest version in force in ``year``: the highest number effective in or before it."""
    return (
        PlanVersion.objects.filter(plan=plan, effective_from__lte=year).order_by("-number").first()
    )


def versions_of(plan: Plan) -> list[PlanVersion]:
    return list(
        PlanVersion.objects.filter(plan=plan).select_related("created_by").order_by("number")
    )


# What is stored against a plan's indicators lives in apps above this floor (results): they
# register a reader here when they start (their AppConfig.ready), so the plan never imports them.
FACT_SOURCES: list[Callable[[Plan], Facts]] = []


def stored_facts(plan: Plan | None) -> Facts:
    """The years with stored results per indicator code, and the locked years, of every source."""
    if plan is None:
        return Facts()
    result_years: dict[str, frozenset[int]] = {}
    locked: frozenset[int] = frozenset()
    for source in FACT_SOURCES:
        facts = source(plan)
        for code, years in facts.result_years.items():
            result_years[code] = result_years.get(code, frozenset()) | years
        locked |= facts.locked
    return Facts(result_years, locked)


def history_json(plan: Plan) -> dict[str, Any]:
    """``kinerja plan history CODE --json``: every version, oldest first."""
    return {
        "plan": plan.code,
        "versions": [
            {
                "number": v.number,
                "effective_from": v.effective_from,
                "reason": v.reason,
                "decree": v.decree,
                "by": v.created_by.get_username() if v.created_by else "",
                # Local time (Asia/Jakarta) with its offset: the time the office read.
                "at": timezone.localtime(v.created_at).isoformat(),
                "summary": v.summary,
            }
            for v in versions_of(plan)
        ],
    }
