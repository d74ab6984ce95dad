"""The default-year rule over plans and stored results (docs/rules.md#default-year); pages reach
it through kinerja.lib.default_year, the command line and the plan pages call it directly."""

from __future__ import annotations

from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.plan.chain import plan_in_force
from kinerja.plan.models import Plan

from .models import Result


def plan_default_year(plan: Plan, unit: OrgUnit | None = None, today: int | None = None) -> int:
    """The latest year of ``plan``, not after ``today``, with a measured result for ``unit``
    (default: the plan's unit); without one, the plan's year nearest today."""
    today = today if today is not None else timezone.localdate().year
    year = (
        Result.objects.filter(
            plan=plan,
            unit=unit or plan.unit,
            period_kind="year",
            realisation__isnull=False,
            year__gte=plan.start_year,
            year__lte=min(today, plan.end_year),
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is not None:
        return year
    return max(plan.start_year, min(today, plan.end_year))


def unit_default_year(unit: OrgUnit | None, today: int) -> int | None:
    """The default year of the plan in force for ``unit`` (its own plan or its nearest
    ancestor's; None: the plan in force of the first unit with plans), None without a plan."""
    if unit is None:
        first = Plan.objects.order_by("unit__path").values_list("unit", flat=True).first()
        if first is None:
            return None
        unit = OrgUnit.objects.get(pk=first)
    for holder in [unit, *reversed(list(unit.ancestors()))]:
        plan = plan_in_force(holder, today)
        if plan is not None:
            return plan_default_year(plan, None, today)
    return None


def current_year(plan: Plan, default: int | None = None) -> int:
    """The year a plan's early warnings watch: this year while the plan runs, else its default
    year (``default`` when the caller already read it)."""
    today = timezone.localdate().year
    if today in plan.years:
        return today
    return default if default is not None else plan_default_year(plan)
