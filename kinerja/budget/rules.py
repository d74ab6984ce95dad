"""The rules one budget line keeps, shared by the form, the action and the importer
(docs/rules.md#budget-lines). Each gives (field, message) pairs, so a page shows a message on its
field and an import names it with its row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kinerja.lib.input_checks import text_problem
from kinerja.lib.language import lang
from kinerja.lib.tables import FORMULA_START
from kinerja_core.numbers import rupiah

from . import nomenclature
from .models import AMOUNT_DIGITS, AMOUNT_PLACES, BudgetLine

FieldProblem = tuple[str, str]
"""One rule a line breaks: the field (a form field, a file column) and the message."""

# Words an office types into the flag column for "yes, the realisation is above pagu".
YES_WORDS = frozenset({"ya", "y", "yes", "1", "true", "benar", "x"})
NO_WORDS = frozenset({"", "tidak", "t", "no", "n", "0", "false"})
CURRENCY = re.compile(r"^(rp\.?)\s*", re.IGNORECASE)
GROUPED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
MAX_AMOUNT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES)


class NotAnAmount(ValueError):
    pass


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    raw = str(value).strip()
    # Exports guard text like "-abc" as "'-abc": read back, it is "-abc".
    if raw[:1] == "'" and raw[1:2] and raw[1:2] in FORMULA_START:
        return raw[1:]
    return raw


def parse_amount(value: Any) -> Decimal | None:
    """An amount from a typed XLSX cell or a CSV text, None when empty.

    Text is read as offices and SIPD write it: ``1200000``, ``1.200.000`` and ``1.200.000,50``
    (Indonesian: dots group thousands, a comma marks decimals), ``1200000.50``, with or without
    ``Rp``. A lone dot followed by exactly three digits groups thousands (``1.200`` is 1200).
    """
    if isinstance(value, bool):
        raise NotAnAmount(str(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = CURRENCY.sub("", cell_text(value)).replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif GROUPED_THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise NotAnAmount(raw) from exc
    if not amount.is_finite():
        raise NotAnAmount(raw)
    return amount


def parse_flag(value: Any) -> bool | None:
    """The over-pagu flag: True, False, or None when the word is not understood."""
    word = cell_text(value).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def amount_problem(amount: Decimal) -> str | None:
    if amount < 0:
        return _("negative amount %(amount)s") % {"amount": amount}
    if amount >= MAX_AMOUNT or amount != amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        return _(
            "out of range: at most %(whole)s digits before and %(places)s after the decimal mark"
        ) % {"whole": AMOUNT_DIGITS - AMOUNT_PLACES, "places": AMOUNT_PLACES}
    return None


def code_problem(code: str) -> str | None:
    if not code:
        return _("the code is missing")
    if nomenclature.level_of(code) is None:
        return _(
            "unknown code format %(code)r: use the national nomenclature, e.g. 7.01.01 (program), "
            "7.01.01.2.01 (kegiatan) or 7.01.01.2.01.0001 (sub-kegiatan)"
        ) % {"code": code}
    return None


@dataclass
class LineValues:
    """What a form or a file row gives for one line, before it is stored."""

    code: str
    name: str
    budget: Decimal | None
    spent: Decimal | None
    quarters: list[Decimal | None] = field(default_factory=lambda: [None] * 4)
    over_budget: bool = False


def line_problems(values: LineValues) -> list[FieldProblem]:
    """Every rule of one line that ``values`` break (the stored-data rules are the action's)."""
    problems: list[FieldProblem] = []
    if (problem := code_problem(values.code)) is not None:
        problems.append(("kode", problem))
    name_length = BudgetLine._meta.get_field("name").max_length
    if not values.name:
        problems.append(("nama", _("the name is missing")))
    elif (problem := text_problem(values.name, name_length)) is not None:
        problems.append(("nama", problem))
    amounts_ok = True
    if values.budget is None:
        problems.append(("pagu", _("the pagu is missing")))
        amounts_ok = False
    for column, amount in [
        ("pagu", values.budget),
        ("realisasi", values.spent),
        *((f"triwulan_{n}", q) for n, q in enumerate(values.quarters, start=1)),
    ]:
        if amount is not None and (problem := amount_problem(amount)) is not None:
            problems.append((column, problem))
            amounts_ok = False
    if not amounts_ok:
        return problems
    spent = values.spent if values.spent is not None else Decimal(0)
    given = [q for q in values.quarters if q is not None]
    if given and values.spent is not None and sum(given, Decimal(0)) != values.spent:
        problems.append(
            (
                "realisasi",
                _("the quarters add up to %(sum)s, not to the realisation %(spent)s")
                % {
                    "sum": rupiah(sum(given, Decimal(0)), lang()),
                    "spent": rupiah(values.spent, lang()),
                },
            )
        )
    if given and values.spent is None:
        spent = sum(given, Decimal(0))
    assert values.budget is not None
    if spent > values.budget and not values.over_budget:
        problems.append(
            (
                "realisasi",
                _(
                    "the realisation %(spent)s is above the pagu %(budget)s: mark the row in the "
                    "column lebih_pagu when this is right"
                )
                % {"spent": rupiah(spent, lang()), "budget": rupiah(values.budget, lang())},
            )
        )
    return problems


def stored_spent(values: LineValues) -> Decimal:
    """The realisation stored: as given, else the quarters' sum, else nothing spent yet."""
    if values.spent is not None:
        return values.spent
    return sum((q for q in values.quarters if q is not None), Decimal(0))


@dataclass(frozen=True)
class Overrun:
    """A line whose lines directly under it have more pagu, together, than it has."""

    parent: str
    total: Decimal  # the pagu of the lines under it
    budget: Decimal  # its own pagu
    children: tuple[str, ...]

    def message(self) -> str:
        return _(
            "the pagu of the lines under %(parent)s adds up to %(total)s, more than the pagu of "
            "%(parent)s, %(budget)s"
        ) % {
            "parent": self.parent,
            "total": rupiah(self.total, lang()),
            "budget": rupiah(self.budget, lang()),
        }


def pagu_overruns(budgets: dict[str, Decimal]) -> list[Overrun]:
    """Every line of a unit's year (``{code: pagu}``) whose lines directly under it add up to more
    pagu than its own (docs/rules.md#budget-lines). A line is under its nearest ancestor among the
    lines, so a sub-kegiatan whose kegiatan is not given counts in its program."""
    children: dict[str, list[str]] = {}
    for code in budgets:
        parent = next((a for a in nomenclature.ancestors(code) if a in budgets), None)
        if parent is not None:
            children.setdefault(parent, []).append(code)
    overruns = []
    for parent, under in sorted(children.items()):
        total = sum((budgets[c] for c in under), Decimal(0))
        if total > budgets[parent]:
            overruns.append(Overrun(parent, total, budgets[parent], tuple(sorted(under))))
    return overruns
