"""Renderers: report data (from builders) → file bytes, one function per kind and format.

PDF goes through one HTML template per kind and WeasyPrint; DOCX through python-docx with the
same rows; XLSX keeps numbers as numbers with number formats.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from kinerja.lib.tables import xlsx_bytes
from kinerja.results.formatting import figure, target_text

from . import docx_writer as w
from .builders import CapaianReport, CapaianRow, IkuReport, Report, TrendCell
from .pk import KASI, PkReport
from .xlsx_layout import lay_out


def pdf(template: str, data: Report, extra: Mapping[str, object] | None = None) -> bytes:
    """``extra``: more template context (an issued document's verification mark)."""
    import weasyprint

    html = render_to_string(template, {**data.context(), **(extra or {})})
    pdf_bytes: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf_bytes


def pdf_renderer(kind: str) -> Callable[[Report], bytes]:
    def render(data: Report) -> bytes:
        return pdf(f"reports/{kind}.html", data)

    render.__name__ = f"pdf_{kind}"
    return render


CHART_WIDTH_MM = 150
VIEW_BOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def chart_height_mm(svg: str) -> float:
    """The chart's own height at the printed width, from its viewBox: a page any shorter cuts
    the chart off (nine elements are taller than five years)."""
    found = VIEW_BOX.search(svg)
    if found is None:
        return CHART_WIDTH_MM * 0.48
    width, height = float(found.group(1)), float(found.group(2))
    return CHART_WIDTH_MM * height / width


def chart_png(svg: str, dpi: int = 150) -> bytes:
    """The server's SVG chart as a PNG for DOCX (Word has no reliable SVG): drawn by WeasyPrint
    on a page the size of the chart, rasterised by poppler's pdftoppm."""
    import weasyprint

    page = (
        f"<style>@page {{ size: {CHART_WIDTH_MM}mm {chart_height_mm(svg) + 1:.1f}mm; margin: 0 }}"
        f" body {{ margin: 0 }} svg {{ width: {CHART_WIDTH_MM}mm; height: auto; display: block }}"
        "</style>" + svg
    )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "chart.pdf"
        weasyprint.HTML(string=page).write_pdf(source)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(source), str(Path(tmp) / "c")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(tmp) / "c.png").read_bytes()


# -- iku --------------------------------------------------------------------------------------


def docx_iku(data: IkuReport) -> bytes:
    doc = w.new_document(
        data.common.unit_name,
        landscape=True,
        demo=data.common.demo,
        draft=data.common.signing.draft,
    )
    w.title(doc, data.title, data.subtitle)
    if data.function:
        w.heading(doc, "FUNGSI :")
        doc.add_paragraph(data.function)
    if data.tasks:
        w.heading(doc, "TUGAS :")
        for task in data.tasks:
            doc.add_paragraph(f"{task['letter']}. {task['text']}")
    w.heading(doc, "INDIKATOR KINERJA TUJUAN :")
    w.table(
        doc,
        ["NO.", "TUJUAN", "INDIKATOR TUJUAN", "PENJELASAN/FORMULASI PERHITUNGAN"],
        [[f"{r.no}.", r.goal, r.indicator, r.explanation] for r in data.goal_rows],
    )
    for note in data.notes:
        w.heading(doc, f"NB : Perhitungan {note.label} =")
        doc.add_paragraph(note.explanation)
    w.page_break(doc)
    w.title(doc, "INDIKATOR KINERJA UTAMA (IKU)", f"PADA {data.subtitle}")
    if data.target_table_source:
        doc.add_paragraph(data.target_table_source)
    years = [str(y) for y in data.common.years]
    w.table(
        doc,
        ["NO", "TUJUAN", "SASARAN", "INDIKATOR TUJUAN/SASARAN", *years],
        [[r.no, r.goal, r.objective, r.indicator, *r.targets] for r in data.target_rows],
        numeric=range(4, 4 + len(years)),
    )
    w.heading(doc, "Tabel IKU")
    w.table(
        doc,
        [
            "NO",
            "SASARAN STRATEGIS",
            "INDIKATOR KINERJA UTAMA",
            "PENJELASAN / FORMULASI PERHITUNGAN",
            "SUMBER DATA",
            "PENANGGUNG JAWAB",
        ],
        [
            [f"{r.no}.", r.objective, r.indicator, r.explanation, r.source, r.responsible]
            for r in data.iku_rows
        ],
    )
    w.signature(doc, data.common.signing)
    return w.to_bytes(doc)


# -- pk ---------------------------------------------------------------------------------------


def pk_title(data: PkReport) -> str:
    """PERJANJIAN KINERJA TAHUN 2024, or PERJANJIAN KINERJA PERUBAHAN for a version after the
    first (docs/rules.md#pk-per-level)."""
    kind = "PERJANJIAN KINERJA PERUBAHAN" if data.version > 1 else "PERJANJIAN KINERJA"
    return f"{kind} TAHUN {data.common.year}"


def pk_subtitle(data: PkReport) -> str:
    unit = data.common.unit_name.upper()
    return f"{data.officer.upper()} {unit}" if data.level == KASI else unit


def docx_pk(data: PkReport) -> bytes:
    signing = data.common.signing
    doc = w.new_document(data.common.unit_name, demo=data.common.demo, draft=signing.draft)
    w.title(doc, pk_title(data), pk_subtitle(data))
    if data.version > 1:
        doc.add_paragraph(
            f"Perubahan ke-{data.version - 1} tanggal {data.version_date}: {data.reason}"
        )
    doc.add_paragraph(
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel "
        "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
    )
    doc.add_paragraph(f"Nama\t: {signing.name or w.BLANK_NAME}")
    doc.add_paragraph(f"NIP\t: {signing.nip_text or w.BLANK_NAME}")
    doc.add_paragraph(f"Pangkat/Golongan\t: {signing.rank or w.BLANK_NAME}")
    doc.add_paragraph(f"Jabatan\t: {signing.title}")
    doc.add_paragraph("selanjutnya disebut pihak pertama")
    doc.add_paragraph(f"Nama\t: {signing.superior_name or w.BLANK_NAME}")
    if signing.superior_nip:
        doc.add_paragraph(f"NIP\t: {signing.superior_nip_text}")
    doc.add_paragraph(f"Jabatan\t: {signing.superior_title or w.BLANK_NAME}")
    doc.add_paragraph("selaku atasan pihak pertama, selanjutnya disebut pihak kedua.")
    doc.add_paragraph(
        "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
        "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
        "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target "
        "kinerja tersebut menjadi tanggung jawab kami."
    )
    doc.add_paragraph(
        "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
        "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan "
        "dalam rangka pemberian penghargaan dan sanksi."
    )
    w.two_signatures(doc, signing)
    w.page_break(doc)
    w.title(doc, pk_title(data), pk_subtitle(data))
    w.table(
        doc,
        ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET"],
        [[f"{r.no}.", r.sasaran, r.indicator, r.target] for r in data.rows],
        numeric=[3],
    )
    w.table(
        doc,
        ["NO", "PROGRAM", "ANGGARAN"],
        [[f"{p.no}.", f"{p.code} {p.program}", p.budget] for p in data.programs]
        + [["", "JUMLAH", data.budget_total]],
        numeric=[2],
    )
    w.two_signatures(doc, signing)
    return w.to_bytes(doc)


# -- capaian ----------------------------------------------------------------------------------


def cell_target(row: CapaianRow) -> str:
    return row.cell.target_text()


def trend_target(trend: TrendCell) -> str:
    """A year's target in table 3.2, "‖" before the first year of a new definition."""
    return ("‖ " if trend.broken else "") + (trend.target_text() or "–")


def status_text(row: CapaianRow) -> str:
    cell = row.cell
    if cell.band is not None:
        return cell.status_label
    return f"{cell.status_label}: {cell.reason}" if cell.reason else cell.status_label


def docx_capaian(data: CapaianReport) -> bytes:
    rows = data.rows
    year, years, unit_name = data.common.year, data.common.years, data.common.unit_name
    doc = w.new_document(
        unit_name, landscape=True, demo=data.common.demo, draft=data.common.signing.draft
    )
    w.title(doc, "BAB III AKUNTABILITAS KINERJA", f"{unit_name.upper()} · TAHUN {year}")
    w.heading(doc, f"3.1 Capaian Indikator Kinerja Tahun {year}")
    w.table(
        doc,
        [
            "NO",
            "TUJUAN/SASARAN",
            "INDIKATOR KINERJA",
            "TARGET",
            "REALISASI",
            "CAPAIAN (%)",
            "KETERANGAN",
        ],
        [
            [
                f"{r.no}.",
                r.sasaran,
                r.indicator.name,
                cell_target(r),
                r.shown(r.cell.realisation),
                figure(r.cell.achievement, 2),
                status_text(r),
            ]
            for r in rows
        ],
        numeric=[3, 4, 5],
    )
    trend_years = data.trend_years
    w.heading(doc, f"3.2 Capaian Indikator Kinerja Tahun {trend_years[0]}–{trend_years[-1]}")
    for block in data.trend_blocks():
        history_header = ["NO", "INDIKATOR KINERJA"]
        for y in block.years:
            history_header += [f"T {y}", f"R {y}", f"% {y}"]
        w.table(
            doc,
            history_header,
            [
                [f"{r.no}.", r.indicator.name]
                + [
                    part
                    for t in cells
                    for part in (
                        trend_target(t),
                        figure(t.cell.realisation if t.cell else None, r.decimals),
                        figure(t.cell.achievement if t.cell else None, 2),
                    )
                ]
                for r, cells in block.rows
            ],
            numeric=range(2, 2 + 3 * len(block.years)),
        )
    legend = "T = target, R = realisasi, % = capaian"
    doc.add_paragraph(legend + (", ‖ = definisi baru." if data.footnotes else "."))
    for note in data.footnotes:
        doc.add_paragraph(f"‖ {note}")
    w.heading(doc, f"3.3 Capaian Tahun {year} terhadap Target Akhir Renstra ({years[-1]})")
    w.table(
        doc,
        [
            "NO",
            "INDIKATOR KINERJA",
            f"REALISASI {year}",
            f"TARGET AKHIR RENSTRA {years[-1]}",
            "CAPAIAN TERHADAP TARGET AKHIR (%)",
        ],
        [
            [
                f"{r.no}.",
                r.indicator.name,
                r.shown(r.cell.realisation),
                target_text(r.indicator, r.final_target),
                figure(r.final_achievement, 2),
            ]
            for r in rows
        ],
        numeric=[2, 3, 4],
    )
    w.page_break(doc)
    w.heading(doc, f"3.4 Grafik Realisasi dan Target {years[0]}–{years[-1]}")
    for r in rows:
        doc.add_paragraph(f"{r.no}. {r.indicator.name}")
        w.picture(doc, chart_png(r.chart))
    w.signature(doc, data.common.signing)
    return w.to_bytes(doc)


def xlsx_capaian(data: CapaianReport) -> bytes:
    """Three sheets (3.1, 3.2, 3.3) with numbers as numbers, rounded as printed."""
    rows = data.rows
    year, years = data.common.year, data.common.years

    def n(value: Any, decimals: int) -> Any:
        from kinerja.results.queries import rounded

        return rounded(value, decimals)

    def target_number(cell: Any) -> Any:
        rng = cell.target_range
        if rng is not None:
            return f"{figure(rng[0], cell.decimals)}–{figure(rng[1], cell.decimals)}"
        return n(cell.target_value, cell.decimals)

    sheet1 = [
        [
            r.indicator.code,
            r.sasaran,
            r.indicator.name,
            r.indicator.get_unit_display(),
            target_number(r.cell),
            n(r.cell.realisation, r.decimals),
            n(r.cell.achievement, r.decimals),
            r.cell.status_label,
            r.cell.reason or "",
        ]
        for r in rows
    ]
    header2 = ["Kode", "Indikator"]
    for y in data.trend_years:
        header2 += [f"Target {y}", f"Realisasi {y}", f"Capaian {y} (%)"]
    header2.append("Catatan")
    sheet2 = [
        [r.indicator.code, r.indicator.name]
        + [
            v
            for t in r.history
            for v in (
                (None, None, None)
                if t.cell is None
                else (
                    target_number(t.cell),
                    n(t.cell.realisation, r.decimals),
                    n(t.cell.achievement, r.decimals),
                )
            )
        ]
        + [" ".join(f"‖ {note}" for note in r.notes)]
        for r in rows
    ]
    final = years[-1]
    sheet3 = [
        [
            r.indicator.code,
            r.indicator.name,
            n(r.cell.realisation, r.decimals),
            None
            if r.final_target is None
            else (
                n(r.final_target.value, r.decimals)
                if not r.final_target.is_range
                else target_text(r.indicator, r.final_target)
            ),
            n(r.final_achievement, r.decimals),
        ]
        for r in rows
    ]
    return xlsx_bytes(
        [
            (
                f"3.1 Capaian {year}",
                [
                    "Kode",
                    "Tujuan/Sasaran",
                    "Indikator",
                    "Satuan",
                    "Target",
                    "Realisasi",
                    "Capaian (%)",
                    "Status",
                    "Keterangan",
                ],
                sheet1,
            ),
            (f"3.2 Renstra {data.trend_years[0]}-{final}", header2, sheet2),
            (
                f"3.3 Target akhir {final}",
                [
                    "Kode",
                    "Indikator",
                    f"Realisasi {year}",
                    f"Target akhir {final}",
                    "Capaian terhadap target akhir (%)",
                ],
                sheet3,
            ),
        ],
        layout=lay_out,
    )
