"""Test personas and helpers shared by every app's tests (see conftest.py for the fixtures).

Personas: an administrator (superuser), a planner and a unit head of Kecamatan Wonoasih, a
kelurahan operator of Kelurahan Wonoasih, and an outsider: an operator of another kecamatan's
kelurahan, who must be refused everywhere in Wonoasih.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.db.routing import REPLICA
from kinerja.plan.actions import do_load_plan_text
from kinerja.plan.models import Plan

PASSWORD = "persona-password-1"  # noqa: S105 - test-only
WONOASIH_PLAN = Path(settings.BASE_DIR) / "plans" / "wonoasih-2020-2024.yaml"


def load_wonoasih() -> Plan:
    return do_load_plan_text(WONOASIH_PLAN.read_text(encoding="utf-8"))


def make_user(
    username: str, role: str | None = None, unit: OrgUnit | None = None, superuser: bool = False
) -> User:
    user = User.objects.create_user(
        username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    if role is not None and unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def other_kecamatan() -> OrgUnit:
    """Kecamatan Kademangan with one kelurahan: the outsider's home (created on demand)."""
    city = OrgUnit.objects.get(code="kota-probolinggo")
    kec, _ = OrgUnit.objects.get_or_create(
        code="kec-kademangan", defaults={"name": "Kademangan", "level": "kecamatan", "parent": city}
    )
    OrgUnit.objects.get_or_create(
        code="kel-pilang", defaults={"name": "Pilang", "level": "kelurahan", "parent": kec}
    )
    return kec


def personas() -> dict[str, User]:
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    kel = OrgUnit.objects.get(code="kel-wonoasih")
    other_kecamatan()
    pilang = OrgUnit.objects.get(code="kel-pilang")
    return {
        "admin": make_user("admin", superuser=True),
        "planner": make_user("perencana", Role.PLANNER, kec),
        "head": make_user("camat", Role.HEAD, kec),
        "operator": make_user("operator", Role.KELURAHAN_OPERATOR, kel),
        "outsider": make_user("outsider", Role.KELURAHAN_OPERATOR, pilang),
    }


def log_in(page: Any, url: str, username: str, password: str = PASSWORD) -> None:
    """Log a browser page (Playwright) in as ``username``: open ``url``, the log-in page or a page
    that asks to log in first and comes back after it, send the form and wait for the page it
    leads to. A refused log-in (the form again) fails here, naming the user."""
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button.primary")
    assert urlsplit(page.url).path != reverse("login"), f"{username} could not log in"


def statements(action: Callable[[], object]) -> dict[str, list[str]]:
    """The SQL ``action`` sent to the primary and to the replica (the ``replica`` fixture)."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        action()
    return {
        DEFAULT_DB_ALIAS: [q["sql"] for q in primary.captured_queries],
        REPLICA: [q["sql"] for q in replica.captured_queries],
    }
