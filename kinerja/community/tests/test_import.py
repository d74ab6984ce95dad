from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kinerja.community.exports import export_bytes
from kinerja.community.importers import do_import, file_source
from kinerja.community.models import Activity, ActivityGroup, Group
from kinerja.lib import coremessages
from kinerja.test import other_kecamatan
from kinerja_core.errors import InputError

from .factories import make_group

pytestmark = pytest.mark.django_db

GROUPS = """code,name,kind,kelurahan,established,dissolved,chair,members
WNS-RW01,RW 01 Wonoasih,RW,Wonoasih,2010-01-01,,Pak Slamet,120
WNS-PKK,TP PKK Wonoasih,tp pkk,kel-wonoasih,2012-05-01,,Bu Sri,30
PKJ-KT,Karang Taruna Pakistaji,Karang Taruna,PAKISTAJI,05/03/2015,,,
PKJ-KUBE1,KUBE Mawar,kube,Pakistaji,2020-07-01,2023-06-30,,12
"""

ACTIVITIES = """date,group_code,type,title,description
2020-01-01,WNS-RW01,fasilitasi,Pelatihan administrasi RW,Di aula kecamatan
2020-01-01,WNS-PKK,fasilitasi,Pelatihan administrasi RW,
2020-12-31,PKJ-KT,pembinaan,Pembinaan Karang Taruna,
2021-03-01,pkj-kube1,facilitation,Pendampingan KUBE,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_groups_and_activities_and_a_second_time_changes_nothing(
    wonoasih, tmp_path
) -> None:
    groups = write(tmp_path, "groups.csv", GROUPS)
    report = do_import(file_source(groups))
    assert (report.kind, report.created, report.updated, report.unchanged) == ("groups", 4, 0, 0)
    kube = Group.objects.get(code="PKJ-KUBE1")
    assert kube.kelurahan.code == "kel-pakistaji" and kube.dissolved == date(2023, 6, 30)
    assert kube.member_count == 12 and kube.city.code == "kota-probolinggo"
    assert Group.objects.get(code="PKJ-KT").established == date(2015, 3, 5)
    again = do_import(file_source(groups))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    with translation.override("en"):
        assert again.summary() == "0 created, 0 updated, 4 unchanged"

    activities = write(tmp_path, "activities.csv", ACTIVITIES)
    report = do_import(file_source(activities))
    assert (report.kind, report.created, report.updated, report.unchanged) == (
        "activities",
        3,
        0,
        0,
    )
    training = Activity.objects.get(title="Pelatihan administrasi RW")
    assert training.description == "Di aula kecamatan" and training.groups.count() == 2
    links = ActivityGroup.objects.count()
    again = do_import(file_source(activities))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert ActivityGroup.objects.count() == links == 4


def test_it_updates_changed_rows_and_adds_links(wonoasih, tmp_path) -> None:
    do_import(file_source(write(tmp_path, "g.csv", GROUPS)))
    do_import(file_source(write(tmp_path, "a.csv", ACTIVITIES)))
    changed = GROUPS.replace("RW 01 Wonoasih,RW", "RW 01 Kel. Wonoasih,RW")
    report = do_import(file_source(write(tmp_path, "g2.csv", changed)))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    more = "date,group_code,type,title\n2020-12-31,WNS-PKK,pembinaan,Pembinaan Karang Taruna\n"
    report = do_import(file_source(write(tmp_path, "a2.csv", more)))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)


def test_it_refuses_a_bad_groups_file_whole_naming_every_row(wonoasih, tmp_path) -> None:
    bad = GROUPS + (
        "X1,Nama,RT,Kelurahan Antah,2020-01-01,,,\n"  # row 6: unknown kelurahan
        "X2,Nama,Arisan,Wonoasih,2020-01-01,,,\n"  # row 7: unknown kind
        "X3,Nama,RT,Wonoasih,2020-13-01,,,\n"  # row 8: bad date
        "X4,Nama,RT,Wonoasih,2020-05-01,2020-04-30,,\n"  # row 9: dissolved before established
        "WNS-PKK,Lagi,RT,Wonoasih,2020-01-01,,,\n"  # row 10: duplicate code in the file
        "X5,Nama,RT,Wonoasih,2020-01-01,,,banyak\n"  # row 11: members not a number
    )
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "bad.csv", bad)))
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {
        (6, "kelurahan"),
        (7, "kind"),
        (8, "established"),
        (9, "dissolved"),
        (10, "code"),
        (11, "members"),
    }
    assert "baris 10, kolom code" in coremessages.error_text(caught.value)
    assert Group.objects.count() == 0


def test_it_refuses_a_bad_activities_file_whole(wonoasih, tmp_path) -> None:
    do_import(file_source(write(tmp_path, "g.csv", GROUPS)))
    bad = ACTIVITIES + (
        "2021-01-01,NOPE,fasilitasi,Rapat,\n"  # row 6: unknown group
        "2020-06-30,PKJ-KUBE1,fasilitasi,Rapat,\n"  # row 7: before the group existed
        "2023-07-01,PKJ-KUBE1,fasilitasi,Rapat,\n"  # row 8: after it was dissolved
        "31/02/2021,WNS-PKK,fasilitasi,Rapat,\n"  # row 9: bad date
        "2021-01-01,WNS-PKK,sosialisasi,Rapat,\n"  # row 10: unknown type
    )
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "bad.csv", bad)))
    assert {(p.row, p.field) for p in caught.value.problems} == {
        (6, "group_code"),
        (7, "date"),
        (8, "date"),
        (9, "date"),
        (10, "type"),
    }
    assert Activity.objects.count() == 0 and ActivityGroup.objects.count() == 0


def test_it_refuses_missing_columns_and_unknown_files(wonoasih, tmp_path) -> None:
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "x.csv", "code,name\nA,B\n")))
    assert (
        "cannot tell" in coremessages.error_text(caught.value)
        or "kolom" in coremessages.error_text(caught.value).lower()
    )
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "x.csv", "code,name\nA,B\n")), "groups")
    assert {p.field for p in caught.value.problems} == {"kind", "kelurahan", "established"}


def test_it_scopes_a_users_import_to_their_kelurahan(people, tmp_path) -> None:
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "g.csv", GROUPS)), user=people["operator"])
    assert {p.row for p in caught.value.problems} == {4, 5}  # the Pakistaji rows
    other_kecamatan()
    make_group("WNS-RW02", date(2010, 1, 1), kelurahan="kel-pilang")
    mine = "code,name,kind,kelurahan,established\nWNS-RW02,RW 02,RW,Wonoasih,2010-01-01\n"
    with pytest.raises(InputError) as caught:
        do_import(file_source(write(tmp_path, "m.csv", mine)), user=people["operator"])
    assert "Pilang" in coremessages.error_text(caught.value)


def test_it_round_trips_an_export_without_changes(wonoasih, tmp_path) -> None:
    weird = GROUPS.replace("Pak Slamet", "-Pak Slamet")
    do_import(file_source(write(tmp_path, "g.csv", weird)))
    do_import(file_source(write(tmp_path, "a.csv", ACTIVITIES)))
    for kind in ["groups", "activities"]:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(export_bytes("csv", kind, None))
        report = do_import(file_source(path))
        assert (report.created, report.updated) == (0, 0)
    xlsx = tmp_path / "all.xlsx"
    xlsx.write_bytes(export_bytes("xlsx", "groups", None))
    report = do_import(file_source(xlsx))
    assert (report.kind, report.created, report.updated, report.unchanged) == ("groups", 0, 0, 4)
    assert Group.objects.get(code="WNS-RW01").chair == "-Pak Slamet"


def test_it_dry_runs_and_refuses_from_the_command_line(wonoasih, tmp_path, capsys) -> None:
    groups = write(tmp_path, "groups.csv", GROUPS)
    call_command("registry", "import", str(groups), "--dry-run")
    assert capsys.readouterr().out == (
        "Uji coba, tidak ada yang disimpan. Kelompok, 4 baris, akan: "
        "4 dibuat, 0 diperbarui, 0 tidak berubah\n"
    )
    assert Group.objects.count() == 0
    call_command("registry", "import", str(groups), "--kind", "groups")
    assert Group.objects.count() == 4
    assert capsys.readouterr().out.startswith("Kelompok, 4 baris: 4 dibuat, ")
    with translation.override("en"):
        call_command("registry", "import", str(groups))
    assert capsys.readouterr().out == "Groups, 4 rows: 0 created, 0 updated, 4 unchanged\n"
    bad = write(tmp_path, "bad.csv", GROUPS + "X9,Nama,RT,Atlantis,2020-01-01,,,\n")
    with pytest.raises(CommandError, match="baris 6, kolom kelurahan"):
        call_command("registry", "import", str(bad))
    out = tmp_path / "registry.xlsx"
    call_command("registry", "export", "-o", str(out), "--unit", "kec-wonoasih")
    assert out.read_bytes()[:2] == b"PK"


def test_it_ships_the_default_kinds_of_design_3_3(db) -> None:
    from kinerja.community.models import GroupKind

    kinds = {k.name: k.is_institution for k in GroupKind.objects.filter(city=None)}
    institutions = {"RT", "RW", "LPMK", "TP PKK", "Karang Taruna", "Posyandu", "Lembaga Adat"}
    assert {name for name, inst in kinds.items() if inst} == institutions
    assert {
        "Kelompok Tani/KWT",
        "UMKM",
        "KUBE",
        "Majelis Taklim",
        "Bank Sampah",
        "Pokdarwis",
    } < set(kinds)
    assert "Lainnya" in kinds and "Kampung Tematik" in kinds


def test_it_keeps_the_history_of_imported_groups_and_logs_the_import(people, tmp_path) -> None:
    from kinerja.audit.chain import verify
    from kinerja.audit.models import AuditEntry

    groups = write(tmp_path, "groups.csv", GROUPS)
    do_import(file_source(groups), user=people["admin"])
    changed = GROUPS.replace("RW 01 Wonoasih,RW", "RW 01 Kel. Wonoasih,RW")
    do_import(file_source(write(tmp_path, "g2.csv", changed)), user=people["admin"])
    do_import(file_source(write(tmp_path, "dry.csv", GROUPS)), user=people["admin"], dry_run=True)
    rw = Group.objects.get(code="WNS-RW01")
    names = list(rw.history.order_by("history_date").values_list("name", "history_type"))  # type: ignore[attr-defined]  # the manager django-simple-history adds
    assert names == [("RW 01 Wonoasih", "+"), ("RW 01 Kel. Wonoasih", "~")]
    assert {h.history_user for h in rw.history.all()} == {people["admin"]}  # type: ignore[attr-defined]  # the manager django-simple-history adds
    imports = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).order_by("seq")
    assert [(e.model, e.changes["created"], e.changes["updated"]) for e in imports] == [
        ("community.group", 4, 0),
        ("community.group", 0, 1),
    ]
    assert imports[0].actor == people["admin"]
    checked, broken = verify()
    assert broken is None and checked >= 2


def test_it_imports_as_a_user_from_the_command_line_within_their_rights(people, tmp_path) -> None:
    from kinerja.audit.models import AuditEntry

    groups = write(tmp_path, "groups.csv", GROUPS)
    # The kelurahan operator of Wonoasih may not write Pakistaji's groups: refused whole.
    with pytest.raises(CommandError, match="Pakistaji|kel-pakistaji"):
        call_command("registry", "import", str(groups), "--as", "operator")
    assert Group.objects.count() == 0
    call_command("registry", "import", str(groups))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor is None and entry.actor_name == "kinerja (command line)"
