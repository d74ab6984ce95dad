"""The measures a plan's formulas may name: the installed apps' (``kinerja.lib.measure_registry``)
and the manual measures a plan declares (values typed in by staff with evidence), resolved per
plan (``plan_measures``) and computed by ``kinerja.results.measures.manual``.
"""

from __future__ import annotations

from collections.abc import Mapping

from kinerja.lib.measure_registry import MEASURES
from kinerja_core.measures import BatchReader, Measure

from .measures.manual import manual as manual_compute

__all__ = ["MEASURES", "BatchReader", "Measure", "manual_filters", "plan_measures"]


# Filters a manual measure's compute function receives: which plan's measure of that name, and
# whether values of units under the asked unit add up (counts do; percentages and indices don't).
MANUAL_FILTERS = ("plan", "name", "combine")


def manual_spec(declared: Mapping[str, str]) -> Measure:
    """The measure of a manual one a plan declares (``{name, label, unit}`` in the plan file)."""
    return Measure(
        declared["name"],
        declared.get("label") or declared["name"],
        manual_compute,
        MANUAL_FILTERS,
        declared.get("unit") or "number",
        source="manual",
    )


def manual_filters(plan_code: str, name: str, unit: str) -> dict[str, list[str]]:
    return {"plan": [plan_code], "name": [name], "combine": ["sum" if unit == "number" else "none"]}


def plan_measures(plan_code: str, manual: list[Mapping[str, str]]) -> dict[str, Measure]:
    """Every measure a plan's formulas may name: the registry's plus the plan's manual ones."""
    specs = dict(MEASURES)
    for declared in manual:
        # The plan linter refuses a manual measure hiding a registered one; keep the registry's.
        specs.setdefault(declared["name"], manual_spec(declared))
    return specs
