"""The survey's measures for indicator formulas (declared in kinerja/results/registry.py).

Both read the daily rollup with one SQL aggregate for the unit's subtree and the span from the
start of the period's year to its end (year-to-date), as the registry's contract says.

The batch forms (``*_many``) serve a recompute: one aggregate of the rollup grouped by unit for
many units, then each unit's tally is the sum of the tallies in its subtree. A tally holds only
counts and integer sums, so adding them is exact and the IKM equals the single form's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from kinerja.accounts.models import OrgUnit
from kinerja_core.ikm import Tally, compute_ikm
from kinerja_core.periods import Period
from kinerja_core.subtrees import covering_paths, subtree_totals

from .models import CODES, TOTAL_FIELDS, DailyTally
from .rollup import tally_for

Filters = Mapping[str, list[str]]


def year_to_date(period: Period) -> tuple[date, date]:
    return date(period.year, 1, 1), period.end


def _ikm_of(tally: Tally) -> Decimal | None:
    """The IKM in full precision (PermenPANRB 14/2017), or None when nobody has answered."""
    if tally.respondents == 0:
        return None
    return compute_ikm(tally).ikm


def ikm(unit: OrgUnit, period: Period, filters: Filters) -> Decimal | None:
    start, end = year_to_date(period)
    return _ikm_of(tally_for(unit, start, end, filters.get("service") or None))


def respondents(unit: OrgUnit, period: Period, filters: Filters) -> int:
    start, end = year_to_date(period)
    return tally_for(unit, start, end, filters.get("service") or None).respondents


def tallies_many(units: Sequence[OrgUnit], period: Period, filters: Filters) -> dict[int, Tally]:
    """The year-to-date tally of each unit's subtree: one aggregate grouped by unit."""
    if not units:
        return {}
    start, end = year_to_date(period)
    services = filters.get("service") or None
    subtrees = Q()
    for path in covering_paths(u.path for u in units):
        subtrees |= Q(unit__path__startswith=path)
    where = subtrees & Q(day__gte=start, day__lte=end)
    if services:
        where &= Q(service__code__in=list(services))
    per_unit = (
        DailyTally.objects.filter(where)
        .order_by()
        .values("unit__path")
        .annotate(n=Sum("respondents"), s2=Sum("sum_s2"), **{t: Sum(t) for t in TOTAL_FIELDS})
    )
    totals = subtree_totals(
        (
            row["unit__path"],
            Tally(
                int(row["n"] or 0),
                {code: int(row[t] or 0) for code, t in zip(CODES, TOTAL_FIELDS, strict=True)},
                int(row["s2"] or 0),
            ),
        )
        for row in per_unit
    )
    empty = Tally(0, dict.fromkeys(CODES, 0), 0)
    return {u.pk: totals.get(u.path, empty) for u in units}


def ikm_many(
    units: Sequence[OrgUnit], period: Period, filters: Filters
) -> dict[int, Decimal | None]:
    return {pk: _ikm_of(tally) for pk, tally in tallies_many(units, period, filters).items()}


def respondents_many(units: Sequence[OrgUnit], period: Period, filters: Filters) -> dict[int, int]:
    return {pk: tally.respondents for pk, tally in tallies_many(units, period, filters).items()}
