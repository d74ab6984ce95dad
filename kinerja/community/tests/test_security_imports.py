"""Attack regressions: registry imports stay inside the importer's own kelurahan."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import OrgUnit, Role
from kinerja.community.actions import do_save_activity
from kinerja.community.importers import do_import, file_source
from kinerja.community.models import Activity, ActivityGroup, Group, GroupKind
from kinerja.lib import coremessages
from kinerja.lib.tests.hostile import zip_bomb_xlsx
from kinerja.test import make_user
from kinerja_core.errors import InputError

from .factories import make_group

pytestmark = pytest.mark.django_db


def test_it_keeps_another_kelurahan_activity_out_of_an_activities_import(
    people, login, client
) -> None:
    """A Pakistaji operator's one-row CSV with the (date, type, title) of a Wonoasih activity."""
    wonoasih_group = make_group("WNS-PKK", date(2012, 1, 1), kind="pkk")
    pakistaji_group = make_group(
        "PKJ-KT", date(2015, 1, 1), kind="karang-taruna", kelurahan="kel-pakistaji"
    )
    operator = people["operator"]
    activity = do_save_activity(
        operator,
        Activity(
            date=date(2024, 3, 5), type="fostering", title="Pembinaan kader", description="Balai RW"
        ),
        [wonoasih_group],
        [SimpleUploadedFile("daftar-hadir.pdf", b"%PDF-1.7\nrahasia\n")],
    )
    evidence = activity.evidence.get()
    pakistaji = make_user(
        "operator.pakistaji", Role.KELURAHAN_OPERATOR, OrgUnit.objects.get(code="kel-pakistaji")
    )

    upload = SimpleUploadedFile(
        "kegiatan.csv",
        b"date,group_code,type,title,description\n"
        b"2024-03-05,PKJ-KT,pembinaan,Pembinaan kader,Diambil alih\n",
    )
    client = login(pakistaji)
    checked = client.post(reverse("community:import"), {"file": upload, "kind": "activities"})
    page = client.post(checked.context["confirm_url"], {"confirm": "1"})
    assert page.status_code == 200 and page.context["report"].created == 1

    activity.refresh_from_db()
    assert activity.description == "Balai RW"
    assert list(activity.groups.all()) == [wonoasih_group]
    theirs = Activity.objects.exclude(pk=activity.pk).get()
    assert (theirs.description, list(theirs.groups.all())) == ("Diambil alih", [pakistaji_group])
    assert ActivityGroup.objects.count() == 2
    assert client.get(reverse("community:evidence", args=[evidence.pk])).status_code == 403

    client.force_login(operator)
    page = client.get(reverse("community:activity_edit", args=[activity.pk]))
    assert page.status_code == 200 and "form" in page.context
    assert client.get(reverse("community:evidence", args=[evidence.pk])).status_code == 200


def test_it_refuses_a_registry_xlsx_zip_bomb(people, tmp_path) -> None:
    path = tmp_path / "kelompok.xlsx"
    path.write_bytes(zip_bomb_xlsx(3))
    with pytest.raises(InputError) as caught:
        do_import(file_source(path), user=people["operator"])
    assert "bagian xl/sharedStrings.xml dari berkas XLSX" in coremessages.error_text(caught.value)


def test_it_names_the_row_and_column_of_a_csv_cell_over_128_kb(people, tmp_path) -> None:
    make_group("WNS-PKK", date(2012, 1, 1), kind="pkk")
    path = tmp_path / "kegiatan.csv"
    path.write_text(
        "date,group_code,type,title,description\n"
        "2024-03-05,WNS-PKK,pembinaan,Pembinaan kader,ok\n"
        f'2024-03-06,WNS-PKK,pembinaan,Pembinaan kader,"{"rapat " * 25_000}"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        do_import(file_source(path), user=people["operator"])
    assert (
        coremessages.error_text(caught.value)
        == "baris 3, kolom description: lebih dari 65536 byte dalam satu sel"
    )
    assert not Activity.objects.exists()


def refused(path, user) -> list[str]:
    with pytest.raises(InputError) as caught:
        do_import(file_source(path), user=user)
    return coremessages.problem_texts(caught.value.problems)


def test_it_refuses_nul_control_characters_and_over_long_text(people, tmp_path) -> None:
    """NUL and text beyond a column's length gave a 500 on PostgreSQL; \\x0b broke the export.

    Each is refused with the message the group or activity form gives (test_same_rules.py)."""
    groups = tmp_path / "kelompok.csv"
    groups.write_text(
        "code,name,kind,kelurahan,established,chair,notes\n"
        "WNS-01,RW\x0b01,RW,Wonoasih,2010-01-01,,\n"
        f"WNS-02,RW 02,RW,Wonoasih,2010-01-01,{'Pak Slamet ' * 20},\n"
        "WNS-03,RW 03,RW,Wonoasih,2010-01-01,,catatan\x00\n",
        encoding="utf-8",
    )
    assert refused(groups, people["operator"]) == [
        "baris 2, kolom name: berisi karakter kendali U+000B yang tidak terlihat; "
        "hapus karakter itu",
        "baris 3, kolom chair: Pastikan nilai ini mengandung paling banyak 200 karakter "
        "(sekarang 219 karakter).",
        "baris 4, kolom notes: Karakter null tidak diizinkan.",
    ]
    assert not Group.objects.exists()

    make_group("WNS-PKK", date(2012, 1, 1), kind="pkk")
    activities = tmp_path / "kegiatan.csv"
    activities.write_text(
        "date,group_code,type,title,description\n"
        f"2024-03-05,WNS-PKK,pembinaan,{'Pembinaan ' * 31},\n"
        "2024-03-05,WNS-PKK,pembinaan,Pembinaan kader,di\x00balai\n",
        encoding="utf-8",
    )
    assert refused(activities, people["operator"]) == [
        "baris 2, kolom title: Pastikan nilai ini mengandung paling banyak 300 karakter "
        "(sekarang 309 karakter).",
        "baris 3, kolom description: Karakter null tidak diizinkan.",
    ]
    assert not Activity.objects.exists()


def test_it_refuses_activity_dates_out_of_bounds(people, tmp_path, settings) -> None:
    make_group("WNS-PKK", date(1990, 1, 1), kind="pkk")
    path = tmp_path / "kegiatan.csv"
    path.write_text(
        "date,group_code,type,title\n"
        "0001-01-01,WNS-PKK,pembinaan,Pembinaan kader\n"
        "2099-01-01,WNS-PKK,pembinaan,Pembinaan kader\n"
        "1999-12-31,WNS-PKK,pembinaan,Pembinaan kader\n",
        encoding="utf-8",
    )
    today = timezone.localdate().isoformat()
    assert refused(path, people["operator"]) == [
        f"baris {row}, kolom date: tanggal {day} di luar rentang 2000-01-01 s.d. {today}"
        for row, day in [(2, "0001-01-01"), (3, "2099-01-01"), (4, "1999-12-31")]
    ]
    settings.KINERJA_EARLIEST_YEAR = 1999
    path.write_text("date,group_code,type,title\n1999-12-31,WNS-PKK,pembinaan,Pembinaan kader\n")
    assert do_import(file_source(path), user=people["operator"]).created == 1


def test_it_refuses_control_characters_and_dates_out_of_bounds_in_the_forms(people, login) -> None:
    client = login(people["operator"])
    kelurahan = OrgUnit.objects.get(code="kel-wonoasih")
    group = {
        "code": "WNS-RT01",
        "name": "RT\x0b01",
        "kind": GroupKind.objects.get(code="rt", city=None).pk,
        "kelurahan": kelurahan.pk,
        "established": "2020-02-02",
    }
    page = client.post(reverse("community:group_create"), group)
    assert page.status_code == 200 and not Group.objects.exists()
    assert page.context["form"].errors["name"] == [
        "berisi karakter kendali U+000B yang tidak terlihat; hapus karakter itu"
    ]
    pkk = make_group("WNS-PKK", date(1990, 1, 1), kind="pkk")
    url = reverse("community:activity_create") + "?kelurahan=kel-wonoasih"
    today = timezone.localdate().isoformat()
    for day in ["0001-01-01", "2099-01-01"]:
        fields = {"date": day, "type": "fostering", "title": "Pembinaan PKK", "groups": [pkk.pk]}
        page = client.post(url, fields)
        assert page.status_code == 200 and not Activity.objects.exists()
        assert page.context["form"].errors["date"] == [
            f"tanggal {day} di luar rentang 2000-01-01 s.d. {today}"
        ]
