"""The community measures of the registry (kinerja.results.registry), one SQL aggregate each.

Semantics are those of ``kinerja_core.coverage.coverage_counts`` (the tests compare them):
a group exists in a period if it existed on at least one day from 1 January of the period's year
to ``period.end``; "facilitated" means reached by an activity in that span, "fostered
cumulative" reached by an activity on or before ``period.end`` (since the registry began).

Filters from a plan's formula binding: ``kind`` (kind codes) restricts the groups counted,
``activity_type`` (facilitation / fostering) the activities that make a group count.

Each measure has a batch form (``*_many``) for a recompute: one aggregate grouped by kelurahan
for many units, each unit's count then added up from its kelurahan. A group belongs to exactly
one kelurahan, so the counts are additive and the batch equals the single form unit by unit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kinerja.accounts.models import OrgUnit
from kinerja_core.periods import Period
from kinerja_core.subtrees import covering_paths, subtree_totals

from .models import ActivityGroup, Group

Filters = Mapping[str, list[str]]


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


def reached(span: Span, filters: Filters | None, *, cumulative: bool) -> Exists:
    """EXISTS an activity link for the outer group dated in the span (or up to its end)."""
    links = ActivityGroup.objects.filter(group=OuterRef("pk"), activity__date__lte=span.end)
    if not cumulative:
        links = links.filter(activity__date__gte=span.start)
    types = _codes(filters, "activity_type")
    if types is not None:
        links = links.filter(activity__type__in=types)
    return Exists(links)


def existing_groups(
    unit: OrgUnit, period: Period, filters: Filters | None = None
) -> QuerySet[Group]:
    """Groups of the unit's subtree that exist in the period, annotated ``in_year``/``ever``.

    ``in_year``: reached by a matching activity in the year-to-date span; ``ever``: reached by one
    on or before the period's end. The annotations are EXISTS subqueries, so counting rows never
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


def _count_many(
    units: Sequence[OrgUnit], period: Period, filters: Filters | None, condition: Q | None
) -> dict[int, int]:
    """``_count`` for each of ``units``: one aggregate grouped by kelurahan, summed per subtree."""
    if not units:
        return {}
    where = Q()
    for path in covering_paths(u.path for u in units):
        where |= Q(kelurahan__path__startswith=path)
    groups = _existing(where, period, filters)
    if condition is not None:
        groups = groups.filter(condition)
    per_kelurahan = groups.order_by().values_list("kelurahan__path").annotate(n=Count("pk"))
    totals = subtree_totals((path, int(n)) for path, n in per_kelurahan)
    return {u.pk: totals.get(u.path, 0) for u in units}


def groups_total(unit: OrgUnit, period: Period, filters: Filters | None = None) -> int:
    """Groups and institutions that exist in the period (DESIGN §2: Σ kelompok dan lembaga)."""
    return _count(unit, period, filters, None)


def groups_facilitated(unit: OrgUnit, period: Period, filters: Filters | None = None) -> int:
    """Of those, the ones reached by at least one activity in the year up to the period's end."""
    return _count(unit, period, filters, Q(in_year=True))


def groups_fostered_cumulative(
    unit: OrgUnit, period: Period, filters: Filters | None = None
) -> int:
    """Of those, the ones reached by at least one activity on or before the period's end."""
    return _count(unit, period, filters, Q(ever=True))


def groups_total_many(
    units: Sequence[OrgUnit], period: Period, filters: Filters | None = None
) -> dict[int, int]:
    return _count_many(units, period, filters, None)


def groups_facilitated_many(
    units: Sequence[OrgUnit], period: Period, filters: Filters | None = None
) -> dict[int, int]:
    return _count_many(units, period, filters, Q(in_year=True))


def groups_fostered_cumulative_many(
    units: Sequence[OrgUnit], period: Period, filters: Filters | None = None
) -> dict[int, int]:
    return _count_many(units, period, filters, Q(ever=True))
