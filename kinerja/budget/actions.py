"""Writes to budget lines that keep their rules, shared by pages, the import, the CLI and the demo.

Rules kept here (docs/rules.md#budget-lines): a user changes the lines of a unit only where they
hold EDIT_BUDGET (planner and administrator); a line keeps the rules of ``rules.py``; a code is
unique per unit and year; a line supports only sasaran and indicators of the unit's plans for the
year. An import is checked whole and stored all or nothing; the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.importhelp import ImportReport
from kinerja.plan.models import Indicator, Objective

from . import nomenclature
from .importing import ParsedLine, Row, parse_file
from .links import PlanCodes, indicators_for, objectives_for
from .models import BudgetLine
from .rules import FieldProblem, LineValues, line_problems, stored_spent

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
    apply_values(line, values)
    with transaction.atomic():
        line.save()
        line.objectives.set(objectives)
        line.indicators.set(indicators)
    return line


def descendants(line: BudgetLine) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(
        unit=line.unit, year=line.year, code__startswith=f"{line.code}."
    )


def do_delete_line(user: UserLike, line: BudgetLine) -> int:
    """Delete a line and the lines under it (a program with its kegiatan); returns how many."""
    require_editor(user, line.unit)
    with transaction.atomic():
        doomed = [*descendants(line), line]
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


def do_import_lines(
    user: UserLike, unit: OrgUnit, year: int, rows: Iterable[Row], dry_run: bool = False
) -> ImportReport:
    """Check a whole budget file for ``unit`` and ``year``, then store it all or nothing.

    Lines are matched by code: a new code is created, a changed line updated, an equal one left
    alone (so the same file twice is a no-op). Lines the file does not name are kept.
    """
    require_editor(user, unit)
    parsed = parse_file(rows, PlanCodes(unit, year))
    parsed.raise_if_any()
    report = ImportReport(rows=len(parsed.lines), dry_run=dry_run)
    with transaction.atomic():
        stored = {
            line.code: line
            for line in BudgetLine.objects.select_for_update()
            .filter(unit=unit, year=year)
            .prefetch_related("objectives", "indicators")
        }
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
