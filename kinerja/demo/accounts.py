"""Demo step: the demo users log in with their password alone (documented demo logins)."""

from __future__ import annotations

from django.contrib.auth.models import User

from kinerja.accounts.models import TwoFactorExemption
from kinerja.plan.models import Plan

DEMO_REASON = "demo data (DATA CONTOH): documented demo log-in"


def exempt_demo_users(plan: Plan) -> str:
    from kinerja.demo.loader import DEMO_USERS

    users = User.objects.filter(username__in=[name for name, _role, _unit in DEMO_USERS])
    for user in users:
        TwoFactorExemption.objects.get_or_create(user=user, defaults={"reason": DEMO_REASON})
    return f"{users.count()} demo users exempt from two-factor log-in"
