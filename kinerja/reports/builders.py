"""Report data, built once per document and rendered by every format (PDF, DOCX, XLSX).

Builders read the plan and the stored results (never compute an indicator) and return one
frozen dataclass per kind: text already formatted the Indonesian way where a document prints
text, and Decimals where a spreadsheet needs numbers. PDF templates see its fields by name
(``Report.context``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kinerja.lib.models import DemoMarker
from kinerja.plan.explanation import to_html, to_plain
from kinerja.plan.models import Indicator, Plan, Target
from kinerja.plan.planfile.document import TaskJSON
from kinerja.plan.versions import indicators_of
from kinerja.results.dashboard import series_chart
from kinerja.results.formatting import figure, target_text
from kinerja.results.queries import (
    Cell,
    ResultIndex,
    bands_of,
    rounded,
    year_target,
)
from kinerja.results.series import plan_series
from kinerja_core.achievement import Band, achievement

from .signing import Signing, signing_for

# An office files its documents in Indonesian, whoever prints them (docs/rules.md#documents).
DOCUMENT_LANGUAGE = "id"


@dataclass(frozen=True)
class Common:
    """What every document of a plan prints: unit, period, year, signing."""

    plan: Plan
    year: int
    unit_name: str
    years: list[int]
    signing: Signing
    demo: bool
    indicators: list[Indicator]

    def context(self) -> dict[str, object]:
        return {
            "plan": self.plan,
            "year": self.year,
            "unit_name": self.unit_name,
            "years": self.years,
            "signing": self.signing,
            "demo": self.demo,
        }


@dataclass(frozen=True)
class Report:
    """The data of one document: the common part and the kind's own fields."""

    common: Common

    def context(self) -> dict[str, object]:
        """Every field by name (the common ones too), as a PDF template reads them."""
        own = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "common"}
        return {**self.common.context(), **own}


def common(plan: Plan, year: int, on: date | None = None, kind: str = "") -> Common:
    return Common(
        plan=plan,
        year=year,
        unit_name=str(plan.unit),
        years=plan.years,
        signing=signing_for(plan, kind, year, on),
        demo=DemoMarker.objects.exists(),
        indicators=indicators_of(plan, year),
    )


def sasaran_of(indicator: Indicator) -> str:
    return indicator.objective.name if indicator.objective else indicator.goal.name


def printed_name(plan: Plan, code: str, name: str) -> str:
    """The name the plan's document prints for the goal or indicator ``code`` where it differs
    from the stored one (``document.target_name.CODE``: "Indeks Kepuasan Masyarakat (IKM)" for
    S2.1, stored as "IKM"), else ``name`` (docs/rules.md#signing)."""
    return str((plan.document or {}).get(f"target_name.{code}") or name)


# -- iku ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    no: int
    goal: str
    indicator: str
    explanation_html: str
    explanation: str


@dataclass(frozen=True)
class CalculationNote:
    """How a derived measure is calculated ("NB: Perhitungan …")."""

    label: str
    explanation_html: str
    explanation: str


@dataclass(frozen=True)
class TargetRow:
    no: int | str  # the goal's number on its first row only
    goal: str
    objective: str
    indicator: str
    targets: list[str]


@dataclass(frozen=True)
class IkuRow:
    no: int
    objective: str
    indicator: str
    explanation_html: str
    explanation: str
    source: str
    responsible: str


@dataclass(frozen=True)
class IkuReport(Report):
    title: str
    subtitle: str
    target_table_source: str
    function: str
    tasks: list[TaskJSON]
    goal_rows: list[GoalRow]
    notes: list[CalculationNote]
    target_rows: list[TargetRow]
    iku_rows: list[IkuRow]


def build_iku(plan: Plan, year: int, on: date | None = None) -> IkuReport:
    base = common(plan, year, on, "iku")
    inds = base.indicators
    goal_rows = []
    for n, goal in enumerate(sorted({i.goal for i in inds}, key=lambda g: g.order), start=1):
        for ind in (i for i in inds if i.goal_id == goal.pk and i.objective_id is None):
            goal_rows.append(
                GoalRow(
                    no=n,
                    goal=goal.name,
                    indicator=ind.name,
                    explanation_html=to_html(ind.explanation),
                    explanation=to_plain(ind.explanation),
                )
            )
    doc = plan.document or {}
    # docs/rules.md#signing: a plan may print a name differently in a table, as its document did.
    notes = [
        CalculationNote(
            label=doc.get(f"note_label.{name}") or d.get("label") or name,
            explanation_html=to_html(d.get("explanation") or d["formula"]),
            explanation=to_plain(d.get("explanation") or d["formula"]),
        )
        for ind in inds
        for name, d in ind.derived.items()
    ]
    target_rows = []
    seen_goals: set[int] = set()
    seen_objectives: set[int] = set()
    goal_numbers = {
        g.pk: n
        for n, g in enumerate(sorted({i.goal for i in inds}, key=lambda g: g.order), start=1)
    }
    for ind in inds:
        first_goal = ind.goal_id not in seen_goals
        first_objective = ind.objective_id is not None and ind.objective_id not in seen_objectives
        seen_goals.add(ind.goal_id)
        if ind.objective_id is not None:
            seen_objectives.add(ind.objective_id)
        target_rows.append(
            TargetRow(
                no=goal_numbers[ind.goal_id] if first_goal else "",
                goal=printed_name(plan, ind.goal.code, ind.goal.name) if first_goal else "",
                objective=ind.objective.name if first_objective and ind.objective else "",
                indicator=printed_name(plan, ind.code, ind.name),
                targets=[target_text(ind, year_target(ind, y)) for y in plan.years],
            )
        )
    iku_rows = [
        IkuRow(
            no=n,
            objective=sasaran_of(ind),
            indicator=ind.name,
            explanation_html=to_html(ind.explanation),
            explanation=to_plain(ind.explanation),
            source=ind.data_source,
            responsible=ind.responsible,
        )
        for n, ind in enumerate(
            (i for i in inds if i.iku and i.level == Indicator.Level.OBJECTIVE), start=1
        )
    ]
    return IkuReport(
        common=base,
        title=doc.get("title") or "INDIKATOR KINERJA UTAMA",
        subtitle=doc.get("subtitle") or str(plan.unit).upper(),
        target_table_source=doc.get("target_table_source") or "",
        function=plan.profile_function,
        tasks=plan.profile_tasks,
        goal_rows=goal_rows,
        notes=notes,
        target_rows=target_rows,
        iku_rows=iku_rows,
    )


# -- pk: kinerja/reports/pk.py (the PK per level) -------------------------------------------------


# -- capaian (LKjIP chapter III) ------------------------------------------------------------------


@dataclass(frozen=True)
class TrendCell:
    """One year of an indicator in the trend table: the value of the plan and definition in
    force that year (None: the indicator had no definition then), and whether a new
    definition begins this year (the table's ‖ marker)."""

    year: int
    cell: Cell | None
    broken: bool = False

    def target_text(self) -> str:
        return "" if self.cell is None else self.cell.target_text()


@dataclass(frozen=True)
class CapaianRow:
    no: int
    indicator: Indicator
    sasaran: str
    cell: Cell
    history: list[TrendCell]  # one per year of CapaianReport.trend_years
    final_target: Target | None
    final_achievement: Decimal | None
    chart: str  # an SVG; "" when the document prints no chart
    notes: tuple[str, ...] = ()  # its changes of definition in table 3.2 (footnotes)

    @property
    def decimals(self) -> int:
        return self.indicator.decimals

    def shown(self, value: Decimal | None) -> str:
        return figure(value, self.decimals, self.indicator.unit_suffix)


def against_final(indicator: Indicator, cell: Cell, final: Target | None) -> Decimal | None:
    """Achievement of this year's realisation against the last Renstra year's target
    (docs/rules.md#lkjip, analysis 3)."""
    if final is None or cell.realisation is None:
        return None
    value = achievement(
        final.comparable(), cell.realisation, indicator.rated_polarity, indicator.cap
    )
    return rounded(value, 6) if isinstance(value, Decimal) else None


@dataclass(frozen=True)
class CapaianReport(Report):
    rows: list[CapaianRow]
    bands: list[Band]
    trend_years: list[int]  # the columns of table 3.2: the chain's years to the plan's end
    footnotes: list[str]  # one per change of definition in table 3.2, marked ‖ there

    def context(self) -> dict[str, object]:
        return {**super().context(), "trend_blocks": self.trend_blocks()}

    def trend_blocks(self) -> list[TrendBlock]:
        """Table 3.2 cut into blocks of at most TREND_YEARS_PER_TABLE years: three columns a
        year, so a chain of two five-year plans would not fit the width of a landscape page."""
        size = TREND_YEARS_PER_TABLE
        return [
            TrendBlock(
                self.trend_years[start : start + size],
                [(r, r.history[start : start + size]) for r in self.rows],
            )
            for start in range(0, len(self.trend_years), size)
        ]


# A layout width, not a limit on input: five years of T/R/% columns fill a landscape A4 page.
TREND_YEARS_PER_TABLE = 5


@dataclass(frozen=True)
class TrendBlock:
    """Some consecutive years of table 3.2, with each row's cells of those years."""

    years: list[int]
    rows: list[tuple[CapaianRow, list[TrendCell]]]


def build_capaian(
    plan: Plan, year: int, on: date | None = None, *, charts: bool = True
) -> CapaianReport:
    """The capaian document's data; ``charts=False`` leaves out the trend charts of 3.4 (each
    row's ``chart`` is empty), for a document that prints the tables only (the LKjIP)."""
    base = common(plan, year, on, "lkjip")
    index = ResultIndex.load(plan, [plan.unit])
    bands = bands_of(plan)
    # The trend table reads the series, as the dashboard and the chart do: every year of the
    # chain to the plan's end (a year after this one with its target only), each from the plan
    # and definition in force that year, with a break where the definition changed
    # (docs/rules.md#plans-series-across-plans); the chart draws the same series with the
    # baseline year. An indicator a revision dropped after the report's year has its series up
    # to its last year.
    trend = plan_series(
        plan,
        until=timezone.localdate().year,
        codes=[ind.code for ind in base.indicators],
        outlook=plan.end_year,
    )
    trend_years = sorted({y for one in trend.values() for y in one.years} | set(plan.years))
    rows = []
    for n, ind in enumerate(base.indicators, start=1):
        own = trend[ind.code]
        points = {p.year: p for p in own.points}
        history = [
            TrendCell(y, points[y].cell, points[y].broken) if y in points else TrendCell(y, None)
            for y in trend_years
        ]
        cell = Cell(ind, index.get(ind, plan.unit, str(year)), bands, year_target(ind, year))
        final = year_target(ind, plan.end_year)
        notes = tuple(own.footnotes())
        rows.append(
            CapaianRow(
                no=n,
                indicator=ind,
                sasaran=sasaran_of(ind),
                cell=cell,
                history=history,
                final_target=final,
                final_achievement=against_final(ind, cell, final),
                chart=series_chart(own, True) if charts else "",
                notes=notes,
            )
        )
    return CapaianReport(
        common=base,
        rows=rows,
        bands=list(bands.values()),
        trend_years=trend_years,
        footnotes=[note for r in rows for note in r.notes],
    )
