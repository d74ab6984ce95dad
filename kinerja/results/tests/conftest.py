"""Fixtures of the results tests: a small plan fed by manual values, and its people."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.results.actions import do_recompute
from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, put


@pytest.fixture
def uji(db: Any) -> Any:
    """Plan "uji" (2021–2023, baseline 2020) with values for the kecamatan and two kelurahan."""
    plan = load(COVERAGE, GROWTH, WAITING)
    for unit, served, registered in [("kel-satu", 20, 40), ("kel-dua", 10, 40)]:
        for year, extra in [("2020", 0), ("2021", 5)]:
            put(plan, "served", unit, year, served + extra)
            put(plan, "registered", unit, year, registered)
    put(plan, "waiting_days", "kec-uji", "2021", "6.5")
    do_recompute(plan, years=[2020, 2021])  # the years the tests read: keeps them fast
    return plan


@pytest.fixture
def staff(db: Any, django_user_model: Any) -> dict[str, Any]:
    """Users without passwords (force_login), holding roles in the "uji" units."""
    kec = OrgUnit.objects.get(code="kec-uji")
    city = OrgUnit.objects.get(code="kota-uji")
    other = OrgUnit.objects.create(code="kec-lain", name="Lain", level="kecamatan", parent=city)
    users = {}
    for name, role, unit in [
        ("planner", Role.PLANNER, kec),
        ("head", Role.HEAD, kec),
        ("operator", Role.KELURAHAN_OPERATOR, OrgUnit.objects.get(code="kel-satu")),
        ("outsider", Role.PLANNER, other),
    ]:
        users[name] = django_user_model.objects.create(username=name)
        Membership.objects.create(user=users[name], unit=unit, role=role)
    return users


@pytest.fixture
def staff_factory(db: Any, django_user_model: Any) -> Any:
    """A head of the plan's unit (one per call)."""
    made: list[Any] = []

    def make(plan: Any) -> Any:
        user = django_user_model.objects.create(username=f"head{len(made)}")
        Membership.objects.create(user=user, unit=plan.unit, role=Role.HEAD)
        made.append(user)
        return user

    return make
