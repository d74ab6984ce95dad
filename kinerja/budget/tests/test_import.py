"""Budget files: a good file twice is a no-op; a bad file names every bad row and stores nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import OrgUnit
from kinerja.budget.actions import do_import_lines
from kinerja.budget.models import BudgetLine
from kinerja.budget.queries import objective_totals, supporting_lines, unit_year_totals
from kinerja.lib import coremessages
from kinerja.lib.tables import iter_rows, xlsx_bytes
from kinerja.plan.models import Objective
from kinerja_core.errors import InputError

pytestmark = pytest.mark.django_db

GOOD = """kode,nama,pagu,realisasi,sasaran,indikator,satuan_kerja
7.01.01,Program Penunjang Urusan Pemerintahan,1.000.000,900000,,,Kecamatan
7.01.01.2.01,Perencanaan dan Evaluasi,400000,350000,,,Kecamatan
7.01.02,Program Penyelenggaraan Pemerintahan dan Pelayanan Publik,500000,500000,S2,,Kecamatan
7.01.03,Program Pemberdayaan Masyarakat Desa dan Kelurahan,"300.000,50",250000,,S1.1,Kecamatan
"""


def rows(text: str, name: str = "anggaran.csv"):
    return list(iter_rows(io.BytesIO(text.encode("utf-8")), name))


def kec() -> OrgUnit:
    return OrgUnit.objects.get(code="kec-wonoasih")


def messages(exc: InputError) -> list[str]:
    return coremessages.problem_texts(exc.problems)


def test_a_good_file_twice_is_a_no_op(wonoasih, people):
    first = do_import_lines(people["planner"], kec(), 2023, rows(GOOD))
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    stored = list(BudgetLine.objects.order_by("pk").values_list())
    history = BudgetLine.history.count()  # type: ignore[attr-defined]  # simple-history's manager
    second = do_import_lines(people["planner"], kec(), 2023, rows(GOOD))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert list(BudgetLine.objects.order_by("pk").values_list()) == stored
    assert BudgetLine.history.count() == history  # type: ignore[attr-defined]


def test_it_reads_levels_amounts_and_links(wonoasih, people):
    do_import_lines(people["planner"], kec(), 2023, rows(GOOD))
    program = BudgetLine.objects.get(code="7.01.03")
    assert program.level == "program"
    assert program.budget == Decimal("300000.50")
    assert BudgetLine.objects.get(code="7.01.01").budget == Decimal(1_000_000)
    assert BudgetLine.objects.get(code="7.01.01.2.01").level == "kegiatan"
    assert [o.code for o in BudgetLine.objects.get(code="7.01.02").objectives.all()] == ["S2"]
    assert [i.code for i in program.indicators.all()] == ["S1.1"]
    # The kegiatan is inside its program: counted once, by the program's pagu.
    totals = unit_year_totals(kec(), 2023)
    assert totals.budget == Decimal("1800000.50")
    assert totals.spent == Decimal(1_650_000)
    assert totals.absorption == Decimal("91.67")
    by_objective = objective_totals(Objective.objects.filter(goal__plan=wonoasih), 2023)
    s1 = Objective.objects.get(goal__plan=wonoasih, code="S1")
    s2 = Objective.objects.get(goal__plan=wonoasih, code="S2")
    assert by_objective[s1.pk].budget == Decimal("300000.50")  # through its indicator S1.1
    assert by_objective[s2.pk].absorption == Decimal("100.00")
    programs = supporting_lines([s1, s2], 2023)
    assert [line.code for line in programs[s2.pk]] == ["7.01.02"]


def test_a_line_under_a_linked_line_counts_once_for_its_sasaran(wonoasih, people):
    text = (
        "kode,nama,pagu,realisasi,sasaran\n"
        "7.01.02,Program,1000,800,S2\n"
        "7.01.02.2.01,Kegiatan,600,500,S2\n"
        "7.01.03.2.01,Kegiatan lain,300,300,S2\n"
    )
    do_import_lines(people["planner"], kec(), 2023, rows(text))
    s2 = Objective.objects.get(goal__plan=wonoasih, code="S2")
    assert [line.code for line in supporting_lines([s2], 2023)[s2.pk]] == [
        "7.01.02",
        "7.01.03.2.01",
    ]
    assert objective_totals([s2], 2023)[s2.pk].budget == Decimal(1300)


def test_a_changed_file_updates_only_the_changed_lines(wonoasih, people):
    do_import_lines(people["planner"], kec(), 2023, rows(GOOD))
    changed = GOOD.replace("500000,500000", "500000,450000")
    report = do_import_lines(people["planner"], kec(), 2023, rows(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert BudgetLine.objects.get(code="7.01.02").spent == Decimal(450000)


BAD = """kode,nama,pagu,realisasi,triwulan_1,triwulan_2,triwulan_3,triwulan_4
7.01.01,Program baik,1000,900,200,200,250,250
7.1.1,Kode salah,1000,900,,,,
7.01.02,Pagu negatif,-5,0,,,,
7.01.03,Realisasi lebih,1000,1200,,,,
7.01.01,Kode ganda,1000,900,,,,
7.01.04,Triwulan tidak cocok,1000,900,100,100,100,100
7.01.05,Bukan angka,seribu,0,,,,
"""


def test_a_bad_file_names_every_bad_row_and_stores_nothing(wonoasih, people):
    with pytest.raises(InputError) as caught:
        do_import_lines(people["planner"], kec(), 2023, rows(BAD))
    found = messages(caught.value)
    assert [p.row for p in caught.value.problems] == [3, 4, 5, 6, 7, 8]
    assert "7.1.1" in found[0] and "kode" in found[0]
    assert "pagu" in found[1]
    assert "lebih_pagu" in found[2]
    assert "7.01.01" in found[3] and "2" in found[3]
    assert "realisasi" in found[4]
    assert "seribu" in found[5]
    assert not BudgetLine.objects.exists()


def test_the_flag_column_allows_realisation_above_pagu(wonoasih, people):
    text = "kode,nama,pagu,realisasi,lebih_pagu\n7.01.03,Pergeseran,1000,1200,ya\n"
    do_import_lines(people["planner"], kec(), 2023, rows(text))
    assert BudgetLine.objects.get().over_budget is True


def test_quarters_make_the_realisation_when_it_is_blank(wonoasih, people):
    text = "kode,nama,pagu,realisasi,triwulan_1,triwulan_2\n7.01.03,Program,1000,,100,250\n"
    do_import_lines(people["planner"], kec(), 2023, rows(text))
    line = BudgetLine.objects.get()
    assert (line.spent, line.spent_q1, line.spent_q3) == (Decimal(350), Decimal(100), None)


def test_it_refuses_a_file_without_the_required_columns(wonoasih, people):
    with pytest.raises(InputError) as caught:
        do_import_lines(people["planner"], kec(), 2023, rows("kode,nama\n7.01.01,x\n"))
    assert "pagu" in messages(caught.value)[0]


def test_it_refuses_unknown_sasaran_codes(wonoasih, people):
    text = "kode,nama,pagu,realisasi,sasaran\n7.01.03,Program,1000,0,S9\n"
    with pytest.raises(InputError) as caught:
        do_import_lines(people["planner"], kec(), 2023, rows(text))
    assert "S9" in messages(caught.value)[0]
    assert not BudgetLine.objects.exists()


def test_an_xlsx_export_of_sipd_reads_the_same(wonoasih, people):
    data = xlsx_bytes(
        [
            (
                "SIPD",
                ["Kode", "Nama", "Pagu", "Realisasi", "Keterangan"],
                [["7.01.02", "Program Penyelenggaraan", 500000.0, 125000.5, "catatan"]],
            )
        ]
    )
    parsed = list(iter_rows(io.BytesIO(data), "sipd.xlsx"))
    do_import_lines(people["planner"], kec(), 2024, parsed)
    assert BudgetLine.objects.get(year=2024).spent == Decimal("125000.50")


def test_it_refuses_more_rows_than_the_setting_allows(wonoasih, people, settings):
    settings.KINERJA_BUDGET_MAX_ROWS = 2
    with pytest.raises(InputError) as caught:
        do_import_lines(people["planner"], kec(), 2023, rows(GOOD))
    assert "2" in messages(caught.value)[-1]
    assert not BudgetLine.objects.exists()


def test_an_operator_or_outsider_may_not_import(wonoasih, people):
    for who in ("operator", "outsider", "head"):
        with pytest.raises(PermissionDenied):
            do_import_lines(people[who], kec(), 2023, rows(GOOD))
    assert not BudgetLine.objects.exists()
