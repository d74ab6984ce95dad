"""The sasaran and indicators a unit's budget lines of a year may support: those of the unit's
plans that cover the year, found by the codes the plan gives them (S1, S2.1)."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator, Objective

SEPARATORS = re.compile(r"[;,\s]+")


def objectives_for(unit: OrgUnit, year: int) -> QuerySet[Objective]:
    return Objective.objects.filter(
        goal__plan__unit=unit, goal__plan__start_year__lte=year, goal__plan__end_year__gte=year
    ).order_by("goal__plan__code", "order", "code")


def indicators_for(unit: OrgUnit, year: int) -> QuerySet[Indicator]:
    return Indicator.objects.filter(
        plan__unit=unit, plan__start_year__lte=year, plan__end_year__gte=year
    ).order_by("plan__code", "order", "code")


def split_codes(text: str) -> list[str]:
    """``"S1.1; S2.1"`` → ``["S1.1", "S2.1"]`` (semicolons, commas or spaces between codes)."""
    return [code for code in SEPARATORS.split(text.strip()) if code]


class PlanCodes:
    """Objective and indicator ids by code; a code in several plan versions names each of them."""

    def __init__(self, unit: OrgUnit, year: int) -> None:
        self.objectives: dict[str, set[int]] = {}
        for pk, code in objectives_for(unit, year).values_list("pk", "code"):
            self.objectives.setdefault(code.lower(), set()).add(pk)
        self.indicators: dict[str, set[int]] = {}
        for pk, code in indicators_for(unit, year).values_list("pk", "code"):
            self.indicators.setdefault(code.lower(), set()).add(pk)
