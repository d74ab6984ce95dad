"""The year of a plan a page's address names: 404 unless results exist for it (the baseline year
or a year of the plan), so no view acts on a year outside the plan."""

from __future__ import annotations

from django.http import Http404

from kinerja.plan.models import Plan

from .actions import plan_years


def get_year_or_404(plan: Plan, year: int) -> int:
    if year not in plan_years(plan):
        raise Http404(f"{year} is not a year of plan {plan.code}")
    return year
