"""The lines under a line have no more pagu together than it has: kegiatan within their program,
sub-kegiatan within their kegiatan (docs/rules.md#budget-lines), on the page and in the import."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kinerja.accounts.models import OrgUnit
from kinerja.budget.actions import do_import_lines, do_save_line
from kinerja.budget.models import BudgetLine
from kinerja.budget.rules import LineValues, pagu_overruns
from kinerja.lib import coremessages
from kinerja.lib.tables import iter_rows
from kinerja_core.errors import InputError

pytestmark = pytest.mark.django_db

YEAR = 2023


def kec() -> OrgUnit:
    return OrgUnit.objects.get(code="kec-wonoasih")


def rows(text: str) -> list[Any]:
    return list(iter_rows(io.BytesIO(text.encode("utf-8")), "anggaran.csv"))


def refusal(user: Any, text: str, **kwargs: Any) -> list[str]:
    with pytest.raises(InputError) as caught:
        do_import_lines(user, kec(), YEAR, rows(text), **kwargs)
    with translation.override("id"):
        return coremessages.problem_texts(caught.value.problems)


def test_a_page_writes_rupiah_in_its_language():
    overrun = pagu_overruns({"7.01.01": Decimal(1_234_000), "7.01.01.2.01": Decimal("1234000.50")})
    with translation.override("id"):
        assert (
            "Rp 1.234.000,50" in overrun[0].message()
            and "Rp 1.234.000 " not in overrun[0].message()
        )
        assert overrun[0].message().endswith("Rp 1.234.000")
    with translation.override("en"):
        assert overrun[0].message().endswith("Rp 1,234,000")
        assert "Rp 1,234,000.50" in overrun[0].message()


def test_an_overrun_is_found_under_the_nearest_given_line():
    budgets = {
        "7.01.01": Decimal(1000),
        "7.01.01.2.01": Decimal(600),
        "7.01.01.2.01.0001": Decimal(700),  # over its kegiatan
        "7.01.01.2.02.0001": Decimal(400),  # its kegiatan is not given: it counts in the program
        "7.01.02": Decimal(500),
        "7.01.02.2.01": Decimal(500),  # equal is allowed
    }
    found = pagu_overruns(budgets)
    assert [(o.parent, o.total, o.budget, o.children) for o in found] == [
        ("7.01.01.2.01", Decimal(700), Decimal(600), ("7.01.01.2.01.0001",)),
    ]
    budgets["7.01.01.2.02.0001"] = Decimal(401)
    assert [o.parent for o in pagu_overruns(budgets)] == ["7.01.01", "7.01.01.2.01"]
    assert pagu_overruns(budgets)[0].children == ("7.01.01.2.01", "7.01.01.2.02.0001")


OVER = """kode,nama,pagu,realisasi
7.01.01,Program Penunjang,1.000.000,0
7.01.01.2.01,Perencanaan,600.000,0
7.01.01.2.02,Keuangan,600.000,0
7.01.03,Program Pemberdayaan,300.000,0
"""


def test_an_import_refuses_kegiatan_over_their_program_on_the_program_row(people):
    found = refusal(people["planner"], OVER)
    assert found == [
        "baris 2, kolom pagu: pagu baris di bawah 7.01.01 berjumlah Rp 1.200.000, melebihi "
        "pagu 7.01.01 sebesar Rp 1.000.000"
    ]
    assert not BudgetLine.objects.exists()


def test_sub_kegiatan_over_a_stored_kegiatan_are_named_on_their_first_row(people):
    do_import_lines(
        people["planner"],
        kec(),
        YEAR,
        rows(OVER.replace("600.000,0\n7.01.03", "400.000,0\n7.01.03")),
    )
    before = list(BudgetLine.objects.order_by("code").values_list("code", "budget"))
    text = (
        "kode,nama,pagu,realisasi\n"
        "7.01.03,Program Pemberdayaan,300.000,0\n"
        "7.01.01.2.01.0001,Dokumen,500.000,0\n"
        "7.01.01.2.01.0002,Laporan,200.000,0\n"
    )
    found = refusal(people["planner"], text)
    assert len(found) == 1 and found[0].startswith("baris 3, kolom pagu")
    assert "7.01.01.2.01" in found[0] and "Rp 700.000" in found[0] and "Rp 600.000" in found[0]
    assert list(BudgetLine.objects.order_by("code").values_list("code", "budget")) == before


def test_replacing_judges_the_file_alone(people):
    do_import_lines(
        people["planner"],
        kec(),
        YEAR,
        rows(OVER.replace("7.01.01.2.02,Keuangan,600", "7.01.01.2.02,Keuangan,400")),
    )
    # Without replace the stored kegiatan 7.01.01.2.02 still counts: 600 + 400 + 100 > 1 000.
    text = "kode,nama,pagu,realisasi\n7.01.01.2.03,Umum,100.000,0\n7.01.01,Program,1.000.000,0\n"
    assert "Rp 1.100.000" in refusal(people["planner"], text)[0]
    report = do_import_lines(people["planner"], kec(), YEAR, rows(text), replace=True)
    assert report.created == 1 and len(report.removed) == 3


def test_an_overrun_stored_before_the_rule_does_not_block_other_lines(people):
    do_import_lines(people["planner"], kec(), YEAR, rows(OVER.replace("600.000", "500.000")))
    # Data stored before this rule: raised behind the actions' back.
    BudgetLine.objects.filter(code="7.01.01.2.02").update(budget=Decimal(900_000))
    text = "kode,nama,pagu,realisasi\n7.01.03,Program Pemberdayaan,350.000,0\n"
    assert do_import_lines(people["planner"], kec(), YEAR, rows(text)).updated == 1
    kegiatan = BudgetLine.objects.get(code="7.01.01.2.01")
    values = LineValues(kegiatan.code, kegiatan.name, Decimal(400_000), Decimal(0))
    with pytest.raises(ValidationError):  # a line of the overrun itself is held to it
        do_save_line(people["planner"], kegiatan, values)


def test_the_page_refuses_a_kegiatan_over_its_program_and_a_program_below_its_kegiatan(
    people, login
):
    do_import_lines(people["planner"], kec(), YEAR, rows(OVER.replace("600.000", "500.000")))
    client = login(people["planner"])
    url = reverse("budget:create", args=["kec-wonoasih", YEAR])
    data = {"code": "7.01.01.2.03", "name": "Umum", "budget": "1", "spent": "0"}
    page = client.post(url, data, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rp 1.000.001" in page and "7.01.01" in page and "Rp 1.000.000" in page
    assert not BudgetLine.objects.filter(code="7.01.01.2.03").exists()
    program = BudgetLine.objects.get(code="7.01.01")
    data = {"code": "7.01.01", "name": "Program", "budget": "999999", "spent": "0"}
    response = client.post(reverse("budget:edit", args=[program.pk]), data)
    assert response.status_code == 200 and "Rp 999.999" in response.content.decode()
    assert BudgetLine.objects.get(code="7.01.01").budget == Decimal(1_000_000)
    data["budget"] = "1000000"
    assert client.post(reverse("budget:edit", args=[program.pk]), data).status_code == 302
