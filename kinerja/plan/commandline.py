"""The plan a command names (``--plan CODE``), or the only plan loaded (or the plan in force
when the plans loaded are one unit's chain of periods, each continuing the one before)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from .chain import plan_in_force
from .models import Plan


def chain_in_force() -> Plan | None:
    """The plan in force this year when every loaded plan is one unit's and each but the oldest
    continues another loaded plan; else None (the command must be told which)."""
    rows = list(Plan.objects.values_list("code", "unit", "continues"))
    codes = {code for code, _unit, _continues in rows}
    linked = sum(1 for _code, _unit, continues in rows if continues in codes)
    if len({unit for _code, unit, _continues in rows}) != 1 or linked != len(rows) - 1:
        return None
    plan = Plan.objects.select_related("unit").get(code=rows[0][0])
    return plan_in_force(plan.unit, timezone.localdate().year)


def resolve_plan(code: str | None) -> Plan:
    if code:
        plan = Plan.objects.select_related("unit").filter(code=code).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"no plan with code {code!r} (known: {known})")
        return plan
    plans = list(Plan.objects.select_related("unit")[:2])
    if not plans:
        raise CommandError("no plan is loaded: run `kinerja plan load FILE` or `kinerja demo load`")
    if len(plans) > 1:
        in_force = chain_in_force()
        if in_force is not None:
            return in_force
        known = ", ".join(Plan.objects.values_list("code", flat=True))
        raise CommandError(f"several plans are loaded; choose one with --plan ({known})")
    return plans[0]
