"""One indicator's series across the plans of a chain: every year from the oldest plan to the
newest, each point read from the plan in force that year, with a break where the crosswalk says
the definition changed (docs/rules.md#plans-series-across-plans).

The dashboard's trend charts, the API, the capaian document and ``kinerja results series`` all
read this one function, so they cannot disagree. Each point is the stored result exactly as the
IKU table of that plan and year shows it (the same Cell, the same rounding).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.plan.chain import chain_of, definition_history, links_to
from kinerja.plan.diff import definition_changes
from kinerja.plan.models import Indicator, Plan, PlanVersion
from kinerja.plan.planfile.crosswalk import UNBROKEN
from kinerja.plan.planfile.write import indicator_doc
from kinerja_core.achievement import Band

from .queries import Cell, ResultIndex, bands_of, year_target

# A plan's definition history (``definition_history``) and an index of its stored results.
PlanRead = tuple[list[Indicator], ResultIndex]


@dataclass(frozen=True)
class Segment:
    """The years of one plan in the series, the indicator it reads there, and how it joins the
    segment after it (None for the newest)."""

    plan: Plan
    indicator: Indicator
    years: list[int]
    kind: str = ""  # the crosswalk kind leading into the next segment
    reason: str = ""


@dataclass(frozen=True)
class Point:
    year: int
    cell: Cell
    plan: Plan
    broken: bool  # the definition changed from the year before

    def as_json(self) -> dict[str, Any]:
        values = self.cell.as_json()
        return {
            "year": self.year,
            "plan": self.plan.code,
            "indicator": self.cell.indicator.code,
            "target": values["target"],
            "realisation": values["realisation"],
            "achievement": values["achievement"],
            "break": self.broken,
        }

    @property
    def target(self) -> Decimal | None:
        return self.cell.target_value

    @property
    def realisation(self) -> Decimal | None:
        return self.cell.realisation


@dataclass(frozen=True)
class Series:
    plan: Plan
    indicator: Indicator
    segments: list[Segment]
    points: list[Point]
    # The oldest plan's baseline year, before its first year: drawn by the charts, not a year of
    # the plans (the tables and the API list ``points``).
    baseline: Point | None = None

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.points]

    @property
    def drawn(self) -> list[Point]:
        """The points a trend chart draws: the baseline year, if any, then every year."""
        return ([self.baseline] if self.baseline is not None else []) + self.points

    @property
    def breaks(self) -> list[int]:
        return [p.year for p in self.points if p.broken]

    def redefinitions(self) -> list[tuple[Segment, Segment]]:
        """Pairs (old, new) of segments joined by a change of definition: each a footnote."""
        return [
            (a, b)
            for a, b in zip(self.segments, self.segments[1:], strict=False)
            if a.kind not in UNBROKEN
        ]

    def footnotes(self) -> list[str]:
        """One sentence per change of definition, as the charts and tables print it."""
        return [
            _("From %(year)s, %(new)s replaces %(old)s of plan %(plan)s (%(kind)s): %(reason)s")
            % {
                "year": new.years[0] if new.years else new.plan.start_year,
                "new": f"{new.indicator.code} {new.indicator.name}",
                "old": f"{old.indicator.code} {old.indicator.name}",
                "plan": old.plan.code,
                "kind": old.kind,
                "reason": old.reason or "–",
            }
            for old, new in self.redefinitions()
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.code,
            "indicator": self.indicator.code,
            "points": [p.as_json() for p in self.points],
            "definitions": [
                {
                    "plan": s.plan.code,
                    "indicator": s.indicator.code,
                    "name": s.indicator.name,
                    "formula": s.indicator.formula,
                    "from": s.years[0] if s.years else None,
                    "to": s.years[-1] if s.years else None,
                }
                for s in self.segments
            ],
            "breaks": [
                {"year": b.years[0], "kind": a.kind, "reason": a.reason}
                for a, b in self.redefinitions()
                if b.years
            ],
        }


@dataclass
class ChainData:
    """What the series of a chain read, loaded once for every indicator: per plan (oldest first)
    its definitions in force at the last year read, by code; every definition it ever had, by
    code (a revision closes a row and opens another, docs/rules.md#plan-revisions); the reason of
    each version by its effective year (read only for a plan a revision changed); and its stored
    year results, the baseline year's too (a few queries per plan of the chain)."""

    plans: list[Plan]
    definitions: dict[str, dict[str, Indicator]]
    results: dict[str, ResultIndex]
    units: dict[str, OrgUnit]
    history: dict[str, dict[str, list[Indicator]]] = field(default_factory=dict)
    reasons: dict[str, dict[int, str]] = field(default_factory=dict)
    bands: dict[str, dict[str, Band]] = field(default_factory=dict)
    # The last year measured: later years of a series carry their targets only.
    measured: int | None = None

    @classmethod
    def load(
        cls, plan: Plan, unit: OrgUnit | None, until: int, read: PlanRead | None = None
    ) -> ChainData:
        """``read``: ``plan``'s definition history and an index holding at least the unit's
        year results, when the caller already read them (the dashboard): not read again."""
        plans = chain_of(plan)
        data = cls(plans, {}, {}, {})
        for p in plans:
            last = max(p.start_year, min(until, p.end_year))
            data.units[p.code] = unit or p.unit
            data.bands[p.code] = bands_of(p)
            if read is not None and p.pk == plan.pk:
                rows, data.results[p.code] = read
            else:
                rows = definition_history(p)
                years = ([p.baseline_year] if p.baseline_year else []) + p.years
                data.results[p.code] = ResultIndex.load(
                    p, [data.units[p.code]], [y for y in years if y <= until]
                )
            data.definitions[p.code] = {ind.code: ind for ind in rows if ind.in_force(last)}
            by_code: dict[str, list[Indicator]] = {}
            for ind in rows:
                by_code.setdefault(ind.code, []).append(ind)
            data.history[p.code] = by_code
            # Reasons are read where a code has more than one definition: a revised plan.
            if any(len(found) > 1 for found in by_code.values()):
                versions = PlanVersion.objects.filter(plan=p).order_by("number")
                data.reasons[p.code] = dict(versions.values_list("effective_from", "reason"))
        return data

    def cell(self, segment: Segment, year: int) -> Cell:
        """The stored result of ``year`` as the IKU table of the segment's plan shows it."""
        plan = segment.plan
        where = self.units[plan.code]
        future = self.measured is not None and year > self.measured
        return Cell(
            segment.indicator,
            None if future else self.results[plan.code].get(segment.indicator, where, str(year)),
            self.bands[plan.code],
            year_target(segment.indicator, year),
            contribution=where.pk != plan.unit_id,
        )

    def by_definition(
        self, plan: Plan, code: str, years: list[int], kind: str = "", reason: str = ""
    ) -> list[Segment]:
        """The years of ``code`` in ``plan`` cut where a version of the plan changed its
        definition: one segment per definition in force, each joined to the next by "redefined"
        (the formula or another definition field changed: a break) or "renamed" (the name only),
        with the reason of the version that made the change. The last segment joins the next
        plan by ``kind``. Years with no definition of the code in force are left out."""
        rows = self.history[plan.code].get(code, [])
        found: list[Segment] = []
        for year in years:
            row = next((r for r in rows if r.in_force(year)), None)
            if row is None:
                continue
            if found and found[-1].indicator.pk == row.pk:
                found[-1].years.append(year)
                continue
            if found:
                found[-1] = replace(
                    found[-1],
                    kind=revision_kind(found[-1].indicator, row),
                    reason=self.reasons.get(plan.code, {}).get(row.valid_from or 0, ""),
                )
            found.append(Segment(plan, row, [year]))
        if found:
            found[-1] = replace(found[-1], kind=kind, reason=reason)
        return found


def revision_kind(old: Indicator, new: Indicator) -> str:
    """How a revision within a plan joined two definitions of one code, in crosswalk words."""
    if definition_changes(indicator_doc(old), indicator_doc(new)):
        return "redefined"
    return "renamed" if old.name != new.name else "same"


def segments_of(data: ChainData, code: str, until: int) -> list[Segment]:
    """Walk back through the crosswalks from ``code`` of the newest plan, oldest segment first.

    Where several old indicators lead to this one (merged), the first one the crosswalk lists
    that keeps the definition is followed, else the first listed. A plan's years stop where the
    next plan's begin, so each year is read from the plan in force then; within a plan, each
    year is read from the definition in force then (``ChainData.by_definition``).
    """
    newest = data.plans[-1]
    rows = data.history[newest.code].get(code)
    if not rows:
        return []
    segments = data.by_definition(newest, code, [y for y in newest.years if y <= until])
    first_new = segments[0].years[0] if segments else newest.start_year
    current_code = code
    for newer, older in zip(data.plans[:0:-1], data.plans[-2::-1], strict=True):
        links = links_to(newer, current_code)
        if not links:
            break
        old_code, link = next(((o, lk) for o, lk in links if lk.kind in UNBROKEN), links[0])
        if old_code not in data.definitions[older.code]:
            break
        years = [y for y in older.years if y < first_new and y <= until]
        segments[:0] = data.by_definition(older, old_code, years, link.kind, link.reason)
        first_new = segments[0].years[0] if segments else older.start_year
        current_code = old_code
    return segments or [Segment(newest, data.definitions[newest.code].get(code, rows[-1]), [])]


def build_series(data: ChainData, code: str, until: int) -> Series | None:
    segments = segments_of(data, code, until)
    if not segments:
        return None
    points: list[Point] = []
    for i, seg in enumerate(segments):
        broken_into = i > 0 and segments[i - 1].kind not in UNBROKEN
        for j, year in enumerate(seg.years):
            points.append(Point(year, data.cell(seg, year), seg.plan, broken_into and j == 0))
    first = segments[0]
    baseline = first.plan.baseline_year
    if baseline is None or baseline >= (first.years or [first.plan.start_year])[0]:
        return Series(data.plans[-1], segments[-1].indicator, segments, points)
    return Series(
        data.plans[-1],
        segments[-1].indicator,
        segments,
        points,
        Point(baseline, data.cell(first, baseline), first.plan, False),
    )


def plan_series(
    plan: Plan,
    unit: OrgUnit | None = None,
    until: int | None = None,
    *,
    codes: list[str] | None = None,
    read: PlanRead | None = None,
    outlook: int | None = None,
) -> dict[str, Series]:
    """The series of every indicator of ``plan`` for ``unit`` (default: each plan's unit),
    every year up to ``until`` (default: this year), by code; a fixed number of queries per plan
    of the chain, whatever the number of indicators and years. ``codes``: those codes instead
    of the definitions in force in ``until`` (any the plan ever had); ``read``: see
    ``ChainData.load``; ``outlook``: the years after ``until`` up to it follow, each with its
    target only (not measured yet: a stored value of a later year is not shown)."""
    until = until if until is not None else timezone.localdate().year
    data = ChainData.load(plan, unit, until, read)
    last = until
    if outlook is not None and outlook > until:
        data.measured, last = until, outlook
    found = {}
    for code in codes if codes is not None else data.definitions[plan.code]:
        one = build_series(data, code, last)
        if one is not None:
            found[code] = one
    return found


def series(
    plan: Plan, code: str, unit: OrgUnit | None = None, until: int | None = None
) -> Series | None:
    """The series of indicator ``code`` of ``plan`` (see plan_series); None without it."""
    return plan_series(plan, unit, until).get(code)
