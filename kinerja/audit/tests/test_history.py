from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.audit.models import AuditEntry
from kinerja.plan.models import Target
from kinerja.test import WONOASIH_PLAN

pytestmark = pytest.mark.django_db


def upload(client, text: str) -> None:
    """Upload, then confirm the difference shown, as a planner changing a stored plan does."""
    response = client.post(
        reverse("plan:upload"), {"file": SimpleUploadedFile("p.yaml", text.encode()), "store": "on"}
    )
    assert response.status_code == 200 and response.context["confirm"]
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("plan:upload"),
        {"text": confirm["text"].value(), "digest": confirm["digest"].value(), "store": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def changed_plan(old: str, new: str) -> str:
    text = WONOASIH_PLAN.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_it_shows_who_when_before_and_after_of_a_planners_target_change(people, login):
    client = login(people["planner"])
    target = Target.objects.get(indicator__code="S1.1", year=2024, quarter=0)
    upload(client, changed_plan("        2024: 40\n", "        2024: 45\n"))
    entry = AuditEntry.objects.get(model="plan.target", object_id=str(target.pk), action="change")
    assert entry.actor_name == "perencana" and entry.actor == people["planner"]
    assert entry.changes == {"before": {"value": "40.0000"}, "after": {"value": "45.0000"}}
    assert entry.ip == "127.0.0.1"

    page = client.get(reverse("accounts:object_history", args=["plan.target", target.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "perencana" in html and "<del>40.0000</del>" in html and "<ins>45.0000</ins>" in html
    assert entry.at.astimezone().strftime("%H.%M") in html or "WIB" in html

    log = client.get(reverse("accounts:audit_log"), {"model": "plan.target", "action": "change"})
    assert "perencana" in log.content.decode()
    assert list(log.context["entries"]) == [entry]


def test_it_keeps_a_deleted_record_in_the_log(people, login):
    client = login(people["planner"])
    target = Target.objects.get(indicator__code="T2.1", year=2024, quarter=0)
    target._history_user = people["planner"]  # type: ignore[attr-defined]  # read by django-simple-history on save
    pk = target.pk
    target.delete()
    assert not Target.objects.filter(pk=pk).exists()
    log = client.get(reverse("accounts:audit_log"), {"action": "delete"})
    entries = list(log.context["entries"])
    assert [(e.object_id, e.actor_name) for e in entries] == [(str(pk), "perencana")]
    assert entries[0].changes["before"]["value"] == "88.6000"
    page = client.get(reverse("accounts:object_history", args=["plan.target", pk]))
    assert page.status_code == 200 and page.context["deleted"]


def test_it_exports_the_filtered_log(people, login):
    client = login(people["head"])
    response = client.get(reverse("accounts:audit_log"), {"model": "plan.goal", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["seq", "at_utc", "user", "action"]
    assert {r[4] for r in rows[1:]} == {"plan.goal"} and len(rows) == 3
    xlsx = client.get(reverse("accounts:audit_log"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_it_shows_an_operator_only_their_kelurahan_and_refuses_others_records(people, login):
    from datetime import date

    from kinerja.community.tests.factories import make_group

    make_group("RT-01", date(2015, 1, 1))
    make_group("RT-02", date(2015, 1, 1), kelurahan="kel-pakistaji")
    target = Target.objects.filter(indicator__code="S1.1").first()
    assert target is not None
    kel = "/kota-probolinggo/kec-wonoasih/kel-wonoasih/"
    log = login(people["operator"]).get(reverse("accounts:audit_log"))
    shown = {e.object_repr for e in log.context["entries"]}
    assert "RT-01 · Kelompok RT-01" in shown and "RT-02 · Kelompok RT-02" not in shown
    assert len(shown) == AuditEntry.objects.filter(unit_path__startswith=kel).count()
    seen = login(people["outsider"]).get(reverse("accounts:audit_log")).context["entries"]
    assert seen and all("/kel-pilang/" in e.unit_path for e in seen)
    outsider = login(people["outsider"])
    url = reverse("accounts:object_history", args=["plan.target", target.pk])
    assert outsider.get(url).status_code == 403
    assert AuditEntry.objects.filter(action="access_refused", actor_name="outsider").exists()


def test_it_scopes_the_log_to_the_users_units(people, login):
    from kinerja.accounts.models import OrgUnit, Role
    from kinerja.test import make_user

    viewer = make_user("inspektur", Role.VIEWER, OrgUnit.objects.get(code="kec-kademangan"))
    log = login(viewer).get(reverse("accounts:audit_log"))
    assert log.status_code == 200
    assert {e.object_repr for e in log.context["entries"]} >= {
        "Kecamatan Kademangan",
        "Kelurahan Pilang",
    }
    assert all(
        e.unit_path.startswith("/kota-probolinggo/kec-kademangan/") for e in log.context["entries"]
    )
    assert "kec-wonoasih" not in "".join(e.unit_path for e in log.context["entries"])


def test_it_refuses_anonymous_users(client, wonoasih):
    response = client.get(reverse("accounts:audit_log"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_keeps_a_deleted_group_in_the_log_with_who_and_what(people, login):
    from datetime import date

    from kinerja.community.actions import do_save_group
    from kinerja.community.models import Group, GroupKind

    operator = people["operator"]
    group = Group(
        code="PKK-01",
        name="TP PKK Wonoasih",
        kind=GroupKind.objects.filter(city=None).first(),
        kelurahan=OrgUnit.objects.get(code="kel-wonoasih"),
        established=date(2019, 5, 1),
    )
    group._history_user = operator  # type: ignore[attr-defined]  # read by django-simple-history on save
    do_save_group(operator, group)
    pk = group.pk
    group._history_user = operator  # type: ignore[attr-defined]  # read by django-simple-history on save
    group._change_reason = "dibubarkan, digabung ke PKK kelurahan"  # type: ignore[attr-defined]  # read by django-simple-history on save
    group.delete()

    client = login(people["head"])
    log = client.get(reverse("accounts:audit_log"), {"model": "community.group"})
    entries = list(log.context["entries"])
    assert [e.action for e in entries] == ["delete", "create"]
    deleted = entries[0]
    assert deleted.actor_name == "operator" and deleted.object_id == str(pk)
    assert deleted.changes["before"]["name"] == "TP PKK Wonoasih"
    assert deleted.reason == "dibubarkan, digabung ke PKK kelurahan"
    assert deleted.unit_path == "/kota-probolinggo/kec-wonoasih/kel-wonoasih/"
    page = client.get(reverse("accounts:object_history", args=["community.group", pk]))
    assert "TP PKK Wonoasih" in page.content.decode() and page.context["deleted"]
    assert (
        login(people["outsider"])
        .get(reverse("accounts:object_history", args=["community.group", pk]))
        .status_code
        == 403
    )


def test_a_renamed_models_earlier_entries_stay_in_its_history(people, login):
    """Entries keep the record type they were hashed with: after the quarterly narrative's
    rename, its entries written as "monitoring.narrative" are shown with the new ones."""
    from kinerja.audit.chain import append
    from kinerja.audit.tracked import labels_of
    from kinerja.monitoring.actions import do_save_quarter_narrative
    from kinerja.monitoring.rules import NarrativeText
    from kinerja.plan.models import Indicator, Plan

    plan = Plan.objects.get(unit__code="kec-wonoasih")
    s11 = Indicator.objects.get(plan=plan, code="S1.1")
    row = do_save_quarter_narrative(
        people["planner"], plan, plan.unit, 2024, 1, s11, NarrativeText("a", "b", "c")
    )
    assert (
        labels_of("monitoring.narrative")
        == labels_of("monitoring.quarternarrative")
        == [
            "monitoring.quarternarrative",
            "monitoring.narrative",
        ]
    )
    old = append(
        AuditEntry.Action.CHANGE,
        model="monitoring.narrative",
        object_id=str(row.pk),
        object_repr="sebelum berganti nama",
        unit_path=plan.unit.path,
        changes={"before": {"drivers": "lama"}, "after": {"drivers": "a"}},
    )
    client = login(people["planner"])
    for label in ("monitoring.quarternarrative", "monitoring.narrative"):
        page = client.get(reverse("accounts:object_history", args=[label, row.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and "<del>lama</del>" in html
        assert "faktor pendorong" in html  # the field's name, from the model as it is now
    log = client.get(reverse("accounts:audit_log"), {"model": "monitoring.quarternarrative"})
    assert old in list(log.context["entries"])


def test_signatories_signing_dates_and_lkjip_narratives_are_named_in_indonesian(people, login):
    from datetime import date

    from kinerja.reports.actions import SignatoryInput, do_save_signatory

    unit = OrgUnit.objects.get(code="kec-wonoasih")
    signatory = do_save_signatory(
        people["planner"],
        unit,
        SignatoryInput(
            "superior", "Budi Santoso", "", "Pembina (IV/a)", "Wali Kota", date(2024, 1, 1)
        ),
    )
    client = login(people["planner"])
    log = client.get(reverse("accounts:audit_log"))
    choices = dict(log.context["form"].fields["model"].choices)
    assert choices["reports.signatory"] == "Penanda tangan"
    assert choices["reports.signingdate"] == "Tanggal penandatanganan"
    assert choices["reports.lkjipnarrative"] == "Narasi LKjIP"
    page = client.get(reverse("accounts:object_history", args=["reports.signatory", signatory.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Budi Santoso" in html
    for label in ("penanda tangan", "berlaku mulai", "pangkat/golongan", "jabatan", "peran"):
        assert label in html.lower(), label
    for english in ("Signatory", "valid from", "valid_from", "valid until", ">rank<", ">position<"):
        assert english not in html, english
