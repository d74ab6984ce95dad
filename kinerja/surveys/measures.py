"""The survey's measures for indicator formulas (declared in kinerja/results/registry.py).

Both read the daily rollup with one SQL aggregate for the unit's subtree and the span from the
start of the period's year to its end (year-to-date), as the registry's contract says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kinerja.accounts.models import OrgUnit
from kinerja_core.ikm import compute_ikm
from kinerja_core.periods import Period

from .rollup import tally_for


def year_to_date(period: Period) -> tuple[date, date]:
    return date(period.year, 1, 1), period.end


def ikm(unit: OrgUnit, period: Period, filters: Mapping[str, list[str]]) -> Decimal | None:
    """The IKM in full precision (PermenPANRB 14/2017), or None when nobody has answered."""
    start, end = year_to_date(period)
    tally = tally_for(unit, start, end, filters.get("service") or None)
    if tally.respondents == 0:
        return None
    return compute_ikm(tally).ikm


def respondents(unit: OrgUnit, period: Period, filters: Mapping[str, list[str]]) -> int:
    start, end = year_to_date(period)
    return tally_for(unit, start, end, filters.get("service") or None).respondents
