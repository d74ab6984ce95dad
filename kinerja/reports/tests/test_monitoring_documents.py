"""The Rencana Aksi and the quarterly report print what was entered, in PDF and DOCX."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.monitoring.actions import (
    do_add_renaksi_action,
    do_save_quarter_narrative,
    do_save_quarter_targets,
)
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator
from kinerja.reports.registry import render
from kinerja.reports.tests.test_documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(wonoasih, people):
    s11 = Indicator.objects.get(plan=wonoasih, code="S1.1")
    planner = people["planner"]
    unit = wonoasih.unit
    do_save_quarter_targets(
        planner, wonoasih, unit, 2024, s11, [Decimal(v) for v in (10, 20, 30, 40)]
    )
    do_add_renaksi_action(
        planner, wonoasih, unit, 2024, s11,
        name="Fasilitasi LPMK", budget_code="7.01.01.2.06.0001",
        position="Kasi Pemberdayaan Masyarakat", months=[2, 5],
    )  # fmt: skip
    do_save_quarter_narrative(
        planner, wonoasih, unit, 2024, 2, s11,
        NarrativeText("Kader aktif", "Data terlambat", "Rapat koordinasi"),
    )  # fmt: skip
    return wonoasih


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_renaksi_prints_targets_and_actions(entered, fmt) -> None:
    content = render("renaksi", fmt, entered, 2024)
    text = " ".join((pdf_text(content) if fmt == "pdf" else docx_text(content)).split())
    assert "RENCANA AKSI TAHUN 2024" in text
    assert "kumulatif 10,00% 20,00% 30,00% 40,00%" in text
    # the PDF's layout wraps the cell's lines between the other columns' words
    assert "Fasilitasi LPMK (7.01.01.2.06.0001); Kasi" in text and "Masyarakat; Feb, Mei" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_quarterly_report_prints_the_narratives(entered, fmt) -> None:
    content = render("triwulan", fmt, entered, 2024)
    text = " ".join((pdf_text(content) if fmt == "pdf" else docx_text(content)).split())
    assert "LAPORAN TRIWULAN TAHUN 2024" in text
    assert "Kader aktif" in text and "Data terlambat" in text and "Rapat koordinasi" in text
    assert "terlambat" in text.replace("Data terlambat", "")  # entered long after 2024-Q2


def test_one_click_downloads_the_quarterly_report(entered, people, login) -> None:
    url = reverse("reports:download", args=["triwulan", "docx"])
    response = login(people["head"]).get(url, {"plan": entered.code, "year": 2024})
    assert response.status_code == 200
    assert "Kader aktif" in docx_text(response.content)
    assert login(people["outsider"]).get(url, {"plan": entered.code, "year": 2024}).status_code in (
        403,
        404,
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_renaksi_prints_the_linked_budget_lines_name_and_pagu(wonoasih, people, fmt) -> None:
    from kinerja.budget.actions import do_import_lines

    name = "Pemberdayaan Kelompok dan Lembaga Kemasyarakatan Kelurahan"
    row = {"kode": "7.01.03.2.01", "nama": name, "pagu": "118000000", "realisasi": "0"}
    do_import_lines(None, wonoasih.unit, 2024, [(2, row)])
    do_add_renaksi_action(
        people["planner"], wonoasih, wonoasih.unit, 2024,
        Indicator.objects.get(plan=wonoasih, code="S1.1"),
        name="Fasilitasi LPMK", budget_code="7.01.03.2.01", position="Kasi Pemas", months=[2],
    )  # fmt: skip
    content = render("renaksi", fmt, wonoasih, 2024)
    text = " ".join((pdf_text(content) if fmt == "pdf" else docx_text(content)).split())
    for words in ("Fasilitasi LPMK (7.01.03.2.01:", "Pemberdayaan Kelompok", "Rp 118.000.000)"):
        assert words in text


def test_the_renaksi_prints_each_action_on_its_own(entered) -> None:
    """Several actions of an indicator are numbered items of their cell, not one run of text."""
    import io
    import re

    from docx import Document

    do_add_renaksi_action(
        None, entered, entered.unit, 2024, Indicator.objects.get(plan=entered, code="S1.1"),
        name="Sosialisasi kader", budget_code="", position="Kasi Pemas", months=[3],
    )  # fmt: skip
    text = pdf_text(render("renaksi", "pdf", entered, 2024))
    assert re.search(r"\s1\. Fasilitasi LPMK \(7\.01\.01\.2\.06\.0001\); Kasi", text)
    assert re.search(r"\s2\. Sosialisasi kader; Kasi Pemas; Mar\n", text)
    doc = Document(io.BytesIO(render("renaksi", "docx", entered, 2024)))
    cells = {row.cells[1].text.split()[0]: row.cells[-1] for row in doc.tables[0].rows[1:]}
    assert [p.text for p in cells["S1.1"].paragraphs] == [
        "1. Fasilitasi LPMK (7.01.01.2.06.0001); Kasi Pemberdayaan Masyarakat; Feb, Mei",
        "2. Sosialisasi kader; Kasi Pemas; Mar",
    ]
    assert [p.text for p in cells["T1.1"].paragraphs] == ["–"]
