"""An import is the batch form of the forms: the same rules, the same messages, the same audit.

Each case posts a record to the group or activity form, then imports a file whose row holds the
same values: the form's message on a field must be the importer's message on that row and
column. The audit trail of an import must name each record as saving it one by one does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from kinerja.accounts.models import OrgUnit
from kinerja.audit.chain import verify
from kinerja.audit.models import AuditEntry
from kinerja.community.actions import do_save_activity
from kinerja.community.importers import do_import, file_source
from kinerja.community.models import Activity, Group, GroupKind
from kinerja.lib import coremessages
from kinerja_core.errors import InputError

from .factories import make_group

pytestmark = pytest.mark.django_db

GROUP_HEADER = "code,name,kind,kelurahan,established,dissolved,chair,members,notes"
ACTIVITY_HEADER = "date,group_code,type,title,description"


def kinds() -> dict[str, int]:
    return {k.code: k.pk for k in GroupKind.objects.filter(city=None)}


def group_post(**changes: str) -> dict[str, Any]:
    base = {
        "code": "WNS-RT01",
        "name": "RT 01",
        "kind": kinds()["rt"],
        "kelurahan": OrgUnit.objects.get(code="kel-wonoasih").pk,
        "established": "2020-02-02",
        "dissolved": "",
        "chair": "",
        "member_count": "",
        "notes": "",
    }
    return {**base, **changes}


def group_row(post: dict[str, Any]) -> str:
    cells = [
        post["code"],
        post["name"],
        "RT",
        "Wonoasih",
        post["established"],
        post["dissolved"],
        post["chair"],
        post["member_count"],
        post["notes"],
    ]
    return ",".join(f'"{c}"' for c in cells)


def import_problems(tmp_path: Path, text: str, user: Any) -> list[str]:
    path = tmp_path / "registri.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        do_import(file_source(path), user=user)
    return coremessages.problem_texts(caught.value.problems)


# (what is wrong, the form's field, the file's column, the values changed)
GROUP_CASES = [
    ("control character", "name", "name", {"name": "RT\x0b01"}),
    ("NUL", "notes", "notes", {"notes": "catatan\x00"}),
    ("too long", "chair", "chair", {"chair": "Pak Slamet " * 20}),
    ("empty name", "name", "name", {"name": ""}),
    ("empty date", "established", "established", {"established": ""}),
    ("not a number", "member_count", "members", {"member_count": "banyak"}),
    ("beyond the column", "member_count", "members", {"member_count": "99999999999999999999"}),
    ("dissolved first", "dissolved", "dissolved", {"dissolved": "2019-01-01"}),
    ("code of another kelurahan", "code", "code", {"code": "PKJ-KT"}),
]


@pytest.mark.parametrize(
    ("field", "column", "changes"),
    [case[1:] for case in GROUP_CASES],
    ids=[case[0] for case in GROUP_CASES],
)
def test_a_group_the_form_refuses_is_refused_by_the_importer_with_its_message(
    people, login, tmp_path, field: str, column: str, changes: dict[str, str]
) -> None:
    make_group("PKJ-KT", date(2015, 1, 1), kind="karang-taruna", kelurahan="kel-pakistaji")
    operator = people["operator"]
    post = group_post(**changes)
    with translation.override("id"):
        page = login(operator).post(reverse("community:group_create"), post)
        assert page.status_code == 200
        said = page.context["form"].errors[field]
        found = import_problems(tmp_path, f"{GROUP_HEADER}\n{group_row(post)}\n", operator)
    assert found == [f"baris 2, kolom {column}: {message}" for message in said]
    assert Group.objects.count() == 1  # only Pakistaji's


def test_new_group_dates_that_leave_out_an_activity_are_refused_alike(
    people, login, tmp_path
) -> None:
    operator = people["operator"]
    group = make_group("WNS-RT01", date(2010, 1, 1))
    do_save_activity(
        None, Activity(date=date(2015, 6, 1), type="fostering", title="Rapat"), [group]
    )
    post = group_post(established="2016-01-01")
    with translation.override("id"):
        page = login(operator).post(reverse("community:group_edit", args=[group.pk]), post)
        (said,) = page.context["form"].errors["established"]
        found = import_problems(tmp_path, f"{GROUP_HEADER}\n{group_row(post)}\n", operator)
    assert said == "Kegiatan pada 2015-06-01 menjangkau kelompok ini di luar masa keberadaannya."
    assert found == [f"baris 2, kolom established: {said}"]
    group.refresh_from_db()
    assert group.established == date(2010, 1, 1)


# (what is wrong, the form's field, the values changed)
ACTIVITY_CASES = [
    ("before the group existed", "date", {"date": "2011-05-01"}),
    ("after it was dissolved", "date", {"date": "2023-07-01"}),
    ("outside the accepted days", "date", {"date": "1999-12-31"}),
    ("empty title", "title", {"title": ""}),
    ("too long", "title", {"title": "Pembinaan " * 31}),
    ("NUL", "description", {"description": "di\x00balai"}),
    ("control character", "description", {"description": "di\x0bbalai"}),
]


@pytest.mark.parametrize(
    ("field", "changes"),
    [case[1:] for case in ACTIVITY_CASES],
    ids=[case[0] for case in ACTIVITY_CASES],
)
def test_an_activity_the_form_refuses_is_refused_by_the_importer_with_its_message(
    people, login, tmp_path, field: str, changes: dict[str, str]
) -> None:
    group = make_group("WNS-KUBE", date(2012, 1, 1), date(2023, 6, 30), kind="kube")
    operator = people["operator"]
    post = {"date": "2020-03-05", "type": "fostering", "title": "Pembinaan", "description": ""}
    post.update(changes)
    url = reverse("community:activity_create") + "?kelurahan=kel-wonoasih&all=1"
    row = [post["date"], "WNS-KUBE", "pembinaan", post["title"], post["description"]]
    with translation.override("id"):
        page = login(operator).post(url, {**post, "groups": [group.pk]})
        assert page.status_code == 200
        said = page.context["form"].errors[field]
        text = f"{ACTIVITY_HEADER}\n" + ",".join(f'"{c}"' for c in row) + "\n"
        found = import_problems(tmp_path, text, operator)
    assert found == [f"baris 2, kolom {field}: {message}" for message in said]
    assert not Activity.objects.exists()


def entries(model: str) -> list[AuditEntry]:
    """The entries of the records of ``model`` (not the import's summary entry)."""
    found = AuditEntry.objects.filter(model=model).exclude(action=AuditEntry.Action.IMPORT)
    return list(found.order_by("seq"))


def shape(entry: AuditEntry) -> tuple[Any, ...]:
    """What an entry says about its record, without the record's own values."""
    return (
        entry.action,
        entry.actor_name,
        entry.model,
        entry.unit_path,
        tuple((side, tuple(sorted(values or {}))) for side, values in entry.changes.items()),
    )


def test_an_import_leaves_the_audit_entries_of_one_by_one_saves(people, login, tmp_path) -> None:
    operator = people["operator"]
    kelurahan = OrgUnit.objects.get(code="kel-wonoasih")
    login(operator).post(reverse("community:group_create"), group_post(code="WNS-RT09"))
    by_hand = Group.objects.get(code="WNS-RT09")
    (hand_entry,) = entries("community.group")
    assert hand_entry.object_id == str(by_hand.pk)

    groups = tmp_path / "kelompok.csv"
    groups.write_text(
        "code,name,kind,kelurahan,established\n"
        "WNS-RT01,RT 01,RT,Wonoasih,2020-02-02\n"
        "WNS-RT02,RT 02,RT,Wonoasih,2020-02-02\n",
        encoding="utf-8",
    )
    do_import(file_source(groups), user=operator)
    imported = {g.code: g for g in Group.objects.filter(code__in=["WNS-RT01", "WNS-RT02"])}
    created = entries("community.group")[1:]
    assert {(e.object_id, e.object_repr) for e in created} == {
        (str(g.pk), str(g)) for g in imported.values()
    }
    assert {shape(e) for e in created} == {shape(hand_entry)}

    groups.write_text(
        "code,name,kind,kelurahan,established\nWNS-RT01,RT 01 Baru,RT,Wonoasih,2020-02-02\n",
        encoding="utf-8",
    )
    do_import(file_source(groups), user=operator)
    changed = entries("community.group")[-1]
    assert (changed.action, changed.object_id) == ("change", str(imported["WNS-RT01"].pk))
    assert changed.changes == {"before": {"name": "RT 01"}, "after": {"name": "RT 01 Baru"}}

    activities = tmp_path / "kegiatan.csv"
    activities.write_text(
        f"{ACTIVITY_HEADER}\n2021-03-01,WNS-RT01,pembinaan,Rapat RT,\n", encoding="utf-8"
    )
    do_import(file_source(activities), user=operator)
    (activity_entry,) = entries("community.activity")
    activity = Activity.objects.get()
    assert (activity_entry.action, activity_entry.object_id) == ("create", str(activity.pk))
    assert activity_entry.unit_path == kelurahan.path
    activities.write_text(
        f"{ACTIVITY_HEADER}\n2021-03-01,WNS-RT01,pembinaan,Rapat RT,Di balai RW\n",
        encoding="utf-8",
    )
    do_import(file_source(activities), user=operator)
    described = entries("community.activity")[-1]
    assert described.changes == {
        "before": {"description": ""},
        "after": {"description": "Di balai RW"},
    }

    summaries = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert summaries.count() == 4
    checked, broken = verify()
    assert broken is None and checked == AuditEntry.objects.count()
