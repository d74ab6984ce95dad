"""The community measures (``MEASURES``, collected by the results app), one SQL aggregate each.

Semantics are those of ``kinerja_core.coverage.coverage_counts`` (the tests compare them):
a group exists in a period if it existed on at least one day from 1 January of the period's year
to ``period.end``; "facilitated" means reached by an activity in that span, "fostered
cumulative" reached by an activity on or before ``period.end`` (since the registry began).

Filters from a plan's formula binding: ``kind`` (kind codes) restricts the groups counted,
``activity_type`` (facilitation / fostering) the activities that make a group count.

For a recompute the three measures share a batch reader (``CoverageBatch``): one aggregate per
period and activity-type filter, grouped by kelurahan and kind, gives all three counts at once
(conditional counts); any kind filter is then a sum over its kinds, and each unit's count a sum
over its kelurahan. A group belongs to exactly one kelurahan and has exactly one kind, so the
counts are additive and the batch equals the single form unit by unit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja_core.measures import Filters, Measure
from kinerja_core.periods import Period
from kinerja_core.subtrees import covering_paths, subtree_totals

from .models import ActivityGroup, Group


@dataclass(frozen=True)
class Span:
    """Year-to-date span of a period: 1 January of its year to its last day."""

    start: date
    end: date

    @classmethod
    def of(cls, period: Period) -> Span:
        return cls(date(period.year, 1, 1), period.end)


def _codes(filters: Filters | None, name: str) -> Collection[str] | None:
    values = [v for v in (filters or {}).get(name, []) if v]
    return values or None


def reached(span: Span, filters: Filters | None, *, cumulative: bool) -> ExpressionWrapper[Q]:
    """Whether the group has an activity link dated in the span (or up to its end).

    Written as ``id IN (links of the span)``, not a correlated EXISTS: both engines then read the
    links once per query, and PostgreSQL's estimate of a per-row EXISTS (hundreds of thousands)
    no longer starts its JIT compiler, which took ~0.8 s for a ~30 ms query.
    """
    links = ActivityGroup.objects.filter(activity__date__lte=span.end)
    if not cumulative:
        links = links.filter(activity__date__gte=span.start)
    types = _codes(filters, "activity_type")
    if types is not None:
        links = links.filter(activity__type__in=types)
    return ExpressionWrapper(Q(pk__in=links.values("group_id")), output_field=BooleanField())


def existing_groups(
    unit: OrgUnit, period: Period, filters: Filters | None = None
) -> QuerySet[Group]:
    """Groups of the unit's subtree that exist in the period, annotated ``in_year``/``ever``.

    ``in_year``: reached by a matching activity in the year-to-date span; ``ever``: reached by one
    on or before the period's end. The annotations are ``IN`` subqueries, so counting rows never
    multiplies by the number of activities.
    """
    return _existing(unit.subtree_q("kelurahan"), period, filters)


def _existing(where: Q, period: Period, filters: Filters | None) -> QuerySet[Group]:
    span = Span.of(period)
    groups = Group.objects.filter(where).existing_between(span.start, span.end)
    kinds = _codes(filters, "kind")
    if kinds is not None:
        groups = groups.filter(kind__code__in=kinds)
    return groups.alias(
        in_year=reached(span, filters, cumulative=False),
        ever=reached(span, filters, cumulative=True),
    )


def _count(unit: OrgUnit, period: Period, filters: Filters | None, condition: Q | None) -> int:
    groups = existing_groups(unit, period, filters)
    if condition is not None:
        groups = groups.filter(condition)
    return int(groups.aggregate(n=Count("pk"))["n"])


def groups_total(unit: OrgUnit, period: Period, filters: Filters | None = None) -> int:
    """Groups and institutions that exist in the period: Σ kelompok dan lembaga
    (docs/rules.md#coverage-groups-that-exist)."""
    return _count(unit, period, filters, None)


def groups_facilitated(unit: OrgUnit, period: Period, filters: Filters | None = None) -> int:
    """Of those, the ones reached by at least one activity in the year up to the period's end."""
    return _count(unit, period, filters, Q(in_year=True))


def groups_fostered_cumulative(
    unit: OrgUnit, period: Period, filters: Filters | None = None
) -> int:
    """Of those, the ones reached by at least one activity on or before the period's end."""
    return _count(unit, period, filters, Q(ever=True))


@dataclass(frozen=True, slots=True)
class Counts:
    """Groups that exist, those facilitated and those fostered: addable across kelurahan/kinds."""

    total: int = 0
    facilitated: int = 0
    fostered_cumulative: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.total + other.total,
            self.facilitated + other.facilitated,
            self.fostered_cumulative + other.fostered_cumulative,
        )


# Measure name → the field of Counts it reads.
COUNT_FIELDS = {
    "groups_total": "total",
    "groups_facilitated": "facilitated",
    "groups_fostered_cumulative": "fostered_cumulative",
}
# (span, activity types): keyed on the span, not the period, since Q4 and the year share theirs.
Key = tuple[Span, tuple[str, ...] | None]


class CoverageBatch:
    """The three community measures for many unit subtrees, for one recompute run.

    Per period and activity-type filter one query returns (kelurahan path, kind code, counts);
    those rows are kept for the run, so every kind filter and all three measures of the period
    are read from them without another query.
    """

    def __init__(self, units: Sequence[OrgUnit]) -> None:
        self.units = list(units)
        self.parts: dict[Key, list[tuple[str, str, Counts]]] = {}
        self.totals: dict[tuple[Key, tuple[str, ...] | None], dict[int, Counts]] = {}

    def values(self, measure: str, period: Period, filters: Filters | None) -> dict[int, Any]:
        counts = self.counts(period, filters)
        name = COUNT_FIELDS[measure]
        return {pk: getattr(c, name) for pk, c in counts.items()}

    def counts(self, period: Period, filters: Filters | None) -> dict[int, Counts]:
        """{unit pk: Counts} of the period for the kind and activity-type filters."""
        types, kinds = _codes(filters, "activity_type"), _codes(filters, "kind")
        key: Key = (Span.of(period), None if types is None else tuple(sorted(types)))
        wanted = None if kinds is None else tuple(sorted(kinds))
        if (key, wanted) not in self.totals:
            parts = self.kelurahan_parts(key, period, filters)
            totals = subtree_totals(
                (path, counts) for path, kind, counts in parts if wanted is None or kind in wanted
            )
            self.totals[(key, wanted)] = {u.pk: totals.get(u.path, Counts()) for u in self.units}
        return self.totals[(key, wanted)]

    def kelurahan_parts(
        self, key: Key, period: Period, filters: Filters | None
    ) -> list[tuple[str, str, Counts]]:
        """The counts per kelurahan and kind for the period: one grouped aggregate, memoised."""
        if key not in self.parts:
            self.parts[key] = [] if not self.units else self.query(period, filters)
        return self.parts[key]

    def query(self, period: Period, filters: Filters | None) -> list[tuple[str, str, Counts]]:
        where = Q()
        for path in covering_paths(u.path for u in self.units):
            where |= Q(kelurahan__path__startswith=path)
        # Kinds are grouped, not filtered: only the activity types shape the EXISTS conditions.
        types = _codes(filters, "activity_type")
        groups = _existing(where, period, {} if types is None else {"activity_type": list(types)})
        rows = (
            groups.order_by()
            .values_list("kelurahan__path", "kind__code")
            .annotate(
                n=Count("pk"),
                f=Count("pk", filter=Q(in_year=True)),
                c=Count("pk", filter=Q(ever=True)),
            )
        )
        return [(path, kind, Counts(int(n), int(f), int(c))) for path, kind, n, f, c in rows]


# Filters a formula binding may give: kind codes, activity types.
FILTERS = ("kind", "activity_type")

MEASURES = (
    Measure(
        "groups_total",
        _("Community groups and institutions that exist in the year"),
        groups_total,
        FILTERS,
        batch=CoverageBatch,
    ),
    Measure(
        "groups_facilitated",
        _("Groups and institutions facilitated in the year"),
        groups_facilitated,
        FILTERS,
        batch=CoverageBatch,
    ),
    Measure(
        "groups_fostered_cumulative",
        _("Groups and institutions fostered up to the end of the year"),
        groups_fostered_cumulative,
        FILTERS,
        batch=CoverageBatch,
    ),
)
