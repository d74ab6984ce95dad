"""The data of the whole LKjIP of a year (docs/rules.md#lkjip), built once for PDF and DOCX.

Every figure is a stored result read through the functions the pages and the API read: the
capaian rows (``build_capaian``: ``Cell`` of ``results.queries``), the series across plan
versions (``results.series``), the budget totals (``budget.queries``). The sentences of
analyses 1–3, 4 (peers) and 6 are assembled from those figures only; analyses 5 and 7 and the
narrative parts of chapter I are what staff wrote (``narratives``), else "analisis belum diisi".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.budget.queries import Totals, objective_totals, tree, unit_year_totals
from kinerja.plan.models import Indicator, Objective, Plan
from kinerja.plan.planfile.document import TaskJSON
from kinerja.plan.versions import indicators_of
from kinerja.results.formatting import figure, target_text
from kinerja.results.queries import Cell, ResultIndex, bands_of, year_target
from kinerja.results.series import Point, Series, plan_series
from kinerja.surveys import published
from kinerja_core.ikm import DEFAULT_METHOD, Grade, grade_of
from kinerja_core.numbers import rupiah

from .builders import (
    CapaianRow,
    IkuRow,
    Report,
    build_capaian,
    build_iku,
    sasaran_of,
)
from .models import LkjipNarrative
from .narratives import Narratives
from .pk import PkRow, build_pk
from .skm_report import trend_rows

HUNDREDTH = Decimal("0.01")
IKM_MEASURE = "ikm"  # the survey's measure (kinerja/surveys/measures.py)
EFFICIENCY_FORMULA = (
    "Serapan anggaran (%) = realisasi anggaran ÷ pagu × 100. "
    "Capaian sasaran (%) = rata-rata capaian indikator sasaran yang dapat dihitung. "
    "Efisiensi = capaian sasaran (%) ÷ serapan anggaran (%); "
    "nilai di atas 1 berarti capaian kinerja lebih tinggi daripada anggaran yang terserap."
)


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{figure(value, 2)} %"


def realisation_text(cell: Cell) -> str:
    if cell.realisation is None:
        return "–"
    return figure(cell.realisation, cell.decimals, cell.indicator.unit_suffix)


def shown(value: Decimal | None, decimals: int) -> Decimal | None:
    """A figure rounded as it prints, so a difference is the difference of printed figures."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# -- sentences from figures (analyses 1, 2, 3, 4 peers, 6) --------------------------------------


def is_ikm(indicator: Indicator) -> bool:
    """The indicator is the IKM: its formula is the survey's ``ikm`` measure, named directly or
    bound to a name (the IKM of some services)."""
    name = indicator.formula.strip()
    binding = (indicator.bindings or {}).get(name)
    return (binding["measure"] if binding else name) == IKM_MEASURE


def ikm_grade(cell: Cell, unit: OrgUnit, year: int) -> Grade | None:
    """The grade (mutu pelayanan) of an IKM realisation (docs/rules.md#ikm-grade); a published
    value is graded by the method it was published under (docs/rules.md#ikm-published-values)."""
    if cell.realisation is None:
        return None
    method = DEFAULT_METHOD
    if cell.published:
        record = published.in_force([unit], year).get((unit.pk, year))
        method = record.method if record is not None else method
    return grade_of(cell.realisation, method)


def current_sentence(row: CapaianRow, year: int, grade: Grade | None = None) -> str:
    """Analysis 1: this year's target against realisation, with the IKM's grade (``grade``)."""
    cell, name = row.cell, row.indicator.name
    if cell.realisation is None:
        return f"Realisasi {name} tahun {year} belum tersedia ({cell.reason or cell.status_label})."
    text = f"Realisasi {name} tahun {year} sebesar {realisation_text(cell)}"
    if cell.band is not None:
        text += f" ({cell.status_label})"
    if grade is not None:
        text += f", mutu pelayanan {grade.letter} ({grade.label})"
    if cell.achievement is None:
        return f"{text}; capaian terhadap target {cell.target_text()} tidak dapat dihitung."
    return f"{text}, dengan capaian {percent(cell.achievement)} dari target {cell.target_text()}."


def change_words(now: Decimal, before: Decimal, decimals: int) -> str:
    """A percentage changes by percentage points, an index by points: both print "poin"."""
    difference = now - before
    if difference == 0:
        return "sama dengan"
    return f"{'naik' if difference > 0 else 'turun'} {figure(abs(difference), decimals)} poin dari"


def history_sentence(row: CapaianRow, year: int, series: Series | None) -> str:
    """Analysis 2: against last year and the years before, across plan versions."""
    name, decimals = row.indicator.name, row.decimals
    earlier = [p for p in (series.points if series else []) if p.year < year]
    if not earlier:
        return f"Belum ada realisasi {name} tahun-tahun sebelumnya untuk dibandingkan."
    parts = []
    last = earlier[-1]
    now = shown(row.cell.realisation, decimals)
    before = shown(last.realisation, last.cell.decimals)
    if now is not None and before is not None and last.year == year - 1:
        words = change_words(now, before, decimals)
        parts.append(
            f"Realisasi tahun {year} {words} tahun {last.year} "
            f"({realisation_text(last.cell)})"
            + (
                ", dengan definisi indikator yang berubah"
                if series and year in series.breaks
                else ""
            )
            + "."
        )
    listed = "; ".join(point_text(p) for p in earlier)
    parts.append(f"Realisasi dan capaian tahun-tahun sebelumnya: {listed}.")
    if series is not None:
        parts.extend(series.footnotes())
    return " ".join(parts)


def point_text(point: Point) -> str:
    achieved = point.cell.achievement
    text = f"{point.year} {realisation_text(point.cell)}"
    return text + (f" (capaian {percent(achieved)})" if achieved is not None else "")


def end_target_sentence(row: CapaianRow, year: int, end_year: int) -> str:
    """Analysis 3: this year's realisation against the Renstra's end target."""
    final = row.final_target
    if final is None:
        return f"Target akhir Renstra ({end_year}) untuk indikator ini tidak tercatat."
    target_shown = target_text(row.indicator, final)
    if row.final_achievement is None:
        return (
            f"Capaian tahun {year} terhadap target akhir Renstra {end_year} "
            f"({target_shown}) belum dapat dihitung."
        )
    return (
        f"Realisasi tahun {year} mencapai {percent(row.final_achievement)} dari target akhir "
        f"Renstra tahun {end_year} sebesar {target_shown}."
    )


@dataclass(frozen=True)
class Peer:
    unit: OrgUnit
    cell: Cell


def peers_of(plan: Plan, year: int) -> dict[str, list[Peer]]:
    """{indicator code: the same indicator of the other units of the plan unit's level}, each
    read from that unit's plan in force in ``year`` as its own IKU table shows it."""
    found: dict[str, list[Peer]] = {}
    others = Plan.objects.filter(
        unit__level=plan.unit.level, start_year__lte=year, end_year__gte=year
    ).exclude(unit=plan.unit)
    for other in others.select_related("unit").order_by("unit__name", "code"):
        index = ResultIndex.load(other, [other.unit], [year])
        bands = bands_of(other)
        for ind in indicators_of(other, year):
            cell = Cell(ind, index.get(ind, other.unit, str(year)), bands, year_target(ind, year))
            found.setdefault(ind.code, []).append(Peer(other.unit, cell))
    return found


def peer_sentence(row: CapaianRow, peers: list[Peer]) -> str:
    """Analysis 4: no national or regional standard is recorded in Kinerja; the peers are."""
    text = "Standar nasional atau daerah untuk indikator ini belum dicatat."
    measured = [p for p in peers if p.cell.realisation is not None]
    if not measured:
        return text + " Belum ada data unit lain yang setingkat untuk dibandingkan."
    listed = "; ".join(f"{p.unit.name} {realisation_text(p.cell)}" for p in measured)
    return (
        f"{text} Dibandingkan unit lain yang setingkat: {listed}; "
        f"unit ini {realisation_text(row.cell)}."
    )


@dataclass(frozen=True)
class Efficiency:
    of: str  # sasaran or tujuan, as the sentence names it
    totals: Totals
    achievement: Decimal | None

    @property
    def ratio(self) -> Decimal | None:
        absorption = self.totals.absorption
        if absorption is None or not absorption or self.achievement is None:
            return None
        return (self.achievement / absorption).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)

    def sentence(self) -> str:
        """Analysis 6: budget absorbed against achievement."""
        if not self.totals.budget:
            return f"Belum ada baris anggaran yang ditautkan ke {self.of} ini."
        text = (
            f"Anggaran yang mendukung {self.of} ini terserap {percent(self.totals.absorption)} "
            f"({rupiah(self.totals.spent)} dari pagu {rupiah(self.totals.budget)})"
        )
        if self.achievement is None or self.ratio is None:
            return text + "; capaian sasaran belum dapat dihitung."
        return (
            f"{text}, dengan capaian {self.of} {percent(self.achievement)}; "
            f"efisiensi {figure(self.ratio, 2)}."
        )


def mean_achievement(rows: list[CapaianRow]) -> Decimal | None:
    values = [r.cell.achievement for r in rows if r.cell.achievement is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


# -- the document's data ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorAnalysis:
    row: CapaianRow
    current: str  # 1
    history: str  # 2
    end_target: str  # 3
    comparison: str  # 4
    causes: str  # 5
    programs: str  # 7

    def analyses(self) -> list[tuple[str, str]]:
        """(label, text) of analyses 1–5 in order; 6 is the sasaran's, and 7 follows it
        (``SasaranSection.programs``), so the seven print in their order (docs/rules.md#lkjip)."""
        return [
            ("1. Target dan realisasi tahun ini", self.current),
            ("2. Perbandingan dengan tahun-tahun sebelumnya", self.history),
            ("3. Perbandingan dengan target akhir Renstra", self.end_target),
            (
                "4. Perbandingan dengan standar nasional/daerah dan unit lain yang setingkat",
                self.comparison,
            ),
            ("5. Penyebab keberhasilan/kegagalan dan solusi yang dilakukan", self.causes),
        ]

    @property
    def heading(self) -> str:
        return f"Indikator {self.row.indicator.code} {self.row.indicator.name}"


EFFICIENCY_LABEL = "6. Efisiensi penggunaan sumber daya"
PROGRAMS_LABEL = "7. Program dan kegiatan yang menunjang atau menghambat"


@dataclass(frozen=True)
class SasaranSection:
    label: str  # Sasaran, or Tujuan for goal-level indicators
    no: int
    name: str
    indicators: list[IndicatorAnalysis]
    efficiency: Efficiency

    def programs(self) -> list[tuple[str, str]]:
        """(indicator heading, text) of analysis 7, after the sasaran's analysis 6."""
        return [(item.heading, item.programs) for item in self.indicators]


@dataclass(frozen=True)
class GoalPlan:
    name: str
    objectives: list[str]


@dataclass(frozen=True)
class BudgetRow:
    code: str
    name: str
    depth: int
    budget: str
    spent: str
    absorption: str


@dataclass(frozen=True)
class LkjipReport(Report):
    function: str
    tasks: list[TaskJSON]
    organisation: str
    strategic_issues: str
    goals: list[GoalPlan]
    iku_rows: list[IkuRow]
    pk_rows: list[PkRow]
    summary: list[str]
    sections: list[SasaranSection]
    efficiency_formula: str
    budget_rows: list[BudgetRow]
    budget_total: BudgetRow
    closing: list[str]
    skm_trend: list[dict[str, Any]]  # the SKM report's IKM of each year

    def context(self) -> dict[str, object]:
        return {
            **super().context(),
            "efficiency_label": EFFICIENCY_LABEL,
            "programs_label": PROGRAMS_LABEL,
        }


def group_by_sasaran(
    rows: list[CapaianRow],
) -> list[tuple[str, Objective | None, list[CapaianRow]]]:
    """The rows per objective (sasaran), or per goal (tujuan) for goal-level indicators, in the
    plan's order."""
    groups: dict[tuple[str, int], tuple[str, Objective | None, list[CapaianRow]]] = {}
    for row in rows:
        ind = row.indicator
        key = ("objective", ind.objective_id) if ind.objective_id else ("goal", ind.goal_id)
        groups.setdefault(key, (sasaran_of(ind), ind.objective, []))[2].append(row)
    return list(groups.values())


def numbered(groups: list[tuple[str, Objective | None, list[CapaianRow]]]) -> list[tuple[str, int]]:
    """("Tujuan", n) or ("Sasaran", n) per group, each kind numbered on its own."""
    counts = {"Tujuan": 0, "Sasaran": 0}
    labels = []
    for _name, objective, _rows in groups:
        label = "Sasaran" if objective is not None else "Tujuan"
        counts[label] += 1
        labels.append((label, counts[label]))
    return labels


def budget_row(code: str, name: str, depth: int, totals: Totals) -> BudgetRow:
    return BudgetRow(
        code,
        name,
        depth,
        figure(totals.budget, 0),
        figure(totals.spent, 0),
        percent(totals.absorption),
    )


def summary_sentences(plan: Plan, year: int, rows: list[CapaianRow], budget: Totals) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.cell.status_label] = counts.get(row.cell.status_label, 0) + 1
    listed = ", ".join(f"{n} {label}" for label, n in counts.items())
    sentences = [
        f"Pada tahun {year}, {plan.unit} mengukur {len(rows)} indikator kinerja "
        f"Renstra {plan.start_year}–{plan.end_year}: {listed}."
    ]
    if budget.budget:
        sentences.append(
            f"Realisasi anggaran tahun {year} sebesar {rupiah(budget.spent)} dari pagu "
            f"{rupiah(budget.budget)} (serapan {percent(budget.absorption)})."
        )
    return sentences


def build_lkjip(plan: Plan, year: int, on: date | None = None) -> LkjipReport:
    capaian = build_capaian(plan, year, on, charts=False)  # the LKjIP prints no trend chart
    iku = build_iku(plan, year, on)
    pk = build_pk(plan, year, on)
    base = capaian.common
    narratives = Narratives.load(plan.unit, year)
    series = plan_series(plan, until=year)
    peers = peers_of(plan, year)
    groups = group_by_sasaran(capaian.rows)
    budgets = objective_totals([o for _, o, _ in groups if o is not None], year)
    sections = []
    for (label, n), (name, objective, rows) in zip(numbered(groups), groups, strict=True):
        analyses = [
            IndicatorAnalysis(
                row=row,
                current=current_sentence(
                    row,
                    year,
                    ikm_grade(row.cell, plan.unit, year) if is_ikm(row.indicator) else None,
                ),
                history=history_sentence(row, year, series.get(row.indicator.code)),
                end_target=end_target_sentence(row, year, plan.end_year),
                comparison=peer_sentence(row, peers.get(row.indicator.code, [])),
                causes=narratives.text(LkjipNarrative.Kind.CAUSES, row.indicator.code),
                programs=narratives.text(LkjipNarrative.Kind.PROGRAMS, row.indicator.code),
            )
            for row in rows
        ]
        totals = budgets.get(objective.pk, Totals()) if objective is not None else Totals()
        efficiency = Efficiency(label.lower(), totals, mean_achievement(rows))
        sections.append(SasaranSection(label, n, name, analyses, efficiency))
    unit_budget = unit_year_totals(plan.unit, year)
    goals = [
        GoalPlan(g.name, [o.name for o in g.objectives.all()])
        for g in plan.goals.order_by("order").prefetch_related("objectives")
    ]
    summary = summary_sentences(plan, year, capaian.rows, unit_budget)
    return LkjipReport(
        common=base,
        function=plan.profile_function,
        tasks=plan.profile_tasks,
        organisation=narratives.text(LkjipNarrative.Kind.ORGANISATION),
        strategic_issues=narratives.text(LkjipNarrative.Kind.STRATEGIC_ISSUES),
        goals=goals,
        iku_rows=iku.iku_rows,
        pk_rows=pk.rows,
        summary=summary,
        sections=sections,
        efficiency_formula=EFFICIENCY_FORMULA,
        budget_rows=[
            budget_row(node.line.code, node.line.name, node.depth, node.totals)
            for node in tree(plan.unit, year)
        ],
        budget_total=budget_row("", "Jumlah", 0, unit_budget),
        closing=[
            f"Laporan Kinerja Instansi Pemerintah {plan.unit} tahun {year} ini disusun "
            f"sebagai pertanggungjawaban atas pelaksanaan Renstra {plan.start_year}–"
            f"{plan.end_year} pada tahun tersebut.",
            *summary,
        ],
        skm_trend=[r for r in trend_rows(plan.unit, plan.years) if int(r["year"]) <= year],
    )
