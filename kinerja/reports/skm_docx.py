"""The SKM report (skm_report.py) as DOCX: the same chapters and tables as the PDF template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.results.formatting import figure
from kinerja_core.periods import indonesian_date

from . import docx_writer as w
from .renderers import chart_png
from .skm_report import SkmReport

FOLLOWUP_HEADER = ["Unsur", "Kegiatan", "Penanggung jawab", "Batas waktu", "Status"]


def whole(value: int | None) -> str:
    return figure(None if value is None else Decimal(value), 0)


def count(value: int | str) -> str:
    """A respondent count, or the "< 5" of a group too small to show."""
    return value if isinstance(value, str) else whole(value)


def followup_table(doc: Any, rows: list[dict[str, Any]]) -> None:
    w.table(
        doc,
        FOLLOWUP_HEADER,
        [
            [
                f["element"],
                f["action"],
                f["owner"],
                indonesian_date(f["deadline"]) if f["deadline"] else "–",
                f["status_label"],
            ]
            for f in rows
        ],
    )


def numbered(doc: Any, items: list[str]) -> None:
    for n, item in enumerate(items, start=1):
        doc.add_paragraph(f"{n}. {item}")


def docx_skm_report(data: SkmReport) -> bytes:
    skm = data.data
    unit, label = skm["unit"]["name"], skm["period"]["label"]
    doc = w.new_document(
        data.common.unit_name, demo=data.common.demo, draft=data.common.signing.draft
    )
    w.title(doc, "LAPORAN SURVEI KEPUASAN MASYARAKAT", f"{unit.upper()} · TAHUN {label}")

    w.heading(doc, "BAB I PENDAHULUAN")
    w.heading(doc, "A. Latar Belakang")
    doc.add_paragraph(
        "Survei Kepuasan Masyarakat (SKM) adalah kegiatan pengukuran secara komprehensif tentang "
        "tingkat kepuasan masyarakat terhadap kualitas layanan yang diberikan oleh "
        f"penyelenggara pelayanan publik. {unit} melaksanakan survei ini sekurang-kurangnya "
        "sekali setahun dan mempublikasikan hasilnya beserta rencana tindak lanjut."
    )
    w.heading(doc, "B. Dasar Hukum")
    numbered(doc, list(data.legal_basis))
    w.heading(doc, "C. Maksud dan Tujuan")
    doc.add_paragraph(
        f"Survei ini dimaksudkan untuk mengetahui tingkat kepuasan masyarakat pengguna layanan "
        f"{unit} tahun {label}, dengan tujuan:"
    )
    numbered(
        doc,
        [
            "mengetahui kelemahan dan kekuatan tiap unsur pelayanan;",
            "mengukur kinerja penyelenggaraan pelayanan secara berkala;",
            "menjadi bahan penetapan kebijakan dan rencana tindak lanjut perbaikan pelayanan;",
            "memberi umpan balik kepada masyarakat atas pendapat yang mereka sampaikan.",
        ],
    )

    w.heading(doc, "BAB II PENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT")
    w.heading(doc, "A. Pelaksana SKM")
    doc.add_paragraph(f"Survei dilaksanakan secara mandiri oleh {unit}.")
    w.heading(doc, "B. Metode Pengumpulan Data")
    doc.add_paragraph(
        f"Data dikumpulkan dengan kuesioner sembilan unsur pelayanan menurut "
        f"{skm['method']['label']}, masing-masing dinilai dengan skala 1 sampai 4 (lihat "
        "Lampiran 1), melalui:"
    )
    for channel in data.channels:
        doc.add_paragraph(f"– {channel}")
    w.heading(doc, "C. Lokasi Pengumpulan Data")
    doc.add_paragraph(f"Ruang pelayanan {unit}, pada loket setiap jenis layanan yang disurvei.")
    w.heading(doc, "D. Waktu Pelaksanaan SKM")
    doc.add_paragraph(
        f"Jawaban pertama diterima {data.first_day} dan jawaban terakhir {data.last_day}."
    )
    w.heading(doc, "E. Penentuan Jumlah Responden")
    doc.add_paragraph(
        "Jumlah sampel minimal ditentukan dengan rumus Krejcie dan Morgan: "
        "s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), dengan χ² = 3,841, P = 0,5 dan d = 0,05, "
        "dan N jumlah pengguna layanan dalam periode survei."
    )
    w.table(
        doc,
        ["Uraian", "Jumlah"],
        [
            ["Jumlah pengguna layanan (populasi, N)", whole(skm["population"])],
            ["Jumlah sampel minimal (Krejcie dan Morgan)", whole(skm["sample_target"])],
            ["Jumlah responden yang diperoleh", whole(skm["respondents"])],
            [
                "Keterangan",
                "memenuhi sampel minimal" if data.sample_met else "belum memenuhi sampel minimal",
            ],
        ],
        numeric=[1],
    )

    w.heading(doc, "BAB III HASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT")
    w.heading(doc, "A. Jumlah Responden dan Profilnya")
    w.table(
        doc,
        ["Karakteristik", "Kelompok", "Responden"],
        [
            [group["label"] if n == 0 else "", item["label"], count(item["count"])]
            for group in data.profile
            for n, item in enumerate(group["items"])
        ],
        numeric=[2],
    )
    w.heading(doc, "B. Indeks per Unsur Pelayanan")
    w.table(
        doc,
        ["Unsur", "Jumlah nilai", "NRR", "NRR × 25", "Mutu"],
        [
            [
                f"{e['code']} {e['name']}",
                whole(e["total"]),
                figure(e["nrr"], 2),
                figure(e["ikm"], 2),
                e["grade"],
            ]
            for e in skm["elements"]
        ],
        numeric=[1, 2, 3],
    )
    if data.chart:
        w.picture(doc, chart_png(data.chart))
    w.heading(doc, "C. Indeks per Jenis Layanan")
    w.table(
        doc,
        ["Jenis layanan", "Responden", "IKM", "Mutu"],
        [
            [s["label"], count(s["respondents"]), figure(s["ikm"], 2), s["grade"] or "–"]
            for s in data.services
        ],
        numeric=[1, 2],
    )
    w.heading(doc, "D. Indeks Kepuasan Masyarakat Unit Pelayanan")
    doc.add_paragraph(
        f"IKM {unit} tahun {label} = {figure(skm['ikm'], 2)}, mutu pelayanan {skm['grade']} "
        f"({skm['grade_label']})."
    )

    w.heading(doc, "BAB IV ANALISIS HASIL SURVEI KEPUASAN MASYARAKAT")
    w.heading(doc, "A. Analisis Unsur Terlemah dan Terkuat")
    doc.add_paragraph("Unsur dengan nilai terendah:")
    numbered(
        doc,
        [
            f"{e['code']} {e['name']}: {figure(e['ikm'], 2)} (mutu {e['grade']})"
            for e in data.weakest
        ],
    )
    doc.add_paragraph("Unsur dengan nilai tertinggi:")
    numbered(
        doc,
        [
            f"{e['code']} {e['name']}: {figure(e['ikm'], 2)} (mutu {e['grade']})"
            for e in data.strongest
        ],
    )
    w.heading(doc, "B. Rencana Tindak Lanjut")
    if skm["followups"]:
        followup_table(doc, skm["followups"])
    else:
        doc.add_paragraph(
            "Rencana tindak lanjut tahun ini belum dicatat; disusun mulai dari unsur terendah: "
            + ", ".join(e["code"] for e in data.weakest)
            + "."
        )
    w.heading(doc, f"C. Tindak Lanjut Periode Sebelumnya ({data.previous_period})")
    if data.previous_followups:
        followup_table(doc, data.previous_followups)
    else:
        doc.add_paragraph(
            f"Tidak ada rencana tindak lanjut yang tercatat untuk periode {data.previous_period}."
        )
    w.heading(doc, "D. Tren Nilai SKM")
    w.table(
        doc,
        ["Tahun", "Responden", "IKM", "Mutu"],
        [
            [
                str(t["year"]),
                whole(t["respondents"]),
                figure(t["ikm"], 2),
                f"{t['grade']} ({t['grade_label']})",
            ]
            for t in data.trend
        ],
        numeric=[1, 2],
    )

    w.heading(doc, "BAB V KESIMPULAN")
    numbered(doc, data.conclusion)
    w.signature(doc, data.common.signing)

    w.page_break(doc)
    w.heading(doc, "LAMPIRAN")
    w.heading(doc, "Lampiran 1. Kuesioner")
    for n, q in enumerate(data.questionnaire, start=1):
        doc.add_paragraph(f"{n}. {q['question']}")
        if q["choices"]:
            numbers = bool(q["code"])
            doc.add_paragraph(
                " · ".join(
                    f"{i}. {c}" if numbers else c for i, c in enumerate(q["choices"], start=1)
                )
            )
    w.heading(doc, "Lampiran 2. Tabel Rekapitulasi Jawaban")
    w.table(
        doc,
        ["Unsur", "Nilai 1", "Nilai 2", "Nilai 3", "Nilai 4", "Jumlah nilai", "NRR"],
        [
            [
                f"{r['code']} {r['name']}",
                *(whole(n) for n in r["counts"]),
                whole(r["total"]),
                figure(r["nrr"], 2),
            ]
            for r in data.recap
        ],
        numeric=range(1, 7),
    )
    w.heading(doc, "Lampiran 3. Saran Responden")
    if data.suggestion_groups:
        doc.add_paragraph(
            f"{whole(data.suggestions_total)} saran; saran yang sama dihitung sekali beserta "
            "jumlahnya."
        )
        w.table(
            doc,
            ["Saran", "Jumlah"],
            [[s["text"], whole(s["count"])] for s in data.suggestion_groups],
            numeric=[1],
        )
    else:
        doc.add_paragraph("Tidak ada saran tertulis.")
    return w.to_bytes(doc)
