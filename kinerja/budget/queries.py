"""Budget totals other pages and documents read: per unit and year, per sasaran
(docs/rules.md#budget-lines). Absorption is realisation ÷ pagu × 100, to two decimals.

A unit's total is the sum of its top lines: a line whose parent line (one level up in the code) is
not stored. A program given with its kegiatan is counted once, by the program's own pagu. A
sasaran's total likewise counts each linked line once, leaving out a line whose ancestor is also
linked to it (directly, or through one of the sasaran's indicators).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Objective

from .models import BudgetLine
from .nomenclature import ancestors

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def absorption(self) -> Decimal | None:
        """Realisation as a percentage of pagu; None when there is no pagu."""
        if not self.budget:
            return None
        return (self.spent / self.budget * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.budget + other.budget, self.spent + other.spent)


def totals_of(lines: Iterable[BudgetLine]) -> Totals:
    return sum((Totals(line.budget, line.spent) for line in lines), Totals())


def top_lines(lines: Iterable[BudgetLine]) -> list[BudgetLine]:
    """The lines none of whose ancestors is among ``lines``."""
    lines = list(lines)
    codes = {line.code for line in lines}
    return [line for line in lines if not any(a in codes for a in ancestors(line.code))]


def unit_year_totals(unit: OrgUnit, year: int) -> Totals:
    """Pagu, realisation and absorption of a unit's budget in ``year``."""
    return totals_of(top_lines(BudgetLine.objects.filter(unit=unit, year=year)))


def supporting_lines(objectives: Iterable[Objective], year: int) -> dict[int, list[BudgetLine]]:
    """{objective id: the top lines of ``year`` that support it, in code order}: linked to the
    objective or to one of its indicators, a line under a linked line left out (it is inside)."""
    wanted = {o.pk for o in objectives}
    lines = BudgetLine.objects.filter(year=year).prefetch_related("objectives", "indicators")
    linked: dict[int, list[BudgetLine]] = {pk: [] for pk in wanted}
    found = lines.filter(Q(objectives__in=wanted) | Q(indicators__objective__in=wanted))
    for line in found.distinct().order_by("code"):
        supported = {o.pk for o in line.objectives.all()}
        supported |= {i.objective_id for i in line.indicators.all() if i.objective_id is not None}
        for pk in supported & wanted:
            linked[pk].append(line)
    return {pk: top_lines(supporting) for pk, supporting in linked.items()}


def objective_totals(objectives: Iterable[Objective], year: int) -> dict[int, Totals]:
    """{objective id: totals of the lines of ``year`` that support it}, every objective given."""
    return {pk: totals_of(found) for pk, found in supporting_lines(objectives, year).items()}


@dataclass
class Node:
    """A line in the tree of a unit's year, with the sum of the lines directly under it."""

    line: BudgetLine
    depth: int
    children_totals: Totals = field(default_factory=Totals)
    has_children: bool = False

    @property
    def totals(self) -> Totals:
        return Totals(self.line.budget, self.line.spent)


def tree(unit: OrgUnit, year: int) -> list[Node]:
    """The lines of a unit's year in code order, each with its depth under the top lines."""
    lines = list(
        BudgetLine.objects.filter(unit=unit, year=year)
        .order_by("code")
        .prefetch_related("objectives", "indicators")
    )
    by_code = {line.code: line for line in lines}
    nodes: dict[str, Node] = {}
    for line in lines:
        stored = [a for a in ancestors(line.code) if a in by_code]
        nodes[line.code] = Node(line, depth=len(stored))
        if stored:
            parent = nodes[stored[0]]
            parent.has_children = True
            parent.children_totals = parent.children_totals + Totals(line.budget, line.spent)
    return list(nodes.values())


def lines_supporting(
    unit: OrgUnit, year: int, indicators: Iterable[int], objectives: Iterable[int]
) -> list[BudgetLine]:
    """The top lines of a unit's year linked to any of the given indicators or sasaran (by id),
    in code order, a line under a linked line left out (it is inside): a Kasi's PK annex."""
    found = (
        BudgetLine.objects.filter(unit=unit, year=year)
        .filter(Q(indicators__in=list(indicators)) | Q(objectives__in=list(objectives)))
        .distinct()
        .order_by("code")
    )
    return top_lines(found)
