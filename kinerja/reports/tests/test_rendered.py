"""Every document in every format, made from the demo data, looked at as a reader would:
DOCX and XLSX converted to PDF by LibreOffice, then page counts, the indicator names on whole
words, no English, Indonesian numbers, images whole (docs/rules.md#document-format).

Set KINERJA_WRITE_REFERENCE=1 to refresh the reference renders (first pages as PNG) in
``reference/``, to look at when a layout changes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document
from PIL import Image

from kinerja.accounts.models import OrgUnit
from kinerja.reports.registry import DOCUMENTS, render
from kinerja.reports.renderers import chart_height_mm
from kinerja.results.formatting import figure
from kinerja.surveys.reports import element_chart, poster_pdf, survey_report_data
from kinerja_core.periods import Period

pytestmark = [
    # transactional: the demo loader commits as the command does
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make"),
]

REFERENCE = Path(__file__).parent / "reference"
YEAR = 2024
DEMO_LAST_YEAR = 2026  # the demo's data run through 2026 Q3
# Words of the English interface that must never reach a document.
ENGLISH = (
    "Page",
    "Calculation",
    "met",
    "not_met",
    "Element",
    "Respondents",
    "Grade",
    "Follow-up",
    "Total score",
    "Number",
    "grade",
)
# A decimal point or a thousands comma the English way: 84.60, 5,940.
# (Section numbers "3.1" and codes "T1.1" have one decimal; figures are printed with two.)
ENGLISH_NUMBER = re.compile(r"(?<![\w.,])\d+\.\d{2}(?![\d.])|(?<![\w.,])\d{1,3},\d{3}(?![\d,])")


def soffice_pdf(content: bytes, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"document.{suffix}"
        source.write_bytes(content)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / "document.pdf").read_bytes()


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    found = re.search(rb"Pages:\s+(\d+)", info.stdout)
    assert found is not None
    return int(found.group(1))


def words(pdf: bytes) -> str:
    """The text as one line of words: a name wrapped over lines inside its cell reads whole."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(text.stdout.decode().split())


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def reference(name: str, pdf: bytes) -> None:
    if not os.environ.get("KINERJA_WRITE_REFERENCE"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "45",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                REFERENCE / name,
            ],
            check=True,
        )


def test_every_document_and_poster_reads_whole_and_indonesian(demo, monkeypatch) -> None:
    # documents stay Indonesian whatever the shell or the page asks for
    monkeypatch.setenv("LANGUAGE", "en")
    translation.activate("en")
    plan = demo
    names = [i.name for i in plan.indicators.all()]
    problems: list[str] = []
    made: dict[str, bytes] = {}
    for kind, document in DOCUMENTS.items():
        for fmt in document.renderers:
            content = render(kind, fmt, plan, YEAR)
            pdf = content if fmt == "pdf" else soffice_pdf(content, fmt)
            made[f"{kind}.{fmt}"] = pdf
            text = words(pdf)
            where = f"{kind}.{fmt}"
            if kind in ("iku", "pk", "capaian"):
                problems += [
                    f"{where}: {n!r} not whole" for n in names if n not in text and kind != "pk"
                ]
            problems += [f"{where}: English {w!r}" for w in english_in(text)]
            problems += [f"{where}: number {m!r}" for m in ENGLISH_NUMBER.findall(text)]
            if f"Halaman 1 dari {pages(pdf)}" not in text and fmt != "xlsx":
                problems.append(f"{where}: no 'Halaman 1 dari {pages(pdf)}'")
            reference(f"{kind}-{fmt}", pdf)
    assert not problems, "\n".join(problems)
    assert pages(made["iku.pdf"]) == 3
    assert pages(made["capaian.docx"]) <= 6
    assert pages(made["capaian.xlsx"]) <= 3
    assert "Tercapai" in words(made["capaian.xlsx"])
    assert "Perhitungan Cakupan Pemas =" in words(made["iku.pdf"])
    assert "Indeks Kepuasan Masyarakat (IKM)" in words(made["iku.pdf"])
    # the demo's PK 2024 is signed; 2023 is not
    pk = words(made["pk.pdf"])
    assert "15 Januari 2024" in pk and "NIP. 19820704 200112 2 001" in pk and "DRAF" not in pk
    assert "DRAF" in words(render("pk", "pdf", plan, 2023))
    # the SKM DOCX chart holds U1–U9 whole: the picture has the chart's own proportions
    docx = Document(io.BytesIO(render("skm", "docx", plan, YEAR)))
    chart = element_chart(survey_report_data(plan.unit, Period(YEAR)))
    images = [
        Image.open(io.BytesIO(rel.target_part.blob))
        for rel in docx.part.rels.values()
        if rel.reltype.endswith("/image")
    ]
    assert images, "the SKM DOCX has its chart"
    width, height = images[0].size
    assert height / width == pytest.approx(chart_height_mm(chart) / 150, rel=0.03)
    assert "U9" in chart and "U1" in chart
    # `report skm --year 2025`: BAB I–V in order, with 2025's figures (not another year's)
    skm = words(render("skm", "pdf", plan, 2025))
    chapters = [skm.find(f"BAB {n} ") for n in ("I", "II", "III", "IV", "V")]
    assert -1 not in chapters and chapters == sorted(chapters), chapters
    assert "TAHUN 2025" in skm and "TAHUN 2024" not in skm
    ikm_2025 = survey_report_data(plan.unit, Period(2025))["ikm"]
    with translation.override("id"):
        assert f"= {figure(ikm_2025, 2)}" in skm
    # the IKM poster: one page every demo year (the demo loads once: one test)
    unit = OrgUnit.objects.get(code="kec-wonoasih")
    translation.activate("id")  # the public poster speaks the visitor's language
    for year in range(2019, DEMO_LAST_YEAR + 1):
        pdf = poster_pdf(unit, Period(year))
        assert pages(pdf) == 1, year
        assert not english_in(words(pdf)), year
        if year == YEAR:
            reference("poster", pdf)
    translation.deactivate()
