"""The SKM report in the PermenPANRB 14/2017 annex structure, for any year with responses."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.reports.registry import render
from kinerja.reports.tests.survey_data import EXAMPLE_IKM, answer_the_example, plan_followup
from kinerja.reports.tests.test_documents import docx_text, pdf_text
from kinerja.surveys.models import FollowUp

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "BAB I PENDAHULUAN",
    "BAB II PENGUMPULAN DATA",
    "BAB III HASIL PENGOLAHAN DATA",
    "BAB IV ANALISIS",
    "BAB V KESIMPULAN",
    "LAMPIRAN",
]


def in_order(text: str, parts: list[str]) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


@pytest.fixture
def surveyed(uji):
    """Plan "uji" runs 2021–2023; its kecamatan was surveyed in 2024 and 2025 too."""
    answer_the_example(uji.unit, 2024)
    answer_the_example(uji.unit, 2025)
    plan_followup(uji.unit, 2024, "Loket antrean ditambah", FollowUp.Status.DONE)
    plan_followup(uji.unit, 2025, "Standar waktu dipajang", FollowUp.Status.PLANNED)
    return uji


def test_it_reports_a_year_outside_the_plan_in_the_regulations_structure(surveyed, tmp_path):
    out = tmp_path / "skm.pdf"
    call_command("report", "write", "skm", "--year", "2025", "-o", str(out), "--plan", "uji")
    pdf = pdf_text(out.read_bytes())
    docx = docx_text(render("skm", "docx", surveyed, 2025))
    for text in (pdf, docx):
        assert in_order(text, CHAPTERS), text[:400]
        assert "TAHUN 2025" in text and "TAHUN 2024" not in text
        # BAB II: Krejcie–Morgan for N = 40 → 36; 29 answered
        assert "Krejcie" in text and re.search(r"\b36\b", text) and re.search(r"\b29\b", text)
        assert "belum memenuhi sampel minimal" in text
        # BAB III: the worked example's IKM and grade, per element and per service
        assert EXAMPLE_IKM in text and "Sangat Baik" in text
        assert "KTP 2025" in text and "3,62" in text  # U1: 105 / 29 = 3,62
        # BAB IV: this period's RTL, the previous period's RTL with its status, the trend
        assert "Standar waktu dipajang" in text
        assert "Periode Sebelumnya (2024)" in text and "Loket antrean ditambah" in text
        assert "selesai" in text.lower()
        # Lampiran: the questionnaire as asked and the suggestions grouped (case, spaces)
        assert "Bagaimana" in text and "Sangat sesuai" in text
        assert re.search(r"Ruang tunggu sempit\.\s+2\b", text), "same suggestion counted once"
        assert "Parkir kurang." in text


def test_it_lists_every_surveyed_year_in_the_trend(surveyed):
    text = pdf_text(render("skm", "pdf", surveyed, 2025))
    trend = text[text.find("Tren Nilai SKM") : text.find("BAB V")]
    assert re.search(r"2024\s+29\s+91,48", trend) and re.search(r"2025\s+29\s+91,48", trend)


def test_it_refuses_a_year_without_responses(surveyed, tmp_path):
    out = tmp_path / "skm.pdf"
    with pytest.raises(
        CommandError, match="belum ada jawaban survei Kecamatan Uji pada tahun 2026"
    ):
        call_command("report", "write", "skm", "--year", "2026", "-o", str(out), "--plan", "uji")
    assert not out.exists()


def test_it_downloads_the_year_asked_for_and_refuses_one_without_responses(surveyed, staff, login):
    client = login(staff["head"])
    url = reverse("reports:download", args=["skm", "pdf"])
    page = client.get(reverse("reports:index"), {"plan": "uji"}).content.decode()
    assert f"{url}?plan=uji&amp;year=2025" in page and f"{url}?plan=uji&amp;year=2024" in page
    response = client.get(url, {"plan": "uji", "year": "2025"})
    assert response.status_code == 200
    assert "TAHUN 2025" in pdf_text(response.content)
    refused = client.get(url, {"plan": "uji", "year": "2019"}, follow=True)
    assert "belum ada jawaban survei" in refused.content.decode()


def test_the_reports_page_offers_the_skm_report_of_every_year_with_responses(uji, staff, login):
    # a year inside the plan (2022) and one after it (2024) have responses; 2021 has none
    answer_the_example(uji.unit, 2022)
    answer_the_example(uji.unit, 2024)
    client = login(staff["head"])
    url = reverse("reports:download", args=["skm", "pdf"])
    page = client.get(reverse("reports:index"), {"plan": "uji", "year": "2021"}).content.decode()
    years = page[page.find('id="survey-years"') :]
    assert f"{url}?plan=uji&amp;year=2024" in years and f"{url}?plan=uji&amp;year=2022" in years
    assert years.find("year=2024") < years.find("year=2022"), "newest first"
    assert f"{url}?plan=uji&amp;year=2021" not in page, "no link to a year without responses"
    assert 'id="skm-no-responses"' in page
    surveyed = client.get(reverse("reports:index"), {"plan": "uji", "year": "2022"})
    assert (
        f"{url}?plan=uji&amp;year=2022" in surveyed.content.decode().split('id="survey-years"')[0]
    )
    assert 'id="skm-no-responses"' not in surveyed.content.decode()


def test_the_report_without_a_year_takes_the_default_year_when_it_has_responses(uji):
    from kinerja.lib.default_year import default_year
    from kinerja.reports.skm_report import report_year

    answer_the_example(uji.unit, 2021)
    answer_the_example(uji.unit, 2024)
    assert default_year(uji.unit) == 2021  # the latest year of plan uji with a result
    assert report_year(uji.unit, None) == 2021
