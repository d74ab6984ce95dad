"""Who changed a signatory, a signing date or an LKjIP narrative, and who issued what, is in the
audit trail; the admin shows issued documents but never lets anyone change or remove one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEntry
from kinerja.reports.actions import (
    SignatoryInput,
    do_end_signatory,
    do_issue_document,
    do_save_lkjip_narrative,
    do_save_signatory,
    do_save_signing_date,
)

pytestmark = pytest.mark.django_db

HEAD = SignatoryInput(
    "head", "Drs. Lama Sekali", "197003151995031002", "Pembina", "Camat Uji", date(2019, 1, 2)
)


def test_signatories_and_signing_dates_keep_their_history(uji) -> None:
    head = do_save_signatory(None, uji.unit, HEAD)
    do_end_signatory(None, head, date(2022, 6, 30))
    do_save_signing_date(None, uji.unit, "pk", 2022, date(2022, 1, 14), "Uji")
    signing = do_save_signing_date(None, uji.unit, "pk", 2022, date(2022, 1, 20), "Uji")
    heads = head.history.order_by("history_date")  # type: ignore[attr-defined]  # simple-history
    signings = signing.history.order_by("history_date")  # type: ignore[attr-defined]
    assert [h.valid_to for h in heads] == [None, date(2022, 6, 30)]
    assert [h.date for h in signings] == [
        date(2022, 1, 14),
        date(2022, 1, 20),
    ]
    for model, pk in (("reports.signatory", head.pk), ("reports.signingdate", signing.pk)):
        entries = AuditEntry.objects.filter(model=model, object_id=str(pk))
        assert set(entries.values_list("action", flat=True)) == {"create", "change"}
        assert {e.unit_path for e in entries} == {uji.unit.path}


@pytest.mark.usefixtures("signed")
def test_an_issued_document_is_in_the_trail_and_read_only_in_the_admin(
    uji, staff, settings, admin_client
) -> None:
    settings.KINERJA_PUBLIC_URL = "https://kinerja.contoh.go.id"
    document = do_issue_document(staff["head"], uji, "pk", 2022)
    entry = AuditEntry.objects.get(model="reports.issueddocument", object_id=str(document.pk))
    assert entry.action == "create" and entry.unit_path == uji.unit.path
    change = reverse("admin:reports_issueddocument_change", args=[document.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and document.number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(change, {"number": "X"}).status_code == 403
    assert admin_client.get(reverse("admin:reports_issueddocument_add")).status_code == 403
    delete = reverse("admin:reports_issueddocument_delete", args=[document.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    document.refresh_from_db()
    assert document.number == "PK/kec-uji/2022/V1"
    listing = admin_client.get(reverse("admin:reports_signatory_changelist"))
    assert listing.status_code == 200 and "Drs. Penanda Tangan" in listing.content.decode()


def test_an_lkjip_narrative_leaves_an_entry_naming_who_wrote_changed_and_removed_it(
    uji, staff
) -> None:
    planner = staff["planner"]
    do_save_lkjip_narrative(planner, uji.unit, 2021, "causes", "Petugas loket bertambah.", "I1")
    narrative = do_save_lkjip_narrative(planner, uji.unit, 2021, "causes", "Loket keliling.", "I1")
    assert narrative is not None
    do_save_lkjip_narrative(planner, uji.unit, 2021, "causes", "", "I1")
    entries = AuditEntry.objects.filter(model="reports.lkjipnarrative", object_id=str(narrative.pk))
    assert [e.action for e in entries.order_by("seq")] == ["create", "change", "delete"]
    assert {e.actor_name for e in entries} == {"planner"}
    assert {e.unit_path for e in entries} == {uji.unit.path}
    change = entries.get(action="change").changes
    assert change["before"]["text"] == "Petugas loket bertambah."
    assert change["after"]["text"] == "Loket keliling."
    # the command line (no user) is logged without a name
    do_save_lkjip_narrative(None, uji.unit, 2021, "issues", "Isu strategis.")
    assert AuditEntry.objects.filter(model="reports.lkjipnarrative").latest("seq").actor_name == ""
