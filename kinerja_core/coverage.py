"""Reference semantics of the coverage measures (docs/rules.md#community-empowerment-coverage).

The Django app computes the same counts with SQL aggregates; its tests compare against these
functions, which are written for clarity rather than speed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from kinerja_core.errors import Code
from kinerja_core.formula import NotComputable, Value

HUNDRED = Decimal(100)
ZERO_DENOMINATOR = NotComputable.of(Code.VALUE_ZERO_DENOMINATOR)
NO_GROUPS = NotComputable.of(Code.COVERAGE_NO_GROUPS)


@dataclass(frozen=True)
class GroupRecord:
    """A community group or institution; ``dissolved`` is its last day of existence."""

    code: str
    established: date
    dissolved: date | None
    kind: str = ""


@dataclass(frozen=True)
class ActivityRecord:
    """A facilitation/fostering activity involving one or more groups."""

    date: date
    group_codes: frozenset[str]
    type: str = "facilitation"


@dataclass(frozen=True)
class CoverageCounts:
    total: int
    facilitated: int
    fostered_cumulative: int

    @property
    def facilitated_percent(self) -> Value:
        """IKU S1: groups facilitated in year N ÷ groups existing in year N × 100."""
        return percent(self.facilitated, self.total, NO_GROUPS)

    @property
    def fostered_percent(self) -> Value:
        """Cakupan Pemas (our reading of the NB): fostered up to year N ÷ existing in N × 100."""
        return percent(self.fostered_cumulative, self.total, NO_GROUPS)


def exists_in_year(g: GroupRecord, year: int) -> bool:
    """A group counts in year N if it existed on at least one day of N."""
    return g.established <= date(year, 12, 31) and (
        g.dissolved is None or g.dissolved >= date(year, 1, 1)
    )


def coverage_counts(
    groups: Iterable[GroupRecord],
    activities: Iterable[ActivityRecord],
    year: int,
    kinds: Collection[str] | None = None,
    activity_types: Collection[str] | None = None,
) -> CoverageCounts:
    """Counts for year N; ``None`` filters mean "all kinds" / "all activity types"."""
    existing = {
        g.code for g in groups if exists_in_year(g, year) and (kinds is None or g.kind in kinds)
    }
    first_of_year = date(year, 1, 1)
    last_of_year = date(year, 12, 31)
    in_year: set[str] = set()
    up_to_year: set[str] = set()
    for activity in activities:
        if activity_types is not None and activity.type not in activity_types:
            continue
        if activity.date > last_of_year:
            continue
        codes = activity.group_codes & existing
        up_to_year |= codes
        if activity.date >= first_of_year:
            in_year |= codes
    return CoverageCounts(len(existing), len(in_year), len(up_to_year))


def percent(
    part: Value | int, whole: Value | int, when_zero: NotComputable = ZERO_DENOMINATOR
) -> Value:
    """part ÷ whole × 100; a zero whole is "not computable" (``when_zero``), never 0 %."""
    if isinstance(part, NotComputable):
        return part
    if isinstance(whole, NotComputable):
        return whole
    if whole == 0:
        return when_zero
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(part) / Decimal(whole) * HUNDRED


def increase_percent(current: Value, previous: Value) -> Value:
    """Year-on-year increase (c − p) ÷ p × 100, as the T1 indicator of the seed plan."""
    if isinstance(current, NotComputable):
        return current
    if isinstance(previous, NotComputable):
        return previous
    if previous.is_zero():
        return NotComputable.of(Code.COVERAGE_PREVIOUS_ZERO)
    with localcontext() as ctx:
        ctx.prec = 50
        return (current - previous) / previous * HUNDRED
