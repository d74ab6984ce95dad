"""Writes to budget lines that keep their rules, shared by pages, the import, the CLI and the demo.

Rules kept here (docs/rules.md#budget-lines): a user changes the lines of a unit only where they
hold EDIT_BUDGET (planner and administrator); a line keeps the rules of ``rules.py``; a code is
unique per unit and year; a line supports only sasaran and indicators of the unit's plans for the
year; the lines directly under a line have no more pagu together than it has; a line something
names (a Rencana Aksi action, ``uses.py``) is not removed. An import is checked whole and stored all
or nothing; the same file twice changes nothing; a replacing import removes the lines it leaves out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.importhelp import ImportReport
from kinerja.plan.models import Indicator, Objective
from kinerja_core.errors import InputError, Problem

from . import nomenclature
from .importing import ParsedLine, Row, parse_file
from .links import PlanCodes, indicators_for, objectives_for
from .models import BudgetLine
from .rules import FieldProblem, LineValues, line_problems, pagu_overruns, stored_spent
from .uses import uses_of

UserLike = User | AnonymousUser | None


def editable_units(user: UserLike) -> QuerySet[OrgUnit]:
    """Units whose budget lines ``user`` may change; ``None`` is the system (CLI, demo): all."""
    if user is None:
        return OrgUnit.objects.all()
    return access.units_for(user, access.EDIT_BUDGET)


def can_edit(user: UserLike, unit: OrgUnit) -> bool:
    return user is None or access.can(user, access.EDIT_BUDGET, unit)


def require_editor(user: UserLike, unit: OrgUnit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied(_("You may not change the budget lines of this unit."))


# The file's columns (as the rules name them) → the line's fields (as the form names them).
FIELD_OF_COLUMN = {
    "kode": "code",
    "nama": "name",
    "pagu": "budget",
    "realisasi": "spent",
    "triwulan_1": "spent_q1",
    "triwulan_2": "spent_q2",
    "triwulan_3": "spent_q3",
    "triwulan_4": "spent_q4",
}


def refusal(problems: Iterable[FieldProblem]) -> ValidationError:
    """The problems as a form shows them: each message on its field."""
    by_field: dict[str, list[str]] = {}
    for column, message in problems:
        by_field.setdefault(FIELD_OF_COLUMN.get(column, column), []).append(message)
    return ValidationError(by_field)


def apply_values(line: BudgetLine, values: LineValues) -> None:
    level = nomenclature.level_of(values.code)
    assert level is not None and values.budget is not None  # checked by line_problems
    line.code, line.level, line.name = values.code, level, values.name
    line.budget, line.spent = values.budget, stored_spent(values)
    line.spent_q1, line.spent_q2, line.spent_q3, line.spent_q4 = values.quarters
    line.over_budget = values.over_budget


def link_problems(
    line: BudgetLine, objectives: Iterable[Objective], indicators: Iterable[Indicator]
) -> list[FieldProblem]:
    allowed_objectives = set(objectives_for(line.unit, line.year).values_list("pk", flat=True))
    allowed_indicators = set(indicators_for(line.unit, line.year).values_list("pk", flat=True))
    problems: list[FieldProblem] = []
    if any(o.pk not in allowed_objectives for o in objectives):
        problems.append(("objectives", _("a sasaran of another unit or year")))
    if any(i.pk not in allowed_indicators for i in indicators):
        problems.append(("indicators", _("an indicator of another unit or year")))
    return problems


def do_save_line(
    user: UserLike,
    line: BudgetLine,
    values: LineValues,
    objectives: Iterable[Objective] = (),
    indicators: Iterable[Indicator] = (),
) -> BudgetLine:
    """Store ``values`` in ``line`` (new, or stored) with the sasaran and indicators it supports."""
    require_editor(user, line.unit)
    objectives, indicators = list(objectives), list(indicators)
    problems = line_problems(values) + link_problems(line, objectives, indicators)
    clash = BudgetLine.objects.filter(unit=line.unit, year=line.year, code=values.code)
    if line.pk is not None:
        clash = clash.exclude(pk=line.pk)
    if clash.exists():
        message = _("the code %(code)s is already used this year") % {"code": values.code}
        problems.append(("kode", message))
    if problems:
        raise refusal(problems)
    with transaction.atomic():
        others = BudgetLine.objects.select_for_update().filter(unit=line.unit, year=line.year)
        if line.pk is not None:
            others = others.exclude(pk=line.pk)
            stored_code = BudgetLine.objects.get(pk=line.pk).code
            if stored_code != values.code:  # the old code goes away, as a removed line's does
                used = in_use_messages(line.unit, line.year, [stored_code], changing=True)
                problems += [("kode", m) for m in used]
        problems += [("pagu", m) for m in overrun_messages(others, {values.code: values.budget})]
        if problems:
            raise refusal(problems)
        apply_values(line, values)
        line.save()
        line.objectives.set(objectives)
        line.indicators.set(indicators)
    return line


def overrun_messages(others: QuerySet[BudgetLine], changed: dict[str, Decimal | None]) -> list[str]:
    """The pagu overruns (``rules.pagu_overruns``) the ``changed`` lines, put among ``others``,
    take part in, as parent or under one: an overrun stored before the rule is no new refusal."""
    budgets = dict(others.values_list("code", "budget"))
    budgets.update({code: budget for code, budget in changed.items() if budget is not None})
    return [
        overrun.message()
        for overrun in pagu_overruns(budgets)
        if overrun.parent in changed or any(c in changed for c in overrun.children)
    ]


def in_use_messages(
    unit: OrgUnit, year: int, codes: Collection[str], changing: bool = False
) -> list[str]:
    """Why each of ``codes`` may not go (be removed, or ``changing`` to another code): what names
    it (``uses.py``); none when nothing does."""
    messages = []
    for code, users in sorted(uses_of(unit, year, codes).items()):
        where = {"code": code, "users": ", ".join(users)}
        if changing:
            messages.append(_("the code %(code)s cannot change: %(users)s names it") % where)
        else:
            messages.append(_("the line %(code)s cannot be removed: %(users)s names it") % where)
    return messages


def descendants(line: BudgetLine) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(
        unit=line.unit, year=line.year, code__startswith=f"{line.code}."
    )


def do_delete_line(user: UserLike, line: BudgetLine) -> int:
    """Delete a line and the lines under it (a program with its kegiatan); returns how many.
    Refused, deleting nothing, when something names one of them (``uses.py``).

    The check and the deletion are one transaction over the locked lines, read again as stored:
    a Rencana Aksi action that names one of them locks it too before it is stored
    (``monitoring/budgetlinks.py``), so it comes either before the check, which sees it, or after
    the deletion, which it sees."""
    require_editor(user, line.unit)
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        doomed = [*descendants(line).select_for_update(), line]
        problems = in_use_messages(line.unit, line.year, [each.code for each in doomed])
        if problems:
            raise ValidationError(problems)
        for each in doomed:
            each.delete()  # one by one: each deletion keeps its history row
    return len(doomed)


def same(line: BudgetLine, parsed: ParsedLine) -> bool:
    """Whether storing ``parsed`` would change nothing of ``line``."""
    probe = BudgetLine(unit=line.unit, year=line.year)
    apply_values(probe, parsed.values)
    fields = ("level", "name", "budget", "spent", "spent_q1", "spent_q2", "spent_q3", "spent_q4")
    if any(getattr(probe, f) != getattr(line, f) for f in fields) or (
        probe.over_budget != line.over_budget
    ):
        return False
    objective_ids = {o.pk for o in line.objectives.all()}
    indicator_ids = {i.pk for i in line.indicators.all()}
    return (parsed.objective_ids is None or parsed.objective_ids == objective_ids) and (
        parsed.indicator_ids is None or parsed.indicator_ids == indicator_ids
    )


@dataclass
class BudgetImportReport(ImportReport):
    """An import's counts and, when it replaces the year's budget, the lines it removes (or, on a
    dry run, would remove): (code, name) in code order."""

    replace: bool = False
    removed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        if not self.replace:
            return super().summary()
        return _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(removed)d removed"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": len(self.removed),
        }


def whole_budget_problems(
    unit: OrgUnit,
    year: int,
    lines: list[ParsedLine],
    kept: QuerySet[BudgetLine],
    removed: Collection[str],
) -> list[Problem]:
    """What the file breaks once its lines stand among the ``kept`` stored ones: a pagu overrun
    it takes part in, on the row of the line over its pagu (else the first row under it); a line
    it would remove that something names."""
    rows = {item.values.code: item.row for item in lines}
    budgets = dict(kept.exclude(code__in=list(rows)).values_list("code", "budget"))
    budgets.update(
        {item.values.code: item.values.budget for item in lines if item.values.budget is not None}
    )
    problems = []
    for overrun in pagu_overruns(budgets):
        if overrun.parent in rows:
            problems.append(Problem(rows[overrun.parent], "pagu", overrun.message()))
        elif given := [rows[c] for c in overrun.children if c in rows]:
            problems.append(Problem(min(given), "pagu", overrun.message()))
    problems += [Problem(None, None, m) for m in in_use_messages(unit, year, removed)]
    return problems


def do_import_lines(
    user: UserLike,
    unit: OrgUnit,
    year: int,
    rows: Iterable[Row],
    dry_run: bool = False,
    replace: bool = False,
) -> BudgetImportReport:
    """Check a whole budget file for ``unit`` and ``year``, then store it all or nothing.

    Lines are matched by code: a new code is created, a changed line updated, an equal one left
    alone (so the same file twice is a no-op). Lines the file does not name are kept, unless it
    ``replace``s the year's budget: then they are removed, each with its history row, and the
    file is refused whole when something names one of them.
    """
    require_editor(user, unit)
    parsed = parse_file(rows, PlanCodes(unit, year))
    parsed.raise_if_any()
    report = BudgetImportReport(rows=len(parsed.lines), dry_run=dry_run, replace=replace)
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().filter(unit=unit, year=year)
        stored = {line.code: line for line in locked.prefetch_related("objectives", "indicators")}
        named = {item.values.code for item in parsed.lines}
        doomed = [stored[c] for c in sorted(stored) if c not in named] if replace else []
        kept = locked.exclude(pk__in=[line.pk for line in doomed])
        removed = [line.code for line in doomed]
        problems = whole_budget_problems(unit, year, parsed.lines, kept, removed)
        if problems:
            raise InputError(problems)
        report.removed = [(line.code, line.name) for line in doomed]
        if not dry_run:
            for gone in doomed:
                gone._change_reason = _("left out of a replacing budget import")  # type: ignore[attr-defined]
                gone.delete()  # one by one: each deletion keeps its history row
        for item in parsed.lines:
            line = stored.get(item.values.code)
            if line is not None and same(line, item):
                report.unchanged += 1
                continue
            if line is None:
                report.created += 1
                line = BudgetLine(unit=unit, year=year)
            else:
                report.updated += 1
            if dry_run:
                continue
            apply_values(line, item.values)
            line.save()
            if item.objective_ids is not None:
                line.objectives.set(item.objective_ids)
            if item.indicator_ids is not None:
                line.indicators.set(item.indicator_ids)
    return report
