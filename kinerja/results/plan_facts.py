"""What results store against a plan's indicators, for the plan's load and revision checks
(kinerja.plan.versions.FACT_SOURCES; docs/rules.md#plan-revisions)."""

from __future__ import annotations

from kinerja.plan.diff import Facts
from kinerja.plan.models import Plan

from .models import Result, YearLock


def result_facts(plan: Plan) -> Facts:
    """Years with stored results per indicator code (current definitions), and locked years."""
    years: dict[str, set[int]] = {}
    rows = (
        Result.objects.filter(plan=plan, indicator__valid_until__isnull=True)
        .order_by()
        .values_list("indicator__code", "year")
        .distinct()
    )
    for code, year in rows:
        years.setdefault(code, set()).add(year)
    locked = YearLock.objects.filter(plan=plan).values_list("year", flat=True)
    return Facts({c: frozenset(y) for c, y in years.items()}, frozenset(locked))
