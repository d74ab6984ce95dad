"""Reading a budget file (an SIPD export, or the template of the import page) into checked lines.

Columns (docs/rules.md#budget-lines): ``kode,nama,pagu,realisasi`` are required; ``triwulan_1`` …
``triwulan_4`` (realisation per quarter), ``sasaran`` and ``indikator`` (codes of the plan,
separated by ``;``) and ``lebih_pagu`` (the flag that allows realisation above pagu) are optional;
any other column is ignored. Every row is checked with the rules of ``rules.py`` and every problem
named with its row and column; the caller stores nothing unless there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kinerja_core.errors import InputError, Problem

from .links import PlanCodes, split_codes
from .rules import LineValues, NotAnAmount, cell_text, line_problems, parse_amount, parse_flag

Row = tuple[int, dict[str, Any]]

REQUIRED = ("kode", "nama", "pagu", "realisasi")
QUARTER_COLUMNS = ("triwulan_1", "triwulan_2", "triwulan_3", "triwulan_4")
FLAG = "lebih_pagu"
OBJECTIVES = "sasaran"
INDICATORS = "indikator"
MAX_PROBLEMS = 500  # a large bad file must not fill the page with messages


@dataclass
class ParsedLine:
    row: int
    values: LineValues
    objective_ids: set[int] | None  # None: the file has no sasaran column, links stay as stored
    indicator_ids: set[int] | None


@dataclass
class ParsedFile:
    lines: list[ParsedLine]
    problems: list[Problem]

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        shown = self.problems[:MAX_PROBLEMS]
        if len(self.problems) > MAX_PROBLEMS:
            more = len(self.problems) - MAX_PROBLEMS
            shown.append(Problem(None, None, _("… and %(n)d more problems") % {"n": more}))
        raise InputError(shown)


def lower_keys(row: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in row.items()}


def read_amount(
    row: dict[str, Any], column: str, number: int, problems: list[Problem]
) -> Decimal | None:
    """The cell's amount; a cell that is none is a problem (and the row's rules are not run)."""
    try:
        return parse_amount(row.get(column))
    except NotAnAmount as exc:
        problems.append(
            Problem(number, column, _("%(value)r is not an amount") % {"value": str(exc)})
        )
        return None


def read_links(
    text: str, known: dict[str, set[int]], number: int, column: str, problems: list[Problem]
) -> set[int]:
    found: set[int] = set()
    for code in split_codes(text):
        ids = known.get(code.lower())
        if ids is None:
            problems.append(
                Problem(
                    number,
                    column,
                    _("unknown code %(code)s in the unit's plans of the year") % {"code": code},
                )
            )
            continue
        found |= ids
    return found


def parse_file(rows: Iterable[Row], codes: PlanCodes) -> ParsedFile:
    """Every row checked; duplicates named on each later row with the row they repeat."""
    max_rows = int(settings.KINERJA_BUDGET_MAX_ROWS)
    problems: list[Problem] = []
    lines: list[ParsedLine] = []
    seen: dict[str, int] = {}
    header_checked = False
    for count, (number, raw) in enumerate(rows, start=1):
        row = lower_keys(raw)
        if not header_checked:
            header_checked = True
            missing = [c for c in REQUIRED if c not in row]
            if missing:
                message = _("missing columns: %(columns)s (needed: %(needed)s)") % {
                    "columns": ", ".join(missing),
                    "needed": ", ".join(REQUIRED),
                }
                return ParsedFile([], [Problem(1, None, message)])
        if count > max_rows:
            message = _("more than %(n)d lines in one file") % {"n": max_rows}
            problems.append(Problem(number, None, message))
            break
        row_problems: list[Problem] = []
        amounts = {c: read_amount(row, c, number, row_problems) for c in ("pagu", "realisasi")}
        quarters = [read_amount(row, c, number, row_problems) for c in QUARTER_COLUMNS]
        flag = parse_flag(row.get(FLAG)) if FLAG in row else False
        if flag is None:
            message = _("%(value)r is not a yes/no word (ya or tidak)") % {
                "value": cell_text(row.get(FLAG))
            }
            row_problems.append(Problem(number, FLAG, message))
        values = LineValues(
            code=cell_text(row.get("kode")),
            name=cell_text(row.get("nama")),
            budget=amounts["pagu"],
            spent=amounts["realisasi"],
            quarters=quarters,
            over_budget=bool(flag),
        )
        if not row_problems:
            row_problems += [Problem(number, c, m) for c, m in line_problems(values)]
        objective_ids = indicator_ids = None
        if OBJECTIVES in row:
            text = cell_text(row.get(OBJECTIVES))
            objective_ids = read_links(text, codes.objectives, number, OBJECTIVES, row_problems)
        if INDICATORS in row:
            text = cell_text(row.get(INDICATORS))
            indicator_ids = read_links(text, codes.indicators, number, INDICATORS, row_problems)
        if values.code in seen:
            message = _("duplicate code %(code)s (also on row %(row)d)") % {
                "code": values.code,
                "row": seen[values.code],
            }
            row_problems.append(Problem(number, "kode", message))
        elif values.code:
            seen[values.code] = number
        problems += row_problems
        if not row_problems:
            lines.append(ParsedLine(number, values, objective_ids, indicator_ids))
    if not header_checked:
        problems.append(Problem(None, None, _("the file holds no budget lines")))
    return ParsedFile(lines, problems)
