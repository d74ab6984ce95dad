"""The survey's measures for indicator formulas (``MEASURES``, collected by the results app).

Both read the daily rollup with one SQL aggregate for the unit's subtree and the span from the
start of the period's year to its end (year-to-date), as the measure interface says
(``kinerja_core.measures``).

For a recompute both share a batch reader (``TallyBatch``): one aggregate of the rollup per
period grouped by unit and service, kept for the run; any service filter is then a sum over its
services, and each unit's tally the sum of the tallies in its subtree. A tally holds only counts
and integer sums, so adding them is exact and the IKM equals the single form's.

A unit and year with a published IKM in force (``published.py``) get that value instead of
their answers' IKM, marked as published (docs/rules.md#ikm-published-values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja_core.formula import NotComputable
from kinerja_core.ikm import Tally, ikm_index
from kinerja_core.measures import Filters, Measure, Published
from kinerja_core.periods import Period
from kinerja_core.subtrees import covering_paths, subtree_totals

from . import published
from .models import CODES, TOTAL_FIELDS, DailyTally, PublishedIkm
from .rollup import tally_and_published, tally_for, tally_of


def year_to_date(period: Period) -> tuple[date, date]:
    return date(period.year, 1, 1), period.end


def ikm_of_tally(tally: Tally) -> Decimal | None:
    """The IKM in full precision (PermenPANRB 14/2017), or None when nobody has answered."""
    if tally.respondents == 0:
        return None
    return ikm_index(tally)


def ikm(
    unit: OrgUnit, period: Period, filters: Filters
) -> Decimal | Published | NotComputable | None:
    start, end = year_to_date(period)
    services = filters.get("service") or None
    tally, has_published = tally_and_published(unit, period.year, start, end, services)
    if has_published:  # rare: only then the record itself is read
        record = published.in_force([unit], period.year).get((unit.pk, period.year))
        if record is not None:
            return published.reading(record, period, filters)
    return ikm_of_tally(tally)


def respondents(unit: OrgUnit, period: Period, filters: Filters) -> int:
    start, end = year_to_date(period)
    return tally_for(unit, start, end, filters.get("service") or None).respondents


class TallyBatch:
    """The survey measures for many unit subtrees, for one recompute run.

    Per period one query returns the year-to-date tally per unit and service code; every service
    filter and both measures of that period are then read from those rows.
    """

    def __init__(self, units: Sequence[OrgUnit]) -> None:
        self.units = list(units)
        # Keyed on the year-to-date span, not the period: Q4 and the year share theirs.
        self.parts: dict[tuple[date, date], list[tuple[str, str, Tally]]] = {}
        self.totals: dict[tuple[tuple[date, date], tuple[str, ...] | None], dict[int, Tally]] = {}
        self.published: dict[tuple[int, int], PublishedIkm] | None = None

    def values(self, measure: str, period: Period, filters: Filters) -> dict[int, Any]:
        tallies = self.tallies(period, filters)
        if measure == "ikm":
            values: dict[int, Any] = {pk: ikm_of_tally(tally) for pk, tally in tallies.items()}
            for (pk, year), record in self.published_in_force().items():
                if year == period.year and pk in values:
                    values[pk] = published.reading(record, period, filters)
            return values
        if measure == "respondents":
            return {pk: tally.respondents for pk, tally in tallies.items()}
        raise KeyError(measure)

    def tallies(self, period: Period, filters: Filters) -> dict[int, Tally]:
        """{unit pk: year-to-date Tally of its subtree} for the service filter."""
        services = filters.get("service") or None
        wanted = None if services is None else tuple(sorted(set(services)))
        key = (year_to_date(period), wanted)
        if key not in self.totals:
            totals = subtree_totals(
                (path, tally)
                for path, service, tally in self.unit_parts(period)
                if wanted is None or service in wanted
            )
            empty = Tally(0, dict.fromkeys(CODES, 0), 0)
            self.totals[key] = {u.pk: totals.get(u.path, empty) for u in self.units}
        return self.totals[key]

    def published_in_force(self) -> dict[tuple[int, int], PublishedIkm]:
        """The run's units' published values in force, of every year: one query per run."""
        if self.published is None:
            self.published = published.in_force(self.units) if self.units else {}
        return self.published

    def unit_parts(self, period: Period) -> list[tuple[str, str, Tally]]:
        """The tally per unit and service code for the period: one grouped aggregate, memoised."""
        span = year_to_date(period)
        if span not in self.parts:
            self.parts[span] = [] if not self.units else self.query(period)
        return self.parts[span]

    def query(self, period: Period) -> list[tuple[str, str, Tally]]:
        start, end = year_to_date(period)
        subtrees = Q()
        for path in covering_paths(u.path for u in self.units):
            subtrees |= Q(unit__path__startswith=path)
        rows: Iterable[Mapping[str, Any]] = (
            DailyTally.objects.filter(subtrees, day__gte=start, day__lte=end)
            .order_by()
            .values("unit__path", "service__code")
            .annotate(n=Sum("respondents"), s2=Sum("sum_s2"), **{t: Sum(t) for t in TOTAL_FIELDS})
        )
        return [
            (row["unit__path"], row["service__code"], tally_of(row, TOTAL_FIELDS)) for row in rows
        ]


# Filters a formula binding may give: service codes.
FILTERS = ("service",)

MEASURES = (
    Measure(
        "ikm",
        _("Community satisfaction index (IKM)"),
        ikm,
        FILTERS,
        unit="index",
        batch=TallyBatch,
    ),
    Measure("respondents", _("Survey respondents"), respondents, FILTERS, batch=TallyBatch),
)
