"""Separation of duties on a year's way to its lock: one administrator alone could submit,
approve and lock a year; and the lock did not check who locks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.audit.models import AuditEntry
from kinerja.results.actions import do_approve_year, do_lock_year, do_submit_year
from kinerja.results.models import YearApproval, YearLock

pytestmark = pytest.mark.django_db

State = YearApproval.State
REFUSAL_ID = "Tahun 2021 Anda ajukan sendiri: persetujuannya harus oleh orang lain"


@pytest.fixture
def admin(django_user_model: Any) -> Any:
    return django_user_model.objects.create(username="admin", is_superuser=True)


def status(plan: Any) -> str:
    return YearApproval.objects.get(plan=plan, year=2021).status


def test_it_refuses_an_approval_by_the_submitter(uji, admin) -> None:
    do_submit_year(uji, 2021, admin)
    with pytest.raises(ValidationError, match=REFUSAL_ID):
        do_approve_year(uji, 2021, admin)
    assert status(uji) == State.SUBMITTED
    with pytest.raises(ValidationError):
        do_lock_year(uji, 2021, admin)  # so no lock either
    assert not YearLock.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SELF_APPROVAL).exists()


def test_it_lets_another_person_approve(uji, admin, staff) -> None:
    do_submit_year(uji, 2021, admin)
    do_approve_year(uji, 2021, staff["head"])
    assert do_lock_year(uji, 2021, admin).locked_by == admin


def test_it_shows_the_refusal_on_the_results_page(uji, admin, login) -> None:
    client = login(admin)
    client.post(reverse("results:submit_year", args=[uji.code, 2021]), {"note": "siap"})
    page = client.get(reverse("results:locks", args=[uji.code])).content.decode()
    card = page.split('id="year-2021"')[1].split("</section>")[0]
    assert REFUSAL_ID in card  # said before anyone presses a button
    assert reverse("results:approve_year", args=[uji.code, 2021]) not in card
    response = client.post(
        reverse("results:approve_year", args=[uji.code, 2021]), {"note": ""}, follow=True
    )
    assert REFUSAL_ID in response.content.decode()
    assert status(uji) == State.SUBMITTED


def test_it_allows_self_approval_in_a_one_person_office_and_logs_it(uji, admin, settings) -> None:
    settings.KINERJA_ALLOW_SELF_APPROVAL = True
    do_submit_year(uji, 2021, admin)
    do_approve_year(uji, 2021, admin, "kantor satu orang")
    assert status(uji) == State.APPROVED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SELF_APPROVAL)
    assert entry.actor == admin and entry.unit_path == uji.unit.path
    assert "KINERJA_ALLOW_SELF_APPROVAL" in entry.reason
    assert entry.changes == {"plan": uji.code, "year": 2021, "submitted_by": "admin"}


def test_it_checks_access_when_locking(uji, staff) -> None:
    do_submit_year(uji, 2021, staff["planner"])
    do_approve_year(uji, 2021, staff["head"])
    for user in (staff["outsider"], staff["operator"], None):
        with pytest.raises(PermissionDenied):
            do_lock_year(uji, 2021, user)
    assert not YearLock.objects.exists()
    assert do_lock_year(uji, 2021, staff["planner"]).locked_by == staff["planner"]
