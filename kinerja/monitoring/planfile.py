"""The plan file's ``renaksi:`` section, stored when the plan is loaded (``plan_loaded``).

Each entry replaces its indicator's quarter targets and actions of that year, through the same
actions the Renaksi page uses, as the user who loads the file. The budget codes are checked
against the unit's budget lines first (the plan layer, which reads the file, cannot see them), so
a code missing from the year's budget refuses the whole load naming its entry and field, with
nothing stored.
"""

from __future__ import annotations

from typing import Any

from kinerja.plan.actions import PlanRefused
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.planfile import Problem
from kinerja.plan.planfile.document import PlanDocument

from . import budgetlinks
from .actions import do_add_renaksi_action, do_delete_renaksi_action, do_save_quarter_targets
from .models import RenaksiAction


def store_renaksi(
    sender: Any, plan: Plan, document: PlanDocument, user: Any, **kwargs: Any
) -> None:
    refused = budget_code_problems(plan, document)
    if refused:
        raise PlanRefused(refused)
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    for entry in document.renaksi:
        indicator = indicators[entry.indicator]
        if entry.targets is not None:
            do_save_quarter_targets(
                user, plan, plan.unit, entry.year, indicator, list(entry.targets), entry.mode
            )
        old = RenaksiAction.objects.filter(
            renaksi__plan=plan,
            renaksi__unit=plan.unit,
            renaksi__year=entry.year,
            indicator=indicator,
        ).select_related("renaksi__plan", "renaksi__unit")
        for row in old:
            do_delete_renaksi_action(user, row)
        for a in entry.actions:
            do_add_renaksi_action(
                user, plan, plan.unit, entry.year, indicator,
                name=a.name, budget_code=a.budget_code, position=a.position, months=a.months,
            )  # fmt: skip


def budget_code_problems(plan: Plan, document: PlanDocument) -> list[Problem]:
    """Each action whose budget code the plan unit's budget of its year does not hold."""
    problems = []
    for n, entry in enumerate(document.renaksi):
        for i, a in enumerate(entry.actions):
            message = budgetlinks.code_problem(plan.unit, entry.year, a.budget_code)
            if message is not None:
                where = f"renaksi[{n}].actions[{i}] ({entry.year} {entry.indicator})"
                problems.append(Problem(message, where=where, field="budget_code"))
    return problems
