"""The Rencana Aksi and the quarterly report (laporan triwulan) as documents: data builders
over ``monitoring.queries`` and their DOCX renderers (the PDF goes through the kind's template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kinerja.monitoring.models import QuarterReport
from kinerja.monitoring.queries import LinkedAction, narratives_of, quarter_rows
from kinerja.plan.models import Plan
from kinerja.results.formatting import figure
from kinerja_core.numbers import rupiah

from . import docx_writer as w
from .builders import Report, common

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MODE_TEXT = {"cumulative": "kumulatif", "per_quarter": "per triwulan"}


@dataclass(frozen=True)
class RenaksiRow:
    no: int
    indicator: str
    mode: str
    targets: list[str]
    actions: list[str]


@dataclass(frozen=True)
class RenaksiReport(Report):
    rows: list[RenaksiRow]


def action_text(linked: LinkedAction) -> str:
    """One action as the document lists it: the activity, its budget code with the linked
    line's name and pagu, the responsible position and the months."""
    a, line = linked.action, linked.line
    budget = ""
    if a.budget_code:
        budget = f" ({a.budget_code}"
        if line is not None:
            budget += f": {line.name}, pagu {rupiah(line.budget)}"
        budget += ")"
    months = ", ".join(MONTHS[m - 1] for m in a.months)
    return f"{a.name}{budget}; {a.position}; {months}"


def build_renaksi(plan: Plan, year: int, on: date | None = None) -> RenaksiReport:
    rows = []
    for no, r in enumerate(quarter_rows(plan, plan.unit, year), start=1):
        ind = r.indicator
        rows.append(
            RenaksiRow(
                no,
                f"{ind.code} {ind.name}",
                MODE_TEXT[r.mode],
                [figure(c.target, ind.decimals, ind.unit_suffix) for c in r.quarters],
                [action_text(linked) for linked in r.actions],
            )
        )
    return RenaksiReport(common(plan, year, on), rows)


def docx_renaksi(data: RenaksiReport) -> bytes:
    unit_name, year = data.common.unit_name, data.common.year
    doc = w.new_document(unit_name, landscape=True, demo=data.common.demo)
    w.title(doc, f"RENCANA AKSI TAHUN {year}", unit_name.upper())
    w.table(
        doc,
        [
            "NO",
            "INDIKATOR KINERJA",
            "SIFAT TARGET",
            "TW I",
            "TW II",
            "TW III",
            "TW IV",
            "KEGIATAN / SUB-KEGIATAN; PENANGGUNG JAWAB; BULAN",
        ],
        [[f"{r.no}.", r.indicator, r.mode, *r.targets, r.actions or "–"] for r in data.rows],
        numeric=[3, 4, 5, 6],
    )
    w.signature(doc, data.common.signing)
    return w.to_bytes(doc)


@dataclass(frozen=True)
class QuarterLine:
    quarter: int
    target: str
    realisation: str
    achievement: str
    drivers: str
    obstacles: str
    follow_up: str
    late: bool


@dataclass(frozen=True)
class TriwulanRow:
    no: int
    indicator: str
    quarters: list[QuarterLine]


@dataclass(frozen=True)
class TriwulanReport(Report):
    rows: list[TriwulanRow]
    statuses: list[str]


def build_triwulan(plan: Plan, year: int, on: date | None = None) -> TriwulanReport:
    reports = {
        r.quarter: r
        for r in QuarterReport.objects.filter(
            plan=plan, unit=plan.unit, year=year
        ).prefetch_related("narratives")
    }
    narratives = {q: narratives_of(reports.get(q)) for q in range(1, 5)}
    rows = []
    for no, r in enumerate(quarter_rows(plan, plan.unit, year), start=1):
        ind = r.indicator
        lines = []
        for c in r.quarters:
            n = narratives[c.quarter].get(ind.pk)
            lines.append(
                QuarterLine(
                    c.quarter,
                    figure(c.target, ind.decimals, ind.unit_suffix),
                    figure(c.realisation, ind.decimals, ind.unit_suffix),
                    figure(c.achievement, 2, "%"),
                    n.drivers if n else "",
                    n.obstacles if n else "",
                    n.follow_up if n else "",
                    bool(n and n.late),
                )
            )
        rows.append(TriwulanRow(no, f"{ind.code} {ind.name}", lines))
    statuses = [
        f"TW {q}: {reports[q].get_status_display() if q in reports else QuarterReport.State.DRAFT.label}"
        for q in range(1, 5)
    ]
    return TriwulanReport(common(plan, year, on), rows, statuses)


def docx_triwulan(data: TriwulanReport) -> bytes:
    unit_name, year = data.common.unit_name, data.common.year
    doc = w.new_document(unit_name, landscape=True, demo=data.common.demo)
    w.title(doc, f"LAPORAN TRIWULAN TAHUN {year}", unit_name.upper())
    doc.add_paragraph(" · ".join(str(s) for s in data.statuses))
    w.table(
        doc,
        [
            "NO",
            "INDIKATOR",
            "TW",
            "TARGET",
            "REALISASI",
            "CAPAIAN",
            "FAKTOR PENDORONG",
            "FAKTOR PENGHAMBAT",
            "UPAYA / TINDAK LANJUT",
        ],
        [
            [
                f"{r.no}." if q.quarter == 1 else "",
                r.indicator if q.quarter == 1 else "",
                q.quarter,
                q.target,
                q.realisation,
                q.achievement,
                q.drivers,
                q.obstacles,
                q.follow_up + (" (terlambat)" if q.late else ""),
            ]
            for r in data.rows
            for q in r.quarters
        ],
        numeric=[3, 4, 5],
    )
    w.signature(doc, data.common.signing)
    return w.to_bytes(doc)
