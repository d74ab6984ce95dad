"""Demo data for `kinerja demo load` / `make run`, always labelled DATA CONTOH while loaded.

Each app contributes one step: ``(name, dotted path of a function(plan) -> str)``; the steps run
in this order inside one transaction each, and every step is idempotent.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.module_loading import import_string

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.lib.models import DemoMarker
from kinerja.plan.actions import do_load_plan_text
from kinerja.plan.models import Plan

PLANS = Path(settings.BASE_DIR) / "plans"
DEMO_PLAN = PLANS / "wonoasih-2020-2024.yaml"
# Loaded after DEMO_PLAN, which it continues: the office works under it today (CONTOH RANCANGAN).
NEXT_PLAN = PLANS / "wonoasih-2025-2029.yaml"
DEMO_PASSWORD = "contoh-kinerja"  # noqa: S105 - documented demo login, only created by `kinerja demo load`

# (username, role, unit code or None for superuser)
DEMO_USERS = [
    ("admin", None, None),
    ("camat", Role.HEAD, "kec-wonoasih"),
    ("perencana", Role.PLANNER, "kec-wonoasih"),
    ("pemas", Role.REGISTRY_OFFICER, "kec-wonoasih"),
    ("pelayanan", Role.SURVEY_OFFICER, "kec-wonoasih"),
    ("operator.wonoasih", Role.KELURAHAN_OPERATOR, "kel-wonoasih"),
]

DEMO_STEPS: list[tuple[str, str]] = [
    ("users", "kinerja.demo.loader.load_users"),
    ("two-factor", "kinerja.demo.accounts.exempt_demo_users"),
    ("surveys", "kinerja.demo.surveys.load"),
    ("community", "kinerja.demo.community.load"),
    ("signing", "kinerja.demo.signing.load"),
    ("budget", "kinerja.demo.budget.load"),
    ("narratives", "kinerja.demo.narratives.load"),
    ("results", "kinerja.demo.results.load"),  # recomputes from every step's data above
    ("monitoring", "kinerja.demo.monitoring.load"),  # reads the results: after them
]


def load_plan() -> Plan:
    """Both plans; the data steps get the first (the unit's plan since 2020)."""
    plan = do_load_plan_text(DEMO_PLAN.read_text(encoding="utf-8"))
    do_load_plan_text(NEXT_PLAN.read_text(encoding="utf-8"))
    return plan


def load_users(plan: Plan) -> str:
    for username, role, unit_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=role is None, is_superuser=role is None)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role is not None and unit_code is not None:
            unit = OrgUnit.objects.get(code=unit_code)
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return f"{len(DEMO_USERS)} demo users (password {DEMO_PASSWORD})"


def run_demo(say: object = print) -> Plan:
    with transaction.atomic():
        plan = load_plan()
        DemoMarker.objects.update_or_create(pk=1, defaults={"description": "DATA CONTOH"})
    assert callable(say)
    say(f"plan: {plan.code}")
    for name, dotted_path in DEMO_STEPS:
        with transaction.atomic():
            summary = import_string(dotted_path)(plan)
        say(f"{name}: {summary}")
    return plan
