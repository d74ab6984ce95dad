"""What lies behind a coverage number: per-kelurahan counts and the groups counted or not.

Query counts are fixed (kelurahan list, one grouped aggregate, groups, their counting links),
whatever the size of the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q

from kinerja.accounts.levels import VILLAGE_LEVELS, village_label
from kinerja.accounts.models import OrgUnit
from kinerja_core.coverage import percent
from kinerja_core.formula import Value
from kinerja_core.measures import Filters
from kinerja_core.periods import Period

from .measures import Span, existing_groups
from .models import ActivityGroup, Group

MEASURE_NAMES = ("groups_facilitated", "groups_fostered_cumulative", "groups_total")
MAX_LISTED = 400  # above this, the page lists groups one kelurahan at a time


@dataclass
class KelurahanRow:
    unit: OrgUnit
    total: int = 0
    facilitated: int = 0
    fostered: int = 0

    @property
    def facilitated_percent(self) -> Value:
        return percent(self.facilitated, self.total)

    @property
    def fostered_percent(self) -> Value:
        return percent(self.fostered, self.total)


@dataclass
class GroupBlock:
    """The groups of one kelurahan, split by whether the measure counts them."""

    unit: OrgUnit
    counted: list[Group] = field(default_factory=list)
    not_counted: list[Group] = field(default_factory=list)


def condition(measure: str) -> str | None:
    return {"groups_facilitated": "in_year", "groups_fostered_cumulative": "ever"}.get(measure)


def kelurahan_rows(unit: OrgUnit, period: Period, filters: Filters) -> list[KelurahanRow]:
    kelurahan = unit.subtree().filter(level__in=VILLAGE_LEVELS)
    rows = {k.pk: KelurahanRow(k) for k in kelurahan}
    counts = (
        existing_groups(unit, period, filters)
        .values("kelurahan")
        .annotate(
            total=Count("pk"),
            facilitated=Count("pk", filter=Q(in_year=True)),
            fostered=Count("pk", filter=Q(ever=True)),
        )
        .order_by()
    )
    for c in counts:
        row = rows.get(c["kelurahan"])
        if row is not None:
            row.total, row.facilitated, row.fostered = c["total"], c["facilitated"], c["fostered"]
    return list(rows.values())


def group_blocks(
    unit: OrgUnit, period: Period, filters: Filters, measure: str, kelurahan: list[OrgUnit]
) -> list[GroupBlock]:
    """Every existing group, counted or not, with the activity links that made it count."""
    span = Span.of(period)
    links = ActivityGroup.objects.filter(activity__date__lte=span.end).select_related("activity")
    key = condition(measure)
    if key == "in_year":
        links = links.filter(activity__date__gte=span.start)
    types = [t for t in filters.get("activity_type", []) if t]
    if types:
        links = links.filter(activity__type__in=types)
    groups = (
        existing_groups(unit, period, filters)
        .annotate(is_in_year=F("in_year"), is_ever=F("ever"))
        .select_related("kind")
        .prefetch_related(
            Prefetch(
                "activity_links",
                queryset=links.order_by("-activity__date"),
                to_attr="counting_links",
            )
        )
        .order_by("kelurahan__path", "kind__order", "code")
    )
    blocks = {k.pk: GroupBlock(k) for k in kelurahan}
    for group in groups:
        block = blocks.get(group.kelurahan_id)
        if block is None:
            continue
        counted = True if key is None else getattr(group, f"is_{key}")
        (block.counted if counted else block.not_counted).append(group)
    return list(blocks.values())


def drilldown(unit: OrgUnit, period: Period, filters: Filters, measure: str) -> dict[str, Any]:
    rows = kelurahan_rows(unit, period, filters)
    total = sum(r.total for r in rows)
    listed = total <= MAX_LISTED or unit.level in VILLAGE_LEVELS
    return {
        "rows": rows,
        # "Desa" or "Kelurahan" (or both) as the villages listed are (docs/rules.md#org-unit-levels).
        "village_label": village_label(r.unit.level for r in rows),
        "sum": KelurahanRow(
            unit,
            total,
            sum(r.facilitated for r in rows),
            sum(r.fostered for r in rows),
        ),
        "blocks": group_blocks(unit, period, filters, measure, [r.unit for r in rows])
        if listed
        else None,
    }
