"""The optional ``renaksi:`` section of a plan file: the Rencana Aksi of each year, read and
checked here; the monitoring app stores it when the plan is loaded (``plan.signals.plan_loaded``).

    renaksi:
    - year: 2024
      indicator: S1.1
      mode: cumulative          # or per_quarter; the targets are the indicator's quarter_targets
      actions:
      - name: Fasilitasi lembaga kemasyarakatan
        budget_code: 7.01.01.2.06.0001     # optional
        position: Kasi Pemberdayaan Masyarakat
        months: [2, 5, 8]

Rules: docs/rules.md#rencana-aksi-and-quarterly-reports. A budget code's shape is checked here;
whether the unit's budget of the year holds it is checked when the file is stored (the monitoring
app, which may read budget lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kinerja_core.achievement import TargetRange
from kinerja_core.quarter_targets import contradicts, implied_year_value

from .document import IndicatorDoc

if TYPE_CHECKING:  # the validator's module imports this one
    from .read import Validator

# The nomenclature code of a kegiatan or sub-kegiatan (Permendagri 90/2019): urusan, bidang,
# program, kegiatan, and optionally the sub-kegiatan, e.g. 7.01.01.2.06 or 7.01.01.2.06.0001.
BUDGET_CODE = re.compile(r"^\d{1,2}\.\d{2}\.\d{2}\.\d\.\d{2}(\.\d{2,4})?$")
MODES = ("cumulative", "per_quarter")
ENTRY_REQUIRED = ("year", "indicator")
ENTRY_OPTIONAL = ("mode", "actions")
ACTION_REQUIRED = ("name", "position", "months")
ACTION_OPTIONAL = ("budget_code",)
NAME_MAX, POSITION_MAX = 500, 300


def budget_code_ok(code: str) -> bool:
    return not code or BUDGET_CODE.fullmatch(code) is not None


@dataclass(frozen=True)
class RenaksiActionDoc:
    name: str
    budget_code: str
    position: str
    months: tuple[int, ...]


@dataclass(frozen=True)
class RenaksiDoc:
    year: int
    indicator: str
    mode: str
    targets: tuple[Decimal, ...] | None  # the indicator's four quarter targets of the year
    actions: tuple[RenaksiActionDoc, ...]


def normalise_renaksi(
    v: Validator, top: dict[str, Any], years: list[int], indicators: list[IndicatorDoc]
) -> tuple[RenaksiDoc, ...]:
    by_code = {i.code: i for i in indicators}
    out = []
    for n, raw in enumerate(v.items(top, "renaksi", ())):
        path = ("renaksi", n)
        entry = v.mapping(raw, path, ENTRY_REQUIRED, ENTRY_OPTIONAL, where="renaksi")
        if entry is None:
            continue
        year = entry.get("year")
        if not isinstance(year, int) or year not in years:
            v.error((*path, "year"), _("%(year)s is not a year of the plan period") % {"year": year}, where="renaksi", field="year")  # fmt: skip
            continue
        indicator = by_code.get(str(entry.get("indicator")))
        if indicator is None:
            v.error((*path, "indicator"), _("unknown indicator %(code)s") % {"code": entry.get("indicator")}, where="renaksi", field="indicator")  # fmt: skip
            continue
        where = f"renaksi {year} {indicator.code}"
        mode = entry.get("mode", "cumulative")
        if mode not in MODES:
            v.error((*path, "mode"), _("must be one of %(allowed)s") % {"allowed": ", ".join(MODES)}, where=where, field="mode")  # fmt: skip
            continue
        targets = quarter_targets(v, path, where, indicator, year, mode)
        actions = tuple(
            a
            for i, raw_action in enumerate(v.items(entry, "actions", path, where))
            if (a := action(v, (*path, "actions", i), where, raw_action)) is not None
        )
        out.append(RenaksiDoc(year, indicator.code, mode, targets, actions))
    return tuple(out)


def quarter_targets(
    v: Validator, path: tuple[Any, ...], where: str, indicator: IndicatorDoc, year: int, mode: str
) -> tuple[Decimal, ...] | None:
    """The indicator's quarter targets of the year, refused when they end the year elsewhere."""
    values = indicator.quarter_targets.get(year)
    if values is None or any(q is None for q in values):
        return None
    targets = tuple(q for q in values if q is not None)
    implied = implied_year_value(targets, mode == "per_quarter", indicator.unit == "number")
    target = indicator.targets.get(year)
    value = target if isinstance(target, Decimal) else None
    low, high = (target.low, target.high) if isinstance(target, TargetRange) else (None, None)
    if contradicts(implied, value, low, high):
        v.error(
            (*path, "mode"),
            _("the quarter targets of %(code)s give %(implied)s for %(year)s, but the year's target is %(target)s")
            % {"code": indicator.code, "implied": implied, "year": year, "target": target},
            where=where,
            field="quarter_targets.q4",
        )  # fmt: skip
    return targets


def action(v: Validator, path: tuple[Any, ...], where: str, raw: Any) -> RenaksiActionDoc | None:
    m = v.mapping(raw, path, ACTION_REQUIRED, ACTION_OPTIONAL, where=where)
    if m is None:
        return None
    name = v.text(m, "name", path, where, max_length=NAME_MAX)
    position = v.text(m, "position", path, where, max_length=POSITION_MAX)
    for key, value in (("name", name), ("position", position)):
        if not value and key in m:
            v.error((*path, key), _("must not be empty"), where=where, field=key)
    code = m.get("budget_code", "")
    code = "" if code is None else str(code).strip()
    if not budget_code_ok(code):
        v.error((*path, "budget_code"), _("%(code)s is not a kegiatan / sub-kegiatan code such as 7.01.01.2.06.0001") % {"code": code}, where=where, field="budget_code")  # fmt: skip
    months = m.get("months")
    if (
        not isinstance(months, list)
        or not months
        or any(isinstance(x, bool) or x not in range(1, 13) for x in months)
    ):
        v.error((*path, "months"), _("must list months from 1 to 12"), where=where, field="months")
        return None
    return RenaksiActionDoc(name, code, position, tuple(sorted(set(months))))
