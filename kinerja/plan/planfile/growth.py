"""Linter warnings about targets set as a relative increase (docs/rules.md#plans-relative-increase-targets).

A "percentage increase" of a share that only grows and cannot pass 100 % (groups fostered up to
year N over groups that exist) measures the wrong thing: the level is what the office moves.
And a chain of yearly relative increases compounds: 20, 25, 30, 35, 40 % multiply the share by
3,69, so the targets can be met only from a baseline of at most 100 / 3,69 = 27,13 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from kinerja_core.measures import Measure
from kinerja_core.numbers import format_decimal

from .document import IndicatorDoc, PlanDocument
from .problems import Problem

# (X - prev(X)) / prev(X), with or without the outer brackets, × 100 or not.
RELATIVE_INCREASE = re.compile(r"^\(+(\w+)-prev\(\1\)\)+/prev\(\1\)\)*(\*100)?$")
HUNDRED = Decimal(100)


def increased_measure(ind: IndicatorDoc) -> str | None:
    """The measure whose year-on-year relative increase ``ind`` is, if its formula is one."""
    match = RELATIVE_INCREASE.match("".join(ind.formula.split()))
    return match.group(1) if match else None


def bounded_share(name: str, ind: IndicatorDoc, measures: Mapping[str, Measure]) -> bool:
    derived = ind.derived.get(name)
    if derived is not None:
        return derived.unit == "percent"
    measure = measures.get(name)
    return measure is not None and measure.unit == "percent"


def cumulative(name: str, ind: IndicatorDoc) -> bool:
    """A share counted "up to year N": its formula uses a measure the registry names cumulative."""
    derived = ind.derived.get(name)
    text = derived.formula if derived is not None else name
    return "cumulative" in text


def lint_growth(doc: PlanDocument, measures: Mapping[str, Measure]) -> Iterable[Problem]:
    for ind in doc.indicators():
        name = increased_measure(ind)
        if name is None or not bounded_share(name, ind, measures):
            continue
        if cumulative(name, ind):
            yield Problem(
                _(
                    "a percentage increase of %(name)s, a share counted up to the year that cannot pass 100 %%: it shrinks as the share grows; set targets for the level (%(name)s itself) instead"
                )
                % {"name": name},
                where=ind.code,
                field="formula",
                severity="warning",
            )
        problem = compounding(ind, doc.period.baseline or doc.period.start - 1)
        if problem is not None:
            yield problem


def compounding(ind: IndicatorDoc, baseline_year: int) -> Problem | None:
    """The chain of yearly relative-increase targets, multiplied out from the baseline year."""
    factor = Decimal(1)
    last = None
    for year in sorted(ind.targets):
        target = ind.targets[year]
        if not isinstance(target, Decimal):
            return None  # a range or a missing target: no single chain to multiply
        factor *= 1 + target / HUNDRED
        last = year
    if last is None or factor <= 1:
        return None
    ceiling = HUNDRED / factor
    return Problem(
        _(
            "the yearly increases compound: from %(base)s to %(last)s they multiply the share by %(factor)s, so it stays under 100 %% only from a %(base)s value of at most %(ceiling)s %%"
        )
        % {
            "base": baseline_year,
            "last": last,
            "factor": format_decimal(factor, 2),
            "ceiling": format_decimal(ceiling, 2),
        },
        where=ind.code,
        field="targets",
        severity="warning",
    )
