"""Reading stored results: the IKU table, the dashboard, the comparison of units.

Everything here reads rows that a recompute stored; nothing computes. Each function issues a
fixed number of queries whatever the number of indicators, years and units, so the pages and
documents built on it stay as fast with a city as with one kecamatan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Case, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages
from kinerja.plan.models import Indicator, Plan, Target
from kinerja.plan.versions import indicators_of
from kinerja_core.achievement import NOT_MEASURED, Band
from kinerja_core.numbers import round_half_up

from .formatting import cell_target_text
from .models import Result, Status

GREY = "#6b7280"
CONTRIBUTION_COLOUR = "#0e7490"


def rounded(value: Decimal | None, decimals: int) -> Decimal | None:
    return None if value is None else round_half_up(value, decimals)


def year_target(indicator: Indicator, year: int) -> Target | None:
    """The indicator's target for the whole ``year``, from its (prefetched) targets.

    The targets are indexed by year once per indicator instance: a city's dashboard asks
    hundreds of times, and each ``targets.all()`` clones a queryset.
    """
    by_year: dict[int, Target] | None = indicator.__dict__.get("_year_targets")
    if by_year is None:
        by_year = {}
        for t in indicator.targets.all():
            if t.quarter == 0:
                by_year.setdefault(t.year, t)
        indicator.__dict__["_year_targets"] = by_year
    return by_year.get(year)


class ResultRow(NamedTuple):
    """The fields of a stored Result that a Cell reads, without building a model instance
    (a city's dashboard reads ~2 500 rows: instances cost more than the query)."""

    pk: int
    indicator_id: int
    unit_id: int
    period_key: str
    realisation: Decimal | None
    achievement: Decimal | None
    status: str
    computable: bool
    reason: str
    target_value: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    published: bool
    # When the stored value last changed: the dashboard's "diperbarui" time (None where the
    # reader asked for it on other rows only, see ``ResultIndex.of_cells``).
    computed_at: datetime | None


@dataclass
class Cell:
    """One indicator for one unit and period, as read from its stored result (or absent)."""

    indicator: Indicator
    result: Result | ResultRow | None
    bands: dict[str, Band]
    target: Target | None = None
    # A unit below the plan's unit: the plan's targets are not its own, so its value is shown as
    # a contribution to the plan unit's result, never scored against those targets.
    contribution: bool = False

    @property
    def decimals(self) -> int:
        return self.indicator.decimals

    @property
    def realisation(self) -> Decimal | None:
        return None if self.result is None else self.result.realisation

    @property
    def achievement(self) -> Decimal | None:
        if self.result is None or self.contribution:
            return None
        return self.result.achievement

    @property
    def shows_contribution(self) -> bool:
        """A contribution with a value (one not measured still says so)."""
        return self.contribution and self.realisation is not None

    @property
    def status(self) -> str:
        return Status.NOT_MEASURED.value if self.result is None else self.result.status

    @property
    def computable(self) -> bool:
        return self.result is not None and self.result.computable

    @property
    def published(self) -> bool:
        """The realisation is a published value, not computed from records ("nilai terbit")."""
        return self.result is not None and self.result.published

    @property
    def reason(self) -> str:
        return coremessages.reason(NOT_MEASURED) if self.result is None else self.result.reason

    @property
    def band(self) -> Band | None:
        return self.bands.get(self.status)

    @property
    def colour(self) -> str:
        if self.shows_contribution:
            return CONTRIBUTION_COLOUR
        return self.band.colour if self.band else GREY

    @property
    def status_label(self) -> str:
        if self.shows_contribution:
            return _("contribution")
        if self.band is not None:
            return self.band.label
        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status

    @property
    def target_value(self) -> Decimal | None:
        if self.result is not None:
            return self.result.target_value
        return self.target.value if self.target else None

    @property
    def target_range(self) -> tuple[Decimal, Decimal] | None:
        """(low, high) of a range target, from the result's snapshot or else the plan."""
        source: Any = self.result if self.result is not None else self.target
        if source is None:
            return None
        low = source.target_low if self.result is not None else source.low
        high = source.target_high if self.result is not None else source.high
        value = source.target_value if self.result is not None else source.value
        return (low, high) if value is None and low is not None and high is not None else None

    def target_text(self) -> str:
        """The target as printed: from the result's snapshot, else from the plan (40% · 3–5)."""
        rng = self.target_range
        low, high = rng if rng is not None else (None, None)
        return cell_target_text(self.indicator, self.target_value, low, high)

    def target_json(self) -> float | dict[str, float | None] | None:
        rng = self.target_range
        if rng is not None:
            return {"low": number(rng[0], self.decimals), "high": number(rng[1], self.decimals)}
        return number(self.target_value, self.decimals)

    def as_json(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "code": ind.code,
            "name": ind.name,
            "level": ind.level,
            "iku": ind.iku,
            "unit": ind.unit,
            "target": self.target_json(),
            "realisation": number(self.realisation, self.decimals),
            "achievement": number(self.achievement, self.decimals),
            "status": self.status,
            "computable": self.computable,
            "published": self.published,
            "reason": self.reason,
        }


def number(value: Decimal | None, decimals: int) -> float | None:
    """A JSON number rounded half-up as shown (84.605 → 84.61), or None when absent."""
    shown = rounded(value, decimals)
    return None if shown is None else float(shown)


def bands_of(plan: Plan) -> dict[str, Band]:
    return {b.key: b for b in plan.effective_bands()}


@dataclass
class ResultIndex:
    """Stored year (and quarter) results of a plan, looked up by indicator, unit and period."""

    rows: dict[tuple[int, int, str], Result | ResultRow] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        plan: Plan,
        units: Iterable[OrgUnit],
        years: Iterable[int] | None = None,
        kinds: Iterable[str] = ("year",),
    ) -> ResultIndex:
        query = Result.objects.filter(
            plan=plan, unit__in=[u.pk for u in units], period_kind__in=list(kinds)
        )
        if years is not None:
            query = query.filter(year__in=list(years))
        return cls.of(query)

    @classmethod
    def of(cls, query: QuerySet[Result]) -> ResultIndex:
        """Index the rows of ``query``, unsorted (the index is looked up, never iterated)."""
        return cls({(r.indicator_id, r.unit_id, r.period_key): r for r in query.order_by()})

    @classmethod
    def of_cells(cls, query: QuerySet[Result], stamped: Q | None = None) -> ResultIndex:
        """Index the rows of ``query`` as ResultRows: only what a Cell shows, in one query.
        ``stamped``: the rows whose ``computed_at`` is read (a date-time costs more to read than
        the rest of a row); None: every row's."""
        if stamped is not None:
            when = Case(When(stamped, then=F("computed_at")), default=None)
            query = query.annotate(stamp=when)
        fields = [*ResultRow._fields[:-1], "computed_at" if stamped is None else "stamp"]
        rows = query.order_by().values_list(*fields)
        return cls(
            {(r.indicator_id, r.unit_id, r.period_key): r for r in map(ResultRow._make, rows)}
        )

    def get(
        self, indicator: Indicator, unit: OrgUnit, period_key: str
    ) -> Result | ResultRow | None:
        return self.rows.get((indicator.pk, unit.pk, period_key))


def iku_cells(plan: Plan, year: int, unit: OrgUnit | None = None) -> list[Cell]:
    """Every indicator of the plan for ``unit`` (default: the plan's unit) in ``year``."""
    unit = unit or plan.unit
    bands = bands_of(plan)
    index = ResultIndex.load(plan, [unit], [year])
    return [
        Cell(ind, index.get(ind, unit, str(year)), bands, year_target(ind, year))
        for ind in indicators_of(plan, year)
    ]


def iku_json(plan: Plan, year: int, unit: OrgUnit | None = None) -> dict[str, Any]:
    return {
        "plan": plan.code,
        "year": year,
        "indicators": [cell.as_json() for cell in iku_cells(plan, year, unit)],
    }
