from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from kinerja.reports.registry import DOCUMENTS, render
from kinerja.reports.skm_report import NoResponses
from kinerja.results.queries import bands_of

pytestmark = pytest.mark.django_db

SIGNED = date(2026, 11, 27)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for section in doc.sections for p in section.header.paragraphs]
    parts += [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_it_prints_the_iku_document(uji) -> None:
    for text in (
        pdf_text(render("iku", "pdf", uji, 2021, SIGNED)),
        docx_text(render("iku", "docx", uji, 2021, SIGNED)),
    ):
        assert "INDIKATOR KINERJA UTAMA" in text
        assert "Cakupan layanan" in text and "Hari tunggu" in text
        for target in ("50%", "60%", "70%", "3–5", "7"):
            assert target in text, target
        assert "27 November 2026" in text


def test_it_prints_the_performance_agreement(uji) -> None:
    for text in (
        pdf_text(render("pk", "pdf", uji, 2022, SIGNED)),
        docx_text(render("pk", "docx", uji, 2022, SIGNED)),
    ):
        assert "PERJANJIAN KINERJA TAHUN 2022" in text
        assert "Pertumbuhan layanan" in text and "60%" in text and "3–5" in text
        assert "Pihak Pertama" in text and "Wali Kota Kota Uji" in text
        assert "Uji, 27 November 2026" in text


def test_it_prints_the_achievement_tables(uji) -> None:
    pdf = pdf_text(render("capaian", "pdf", uji, 2021, SIGNED))
    docx = docx_text(render("capaian", "docx", uji, 2021, SIGNED))
    for text in (pdf, docx):
        assert "BAB III" in text and "Cakupan layanan" in text
        # I1 2021: realisation 50 % of a 50 % target; I3: 6,5 days against 7 → 107,14 %
        assert "50,00%" in text and "100,00" in text
        assert "6,5" in text and "107,14" in text
        # against the final Renstra target (2023: 70 %) → 71,43 %
        assert "71,43" in text
    assert "Hal" in pdf or "Page" in pdf  # page numbers


def test_it_writes_the_capaian_workbook_as_the_iku_command_reports(uji) -> None:
    out = StringIO()
    call_command("results", "iku", "--plan", uji.code, "--year", "2021", "--json", stdout=out)
    expected = json.loads(out.getvalue())
    book = load_workbook(io.BytesIO(render("capaian", "xlsx", uji, 2021, SIGNED)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert len(rows) == len(expected["indicators"]) == 3
    for item in expected["indicators"]:
        row = rows[item["code"]]
        assert row["Realisasi"] == item["realisation"]
        assert row["Capaian (%)"] == item["achievement"]
        # the band's Indonesian label ("Sangat Baik"), never its key ("met")
        band = next((b for b in bands_of(uji).values() if b.key == item["status"]), None)
        assert row["Status"] == (band.label if band else row["Status"]) != item["status"]
        if not isinstance(item["target"], dict):
            assert row["Target"] == item["target"]
    assert rows["I1"]["Realisasi"] == 50 and isinstance(rows["I1"]["Realisasi"], int | float)
    assert sheet.cell(row=2, column=6).number_format in ("[$-421]#,##0.00", "[$-421]#,##0")


def test_it_refuses_a_survey_report_without_responses(uji) -> None:
    """A year without answers has nothing to report (docs/rules.md#skm-report)."""
    for fmt in ("pdf", "docx"):
        with pytest.raises(NoResponses, match="belum ada jawaban survei"):
            render("skm", fmt, uji, 2021, SIGNED)


def test_it_writes_a_report_from_the_command_line(uji, tmp_path) -> None:
    target = tmp_path / "pk.docx"
    call_command("report", "write", "pk", "--format", "docx", "-o", str(target), "--plan", uji.code)
    assert "PERJANJIAN KINERJA" in docx_text(target.read_bytes())
    with pytest.raises(CommandError, match="lkjip"):
        call_command("report", "write", "lkj", "-o", str(target), "--plan", uji.code)
    with pytest.raises(CommandError, match="'xlsx'"):
        call_command(
            "report", "write", "pk", "--format", "xlsx", "-o", str(target), "--plan", uji.code
        )
    with pytest.raises(CommandError, match="not a year"):
        call_command(
            "report", "write", "pk", "--year", "1999", "-o", str(target), "--plan", uji.code
        )


def test_the_command_names_every_document_of_the_registry_in_the_ui_language(uji) -> None:
    from kinerja.lib.commands import verbs_of
    from kinerja.reports.management.commands.report import Command

    for language, refusal in (
        ("id", "Tidak ada dokumen 'lkj'. Dokumen yang ada: iku: Indikator Kinerja Utama (IKU)"),
        ("en", "There is no document 'lkj'. The documents are iku: Key performance indicators"),
    ):
        with translation.override(language):
            parser = verbs_of(Command().create_parser("kinerja", "report"))["write"]
            help_text = " ".join(parser.format_help().split())
            for kind, document in DOCUMENTS.items():
                assert f"{kind}: {document.title}, {'/'.join(document.renderers)}" in help_text
            with pytest.raises(CommandError) as refused:
                call_command("report", "write", "lkj", "--plan", uji.code)
            assert str(refused.value).startswith(refusal)
            assert "renaksi: " in str(refused.value) and "triwulan: " in str(refused.value)
    with translation.override("id"):
        assert str(DOCUMENTS["lkjip"].title) == "Laporan Kinerja (LKjIP)"


def test_the_command_says_what_it_wrote_with_the_size_the_ui_language_writes(uji, tmp_path) -> None:
    target = tmp_path / "iku.pdf"
    for language, line in (("id", "Tersimpan {} ({} bita)."), ("en", "Wrote {} ({} bytes).")):
        for verb in (["write", "iku"], ["pk"]):
            out = StringIO()
            with translation.override(language):
                call_command("report", *verb, "-o", str(target), "--plan", uji.code, stdout=out)
            size = target.stat().st_size
            grouped = f"{size:,}".replace(",", "." if language == "id" else ",")
            assert size > 1000 and out.getvalue().splitlines()[0] == line.format(target, grouped)


def test_a_docx_chart_picture_is_the_whole_chart() -> None:
    """Nine bars are taller than a five-year line chart: the picture takes the chart's own
    height (a fixed page cut the SKM chart after U7)."""
    from PIL import Image

    from kinerja.lib.charts import bar_chart
    from kinerja.reports.renderers import CHART_WIDTH_MM, chart_height_mm, chart_png

    svg = bar_chart(
        [(f"U{n} Unsur {n}", Decimal(80 + n), None) for n in range(1, 10)], max_value=100
    )
    width, height = Image.open(io.BytesIO(chart_png(svg, dpi=40))).size
    assert chart_height_mm(svg) > 80
    assert height / width == pytest.approx((chart_height_mm(svg) + 1) / CHART_WIDTH_MM, rel=0.03)


def test_the_capaian_chart_of_a_continuing_plan_runs_across_the_chain(uji) -> None:
    from kinerja.plan.actions import do_load_plan_text
    from kinerja.reports.builders import build_capaian
    from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING
    from kinerja.results.tests.test_series import CROSSWALK, next_plan

    links = CROSSWALK % "redefined"
    text = next_plan("redefined", COVERAGE, GROWTH, WAITING)
    new = do_load_plan_text(text.replace(links, links + "  I2: {same: I2}\n  I3: {same: I3}\n"))
    chart = build_capaian(new, 2025).rows[0].chart
    assert chart.count('class="series-break"') == 1
    # from the old plan's baseline to the new plan's end (its future years with their targets),
    # as the dashboard draws it
    years = re.findall(r'text-anchor="middle" fill="#1d2433">(\d{4})</text>', chart)
    assert years == [str(y) for y in range(2020, 2027)]
    # a plan of its own keeps its own years and baseline, and no marker
    own = build_capaian(uji, 2021).rows[0].chart
    assert "series-break" not in own
    years = re.findall(r'text-anchor="middle" fill="#1d2433">(\d{4})</text>', own)
    assert years == [str(y) for y in range(2020, 2024)]


def test_the_capaian_trend_table_of_a_continuing_plan_reads_the_series(uji) -> None:
    """Table 3.2 runs over the chain's years, each from the plan in force that year, with the
    break marker and the crosswalk's reason as a footnote, in every format."""
    from kinerja.plan.actions import do_load_plan_text
    from kinerja.reports.builders import build_capaian
    from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING
    from kinerja.results.tests.test_series import CROSSWALK, next_plan

    links = CROSSWALK % "redefined"
    text = next_plan("redefined", COVERAGE, GROWTH, WAITING)
    new = do_load_plan_text(text.replace(links, links + "  I2: {same: I2}\n  I3: {same: I3}\n"))
    report = build_capaian(new, 2025)
    assert report.trend_years == [2021, 2022, 2023, 2024, 2025, 2026]
    coverage, growth = report.rows[0], report.rows[1]
    assert [t.broken for t in coverage.history] == [False, False, False, True, False, False]
    assert not any(t.broken for t in growth.history)  # "same": one line
    # 2021 is the old plan's I1 with its own stored result (50 % of a 50 % target)
    old_2021 = coverage.history[0].cell
    assert old_2021 is not None and old_2021.indicator.plan.code == "uji"
    new_2024 = coverage.history[3].cell
    assert old_2021.realisation == 50 and new_2024 is not None and new_2024.indicator.plan == new
    (note,) = report.footnotes
    assert "Rumus baru" in note and coverage.notes == (note,)
    for fmt in ("pdf", "docx"):
        content = render("capaian", fmt, new, 2025, SIGNED)
        printed = pdf_text(content) if fmt == "pdf" else docx_text(content)
        assert "3.2 Capaian Indikator Kinerja Tahun 2021–2026" in printed, fmt
        assert "‖" in printed and "Rumus baru" in printed, fmt
    book = load_workbook(io.BytesIO(render("capaian", "xlsx", new, 2025, SIGNED)))
    trend = book.worksheets[1]
    header = [c.value for c in trend[1]]
    assert header[2] == "Target 2021" and header[-1] == "Catatan"
    first = [c.value for c in trend[2]]
    assert first[3] == 50 and "Rumus baru" in str(first[-1])
    # a plan of its own: its own years, no marker
    own = build_capaian(uji, 2021)
    assert own.trend_years == uji.years and own.footnotes == []
