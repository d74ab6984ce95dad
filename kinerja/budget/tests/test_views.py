"""Budget pages: the tree with totals, add/edit/delete, import, export and the template."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.accounts.models import OrgUnit, Role
from kinerja.budget.actions import do_import_lines
from kinerja.budget.models import BudgetLine
from kinerja.lib.tables import iter_rows
from kinerja.plan.models import Objective
from kinerja.test import make_user

pytestmark = pytest.mark.django_db

FILE = """kode,nama,pagu,realisasi,sasaran
7.01.01,Program Penunjang,1.000.000,900.000,
7.01.01.2.01,Perencanaan,400.000,350.000,
7.01.03,Program Pemberdayaan,300.000,150.000,S1
"""


def kec() -> OrgUnit:
    return OrgUnit.objects.get(code="kec-wonoasih")


def load(user: Any, text: str = FILE, year: int = 2023) -> Any:
    rows = list(iter_rows(io.BytesIO(text.encode()), "a.csv"))
    return do_import_lines(user, kec(), year, rows)


def test_the_list_shows_the_tree_with_totals_in_indonesian(people, login):
    load(people["planner"])
    page = login(people["head"]).get(reverse("budget:list") + "?unit=kec-wonoasih&year=2023")
    text = page.content.decode()
    assert page.status_code == 200
    assert "7.01.01.2.01" in text and "depth-1" in text
    assert "1.300.000" in text  # the kegiatan is inside its program: counted once
    assert "80,77 %" in text  # 1.050.000 of 1.300.000
    assert reverse("budget:create", args=["kec-wonoasih", 2023]) not in text  # the head only reads


def test_a_planner_adds_edits_and_deletes_a_line(people, login):
    client = login(people["planner"])
    s1 = Objective.objects.get(code="S1")
    data = {"code": "7.01.03", "name": "Program Pemberdayaan", "budget": "1000", "spent": "250",
            "objectives": [s1.pk]}  # fmt: skip
    response = client.post(reverse("budget:create", args=["kec-wonoasih", 2023]), data)
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.level, line.spent, list(line.objectives.all())) == ("program", Decimal(250), [s1])
    data.update(spent="1200")
    response = client.post(reverse("budget:edit", args=[line.pk]), data)
    assert response.status_code == 200
    assert "lebih_pagu" in response.content.decode()  # refused on its field, nothing stored
    assert BudgetLine.objects.get().spent == 250
    data.update(over_budget="on")
    assert client.post(reverse("budget:edit", args=[line.pk]), data).status_code == 302
    assert BudgetLine.objects.get().spent == 1200
    client.post(reverse("budget:delete", args=[line.pk]))
    assert not BudgetLine.objects.exists()


def test_a_form_refuses_an_unknown_code_format_and_a_used_code(people, login):
    load(people["planner"])
    client = login(people["planner"])
    url = reverse("budget:create", args=["kec-wonoasih", 2023])
    for code in ("7.1.3", "7.01.03"):
        response = client.post(url, {"code": code, "name": "x", "budget": "1", "spent": "0"})
        assert response.status_code == 200
        assert code in response.content.decode()
    assert BudgetLine.objects.count() == 3


def test_deleting_a_program_deletes_its_kegiatan(people, login):
    load(people["planner"])
    program = BudgetLine.objects.get(code="7.01.01")
    login(people["planner"]).post(reverse("budget:delete", args=[program.pk]))
    assert list(BudgetLine.objects.values_list("code", flat=True)) == ["7.01.03"]


def confirm_url(page: str) -> str:
    found = re.search(r'<form method="post" action="([^"]+)" class="card" id="confirm">', page)
    assert found is not None, "no confirmation form"
    return found.group(1)


def test_the_import_page_checks_then_stores_the_checked_file(people, login):
    client = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", 2023])
    upload = SimpleUploadedFile("anggaran.csv", FILE.encode())
    page = client.post(url, {"file": upload}).content.decode()
    assert "3 dibuat" in page or "3 created" in page
    assert not BudgetLine.objects.exists()
    store = confirm_url(page)
    # Nobody else confirms it, not even another editor of the unit.
    other = make_user("perencana2", Role.PLANNER, kec())
    assert login(other).post(store).status_code == 404
    client = login(people["planner"])
    assert 'id="report"' in client.post(store).content.decode()
    assert BudgetLine.objects.count() == 3
    assert client.post(store).status_code == 404  # once
    bad = SimpleUploadedFile("anggaran.csv", (FILE + "7.01.09,Minus,-1,0,\n").encode())
    page = client.post(url, {"file": bad}).content.decode()
    assert "5" in page and 'id="problems"' in page and 'id="confirm"' not in page
    assert BudgetLine.objects.count() == 3


def test_a_checked_file_may_be_discarded(people, login):
    client = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", 2023])
    page = client.post(url, {"file": SimpleUploadedFile("a.csv", FILE.encode())}).content.decode()
    store = confirm_url(page)
    assert client.post(store, {"discard": "1"}).status_code == 302
    assert client.post(store).status_code == 404
    assert not BudgetLine.objects.exists()


def test_a_checked_file_is_confirmed_only_for_its_own_year(people, login):
    client = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", 2023])
    page = client.post(url, {"file": SimpleUploadedFile("a.csv", FILE.encode())}).content.decode()
    store = confirm_url(page)
    assert client.post(store.replace("/2023/", "/2024/")).status_code == 404
    assert not BudgetLine.objects.exists()


def test_the_import_page_refuses_a_file_above_the_setting(people, login, settings):
    settings.KINERJA_BUDGET_FILE_MAX_BYTES = 50
    url = reverse("budget:import", args=["kec-wonoasih", 2023])
    upload = SimpleUploadedFile("anggaran.csv", FILE.encode())
    response = login(people["planner"]).post(url, {"file": upload})
    assert "50" in response.content.decode()
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_as_a_no_op(people, login, fmt):
    load(people["planner"])
    url = reverse("budget:export", args=["kec-wonoasih", 2023]) + f"?format={fmt}"
    response = login(people["head"]).get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(iter_rows(io.BytesIO(body), f"export.{fmt}"))
    assert [r["kode"] for _n, r in rows] == ["7.01.01", "7.01.01.2.01", "7.01.03"]
    report = do_import_lines(people["planner"], kec(), 2023, rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert BudgetLine.objects.get(code="7.01.03").budget == Decimal(300000)


def test_the_template_is_a_good_file(people, login):
    response = login(people["planner"]).get(reverse("budget:template") + "?format=xlsx")
    rows = list(iter_rows(io.BytesIO(response.content), "templat.xlsx"))
    report = do_import_lines(people["planner"], kec(), 2024, rows)
    assert report.created == 3
