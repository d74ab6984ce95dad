"""The plan a command names (``--plan CODE``), or the only plan loaded."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Plan


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
        known = ", ".join(Plan.objects.values_list("code", flat=True))
        raise CommandError(f"several plans are loaded; choose one with --plan ({known})")
    return plans[0]
