"""The LKjIP as DOCX (docs/rules.md#lkjip), from the same data as its PDF (``lkjip.py``).

Chapters are Word headings (level 1 and 2), so Word's navigation pane and table of contents
find them when the office edits the file further.
"""

from __future__ import annotations

from typing import Any

from docx.shared import Pt, RGBColor

from kinerja.results.formatting import figure

from . import docx_writer as w
from .lkjip import (
    EFFICIENCY_LABEL,
    PROGRAMS_LABEL,
    IndicatorAnalysis,
    LkjipReport,
    SasaranSection,
)

BLACK = RGBColor(0, 0, 0)


def chapter(doc: Any, text: str, level: int = 1) -> None:
    """A Word heading; a chapter (level 1) starts a page, as the PDF's chapters do."""
    paragraph = doc.add_heading(level=level)
    paragraph.paragraph_format.page_break_before = level == 1
    run = paragraph.add_run(text)
    run.font.color.rgb = BLACK


def indicator_part(doc: Any, item: IndicatorAnalysis) -> None:
    w.heading(doc, item.heading)
    for label, text in item.analyses():
        doc.add_paragraph(label).runs[0].italic = True
        doc.add_paragraph(text)


def sasaran_part(doc: Any, section: SasaranSection, formula: str) -> None:
    chapter(doc, f"{section.label} {section.no}: {section.name}", level=3)
    w.table(
        doc,
        ["INDIKATOR KINERJA", "TARGET", "REALISASI", "CAPAIAN (%)"],
        [
            [
                i.row.indicator.name,
                i.row.cell.target_text(),
                i.row.shown(i.row.cell.realisation),
                figure(i.row.cell.achievement, 2),
            ]
            for i in section.indicators
        ],
        numeric=[1, 2, 3],
    )
    for item in section.indicators:
        indicator_part(doc, item)
    doc.add_paragraph(EFFICIENCY_LABEL).runs[0].italic = True
    eff = section.efficiency
    w.table(
        doc,
        ["PAGU (Rp)", "REALISASI (Rp)", "SERAPAN (%)", "CAPAIAN SASARAN (%)", "EFISIENSI"],
        [
            [
                figure(eff.totals.budget, 0),
                figure(eff.totals.spent, 0),
                figure(eff.totals.absorption, 2),
                figure(eff.achievement, 2),
                figure(eff.ratio, 2),
            ]
        ],
        numeric=range(5),
    )
    doc.add_paragraph(formula).runs[0].font.size = Pt(8)
    doc.add_paragraph(eff.sentence())
    doc.add_paragraph(PROGRAMS_LABEL).runs[0].italic = True
    for heading, text in section.programs():
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{heading}: ").bold = True
        paragraph.add_run(text)


def docx_lkjip(data: LkjipReport) -> bytes:
    year, unit_name = data.common.year, data.common.unit_name
    doc = w.new_document(unit_name, demo=data.common.demo, draft=data.common.signing.draft)
    w.title(doc, "LAPORAN KINERJA INSTANSI PEMERINTAH", unit_name.upper(), f"TAHUN {year}")
    chapter(doc, "IKHTISAR EKSEKUTIF")
    for sentence in data.summary:
        doc.add_paragraph(sentence)

    chapter(doc, "BAB I PENDAHULUAN")
    chapter(doc, "A. Fungsi dan Tugas", 2)
    doc.add_paragraph(data.function or "–")
    for task in data.tasks:
        doc.add_paragraph(f"{task['letter']}. {task['text']}")
    chapter(doc, "B. Struktur Organisasi", 2)
    doc.add_paragraph(data.organisation)
    chapter(doc, "C. Isu Strategis", 2)
    doc.add_paragraph(data.strategic_issues)

    chapter(doc, "BAB II PERENCANAAN KINERJA")
    chapter(doc, "A. Tujuan dan Sasaran Renstra", 2)
    for n, goal in enumerate(data.goals, start=1):
        doc.add_paragraph(f"Tujuan {n}: {goal.name}")
        for objective in goal.objectives:
            doc.add_paragraph(f"Sasaran: {objective}", style="List Bullet")
    chapter(doc, "B. Indikator Kinerja Utama", 2)
    w.table(
        doc,
        ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA", "PENANGGUNG JAWAB"],
        [[f"{r.no}.", r.objective, r.indicator, r.responsible] for r in data.iku_rows],
    )
    chapter(doc, f"C. Perjanjian Kinerja Tahun {year}", 2)
    pk_table(doc, data)

    chapter(doc, "BAB III AKUNTABILITAS KINERJA")
    chapter(doc, "A. Capaian Kinerja Organisasi", 2)
    for section in data.sections:
        sasaran_part(doc, section, data.efficiency_formula)
    chapter(doc, "B. Realisasi Anggaran", 2)
    w.table(
        doc,
        ["KODE", "PROGRAM/KEGIATAN/SUB KEGIATAN", "PAGU (Rp)", "REALISASI (Rp)", "SERAPAN"],
        [
            [r.code, "    " * r.depth + r.name, r.budget, r.spent, r.absorption]
            for r in [*data.budget_rows, data.budget_total]
        ],
        numeric=[2, 3, 4],
    )

    chapter(doc, "BAB IV PENUTUP")
    for sentence in data.closing:
        doc.add_paragraph(sentence)
    w.signature(doc, data.common.signing)

    chapter(doc, "LAMPIRAN")
    chapter(doc, f"1. Perjanjian Kinerja Tahun {year}", 2)
    pk_table(doc, data)
    chapter(doc, "2. Indikator Kinerja Utama", 2)
    w.table(
        doc,
        ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA", "FORMULASI", "SUMBER DATA"],
        [[f"{r.no}.", r.objective, r.indicator, r.explanation, r.source] for r in data.iku_rows],
    )
    chapter(doc, "3. Hasil Survei Kepuasan Masyarakat", 2)
    if data.skm_trend:
        w.table(
            doc,
            ["TAHUN", "RESPONDEN", "IKM", "MUTU"],
            [
                [
                    t["year"],
                    t["respondents"],
                    figure(t["ikm"], 2),
                    f"{t['grade']} ({t['grade_label']})",
                ]
                for t in data.skm_trend
            ],
            numeric=[1, 2],
        )
    else:
        doc.add_paragraph("Belum ada hasil SKM yang tercatat.")
    return w.to_bytes(doc)


def pk_table(doc: Any, data: LkjipReport) -> None:
    w.table(
        doc,
        ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"],
        [[f"{r.no}.", r.sasaran, r.indicator, r.target] for r in data.pk_rows],
        numeric=[3],
    )
