"""A year's realisation on its way to a lock: the planner submits, the unit head returns it with
a note or approves it, and only an approved year can be locked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.audit.models import AuditEntry
from kinerja.results.actions import (
    do_approve_year,
    do_lock_year,
    do_return_year,
    do_submit_year,
)
from kinerja.results.models import YearApproval, YearLock

pytestmark = pytest.mark.django_db

State = YearApproval.State


def status(plan: Any, year: int = 2021) -> str | None:
    row = YearApproval.objects.filter(plan=plan, year=year).first()
    return row.status if row is not None else None


def url(name: str, plan: Any, year: int = 2021) -> str:
    return reverse(f"results:{name}", args=[plan.code, year])


def year_card(client: Any, plan: Any, year: int = 2021) -> str:
    page: str = client.get(reverse("results:locks", args=[plan.code])).content.decode()
    return page.split(f'id="year-{year}"')[1].split("</section>")[0]


def test_it_runs_a_year_from_submission_through_a_return_to_approval_and_lock(
    uji, staff, login
) -> None:
    planner, head = staff["planner"], staff["head"]
    client = login(planner)
    card = year_card(client, uji)
    assert "Ajukan untuk disetujui" in card and "draf" in card
    assert "Setujui" not in card  # a planner does not approve
    assert "dapat dikunci setelah realisasinya disetujui" in card  # no lock button yet
    assert f'"{url("lock_year", uji)}"' not in card

    client.post(url("submit_year", uji), {"note": "Data triwulan IV lengkap"})
    assert status(uji) == State.SUBMITTED
    assert client.post(url("approve_year", uji)).status_code == 403  # not the planner's to do

    client = login(head)
    card = year_card(client, uji)
    assert "Data triwulan IV lengkap" in card and "diajukan" in card
    assert url("approve_year", uji) in card and url("return_year", uji) in card
    client.post(url("return_year", uji), {"note": "  "})  # a return needs a note
    assert status(uji) == State.SUBMITTED
    client.post(url("return_year", uji), {"note": "Nilai Kelurahan Dua belum diverifikasi"})
    assert status(uji) == State.RETURNED

    client = login(planner)
    card = year_card(client, uji)
    assert "Nilai Kelurahan Dua belum diverifikasi" in card and "Ajukan kembali" in card
    client.post(url("lock_year", uji))  # returned: not lockable
    assert not YearLock.objects.filter(plan=uji, year=2021).exists()
    client.post(url("submit_year", uji), {"note": "Sudah diverifikasi"})
    assert status(uji) == State.SUBMITTED

    login(head).post(url("approve_year", uji), {"note": ""})
    row = YearApproval.objects.get(plan=uji, year=2021)
    assert (row.status, row.submitted_by, row.decided_by) == (State.APPROVED, planner, head)

    # The planner locks an approved year (docs/rules.md#year-approval-and-locks).
    client = login(planner)
    assert f'"{url("lock_year", uji)}"' in year_card(client, uji)
    client.post(url("lock_year", uji))
    assert YearLock.objects.get(plan=uji, year=2021).locked_by == planner
    card = year_card(client, uji)
    assert "Riwayat persetujuan" in card and url("submit_year", uji) not in card

    # Every step is in the row's history and the audit chain: who, which state, the note.
    steps = list(row.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]  # the manager django-simple-history adds
    assert [(s.status, s.history_user, s.history_change_reason) for s in steps] == [
        (State.SUBMITTED, planner, "Data triwulan IV lengkap"),
        (State.RETURNED, head, "Nilai Kelurahan Dua belum diverifikasi"),
        (State.SUBMITTED, planner, "Sudah diverifikasi"),
        (State.APPROVED, head, ""),
    ]
    logged = AuditEntry.objects.filter(model="results.yearapproval").order_by("seq")
    assert [e.actor for e in logged] == [planner, head, planner, head]
    assert logged[1].reason == "Nilai Kelurahan Dua belum diverifikasi"
    assert logged[1].changes["after"]["status"] == State.RETURNED
    assert logged[1].unit_path == uji.unit.path


def test_it_refuses_to_lock_a_year_before_the_head_approves_it(uji, staff) -> None:
    planner, head = staff["planner"], staff["head"]
    message = "belum dapat dikunci sebelum realisasinya disetujui kepala unit"
    with pytest.raises(ValidationError, match=message):
        do_lock_year(uji, 2021, head)  # draft
    do_submit_year(uji, 2021, planner)
    with pytest.raises(ValidationError, match=message):
        do_lock_year(uji, 2021, head)  # submitted
    do_return_year(uji, 2021, head, "Periksa lagi")
    with pytest.raises(ValidationError, match=message):
        do_lock_year(uji, 2021, head)  # returned
    assert not YearLock.objects.exists()
    # Approval belongs to its year: 2021 approved does not open 2022.
    do_submit_year(uji, 2021, planner)
    do_approve_year(uji, 2021, head)
    with pytest.raises(ValidationError, match=message):
        do_lock_year(uji, 2022, head)
    assert do_lock_year(uji, 2021, head).year == 2021


def test_it_lets_each_step_start_only_from_its_states(uji, staff) -> None:
    planner, head = staff["planner"], staff["head"]
    with pytest.raises(ValidationError):
        do_approve_year(uji, 2021, head)  # nothing submitted
    with pytest.raises(ValidationError):
        do_return_year(uji, 2021, head, "x")
    do_submit_year(uji, 2021, planner)
    with pytest.raises(ValidationError):
        do_submit_year(uji, 2021, planner)  # already submitted
    with pytest.raises(ValidationError):
        do_approve_year(uji, 2030, head)  # not a year of the plan
    do_approve_year(uji, 2021, head)
    with pytest.raises(ValidationError):
        do_approve_year(uji, 2021, head)  # already approved
    # An error found before the lock: the head returns the approved year, which withdraws it.
    do_return_year(uji, 2021, head, "Salah ketik pada I1")
    assert status(uji) == State.RETURNED
    with pytest.raises(ValidationError):
        do_lock_year(uji, 2021, head)
    do_submit_year(uji, 2021, planner)
    do_approve_year(uji, 2021, head)
    do_lock_year(uji, 2021, planner)
    # Once locked, the approval stays as it was.
    with pytest.raises(ValidationError, match="sudah dikunci"):
        do_return_year(uji, 2021, head, "Terlambat")
    assert status(uji) == State.APPROVED


def test_it_checks_the_role_in_the_actions_too(uji, staff) -> None:
    """Commands and the API call the actions directly: the rule cannot live in views only."""
    with pytest.raises(PermissionDenied):
        do_submit_year(uji, 2021, staff["head"])  # a head approves, a planner submits
    with pytest.raises(PermissionDenied):
        do_submit_year(uji, 2021, staff["operator"])  # kelurahan operator below the plan's unit
    do_submit_year(uji, 2021, staff["planner"])
    for user in (staff["planner"], staff["operator"], staff["outsider"]):
        with pytest.raises(PermissionDenied):
            do_approve_year(uji, 2021, user)
        with pytest.raises(PermissionDenied):
            do_return_year(uji, 2021, user, "x")
    assert status(uji) == State.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "operator"])
def test_it_refuses_an_outsider_and_an_operator_on_each_post(uji, staff, login, who) -> None:
    do_submit_year(
        uji, 2021, staff["planner"]
    )  # approvable and returnable: only the role is missing
    client = login(staff[who])
    for name in ("submit_year", "approve_year", "return_year", "lock_year"):
        response = client.post(url(name, uji), {"note": "Dicoba oleh yang tidak berhak"})
        assert response.status_code == 403, name
    row = YearApproval.objects.get(plan=uji, year=2021)
    assert (row.status, row.note) == (State.SUBMITTED, "")
    assert not YearLock.objects.exists()
    # Neither reads the kecamatan's lock page (the operator's role covers one kelurahan only).
    assert client.get(reverse("results:locks", args=[uji.code])).status_code == 403


def test_it_accepts_only_posts(uji, staff, login) -> None:
    client = login(staff["planner"])
    for name in ("submit_year", "approve_year", "return_year"):
        assert client.get(url(name, uji)).status_code == 405
    assert status(uji) is None


def test_it_refuses_anonymous_users(client, uji) -> None:
    for name in ("submit_year", "approve_year", "return_year"):
        response = client.post(url(name, uji), {"note": "x"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert status(uji) is None


def test_it_keeps_a_long_note_whole_while_the_history_reason_is_cut(uji, staff) -> None:
    note = "Catatan panjang. " * 30
    do_submit_year(uji, 2021, staff["planner"])
    row = do_return_year(uji, 2021, staff["head"], note)
    row.refresh_from_db()
    assert row.note == note.strip()
    assert row.history.first().history_change_reason == note.strip()[:100]  # type: ignore[attr-defined]  # the manager django-simple-history adds
