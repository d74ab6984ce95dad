"""The Rencana Aksi actions that name a budget line's code: the budget refuses to remove such a
line (docs/rules.md#budget-lines). Registered with ``kinerja.budget.uses`` by ``apps.py``, so the
budget, a floor below, never imports monitoring."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit

from .models import RenaksiAction


def renaksi_uses(unit: OrgUnit, year: int, codes: Collection[str]) -> dict[str, list[str]]:
    """``{code: ["Rencana Aksi S1.1 (plan)", …]}`` for the codes actions of the unit's year name."""
    found: dict[str, list[str]] = {}
    actions = (
        RenaksiAction.objects.filter(
            renaksi__unit=unit, renaksi__year=year, budget_code__in=list(codes)
        )
        .order_by("budget_code", "renaksi__plan__code", "indicator__code")
        .values_list("budget_code", "renaksi__plan__code", "indicator__code")
        .distinct()
    )
    for code, plan, indicator in actions:
        found.setdefault(code, []).append(
            _("the Rencana Aksi of %(indicator)s (%(plan)s)")
            % {"indicator": indicator, "plan": plan}
        )
    return found
