"""Storing a revision: a new version of a plan in force from a year on (docs/rules.md#plan-revisions).

Years before the effective year keep the definitions they were reported with: an indicator whose
name or definition changes is closed (``valid_until``) and a new row of the same code holds the
new one; an indicator the revision drops is closed, never deleted; targets change only from the
effective year on.
"""

from __future__ import annotations

from django.db.models import Max, QuerySet

from .diff import definition_changes
from .models import Goal, Indicator, Objective, Plan
from .planfile import IndicatorDoc, PlanDocument, store_plan
from .planfile.write import indicator_doc, store_indicator


def store_revision(doc: PlanDocument, effective: int) -> Plan:
    """Store ``doc`` as the definitions in force from ``effective`` on; earlier years unchanged.

    Called only by ``do_load_plan`` inside its transaction, once it allowed the revision.
    """

    # Rows of different versions share one ordering: a kept or redefined indicator keeps its
    # place, so the years before ``effective`` list theirs as they were; new ones come after.
    def store_one(
        plan: Plan, goal: Goal, objective: Objective | None, ind: IndicatorDoc, order: int
    ) -> Indicator:
        current = Indicator.objects.filter(
            plan=plan, code=ind.code, valid_until__isnull=True
        ).first()
        if current is None:
            last = Indicator.objects.filter(plan=plan).aggregate(last=Max("order"))["last"] or 0
            fresh = Indicator(plan=plan, code=ind.code, valid_from=effective)
            return store_indicator(plan, goal, objective, ind, last + 1, fresh, effective)
        order = current.order  # not the file's position: see above
        before = indicator_doc(current)
        redefined = before.name != ind.name or bool(definition_changes(before, ind))
        if redefined and (current.valid_from or plan.start_year) < effective:
            current.valid_until = effective - 1  # closed first: one current row per code
            current.save(update_fields=["valid_until"])
            fresh = Indicator(plan=plan, code=ind.code, valid_from=effective)
            return store_indicator(plan, goal, objective, ind, order, fresh, effective)
        return store_indicator(plan, goal, objective, ind, order, current, effective)

    def close(gone: QuerySet[Indicator]) -> None:
        for indicator in gone:
            indicator.valid_until = effective - 1
            indicator.save(update_fields=["valid_until"])

    return store_plan(doc, store_one, close)
