"""The plan file's ``renaksi:`` section, stored when the plan is loaded (``plan_loaded``).

Each entry replaces its indicator's quarter targets and actions of that year, through the same
actions the Renaksi page uses, as the user who loads the file.
"""

from __future__ import annotations

from typing import Any

from kinerja.plan.models import Indicator, Plan
from kinerja.plan.planfile.document import PlanDocument

from .actions import do_add_renaksi_action, do_delete_renaksi_action, do_save_quarter_targets
from .models import RenaksiAction


def store_renaksi(
    sender: Any, plan: Plan, document: PlanDocument, user: Any, **kwargs: Any
) -> None:
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
