"""The budget line a Rencana Aksi action's code names (docs/rules.md#rencana-aksi-and-quarterly-reports).

The link is a look-up by (unit, year, code) when it is checked or read, not a stored foreign key.
The code is the budget line's own key (unique per unit and year, docs/rules.md#budget-lines) and
the budget import matches lines by it, so a line deleted and imported again, or a year's budget
loaded after the Renaksi, is linked again by itself; a foreign key would either block deleting or
re-importing a line (PROTECT) or silently lose the link (SET_NULL), and the plan file, which
holds the Renaksi as text, could not name it. A page reads the lines of its actions in one query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.budget.models import BudgetLine
from kinerja.plan.planfile.renaksi import budget_code_ok


def has_budget(unit: OrgUnit, year: int) -> bool:
    """Whether ``unit`` has budget lines in ``year``; without them a code is checked for its
    shape only."""
    return BudgetLine.objects.filter(unit=unit, year=year).exists()


def code_problem(unit: OrgUnit, year: int, code: str) -> str | None:
    """Why ``code`` cannot be an action's budget code in ``unit``'s Renaksi of ``year``; None
    when it can (empty, or a kegiatan / sub-kegiatan code that the year's budget of the unit
    holds, or any such code when the unit has no budget that year).

    Called in the transaction that stores the action: the line is locked until it commits, so a
    deletion of the line waits for the action and then sees it (``budget.actions.do_delete_line``),
    or deletes it first and the action is refused here."""
    code = code.strip()
    if not code:
        return None
    if not budget_code_ok(code):
        return _(
            "Budget code %(code)s is not a kegiatan / sub-kegiatan code such as 7.01.01.2.06.0001."
        ) % {"code": code}
    lines = BudgetLine.objects.filter(unit=unit, year=year)
    if list(lines.select_for_update().filter(code=code).values_list("pk")) or not lines.exists():
        return None
    return _("Budget code %(code)s is not in the %(year)s budget of %(unit)s.") % {
        "code": code,
        "year": year,
        "unit": unit,
    }


def lines_of(unit: OrgUnit, year: int, codes: Iterable[str]) -> dict[str, BudgetLine]:
    """{code: the unit's budget line of ``year`` with that code}, for the codes that have one."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {
        line.code: line for line in BudgetLine.objects.filter(unit=unit, year=year, code__in=wanted)
    }


def choices(unit: OrgUnit, year: int) -> list[BudgetLine]:
    """The unit's kegiatan and sub-kegiatan lines of ``year``, the codes an action may name."""
    levels = (BudgetLine.Level.KEGIATAN, BudgetLine.Level.SUB_KEGIATAN)
    return list(
        BudgetLine.objects.filter(unit=unit, year=year, level__in=levels)
        .order_by("code")
        .only("code", "name")
    )
