"""The plan a page or an API call names, for a user allowed to act on its unit (one look-up for
every view: 404 when there is no such plan, PermissionDenied when the user may not)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from kinerja.accounts import access

from .models import Plan


def get_plan_or_404(user: access.UserLike, code: str, action: str = access.VIEW) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("unit"), code=code)
    access.require(user, action, plan.unit)
    return plan
