"""Every measure an indicator formula may name, declared in one place.

A measure is computed by one function ``compute(unit, period, filters)`` in the app that owns its
data, returning a Decimal/int, ``None`` when nothing was measured, or a NotComputable with its
reason. Each runs one SQL aggregate for one unit subtree and one period. Plans may also declare
manual measures (values typed in by staff with evidence); those are resolved per plan.

A measure may also name a batch reader (``batch``): a class made once per recompute run with the
run's units, whose ``values(measure, period, filters)`` returns ``{unit.pk: value}`` for all of
them, exactly what ``compute`` gives unit by unit (the tests compare them). Measures of one data
app share their reader, so it can answer several measures and filter sets from one wider grouped
aggregate (every kind of group, every service of a period) kept for the rest of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from kinerja_core.periods import Period

Filters = Mapping[str, list[str]]


class BatchReader(Protocol):
    """Reads measures of one data app for the units of one recompute run (see module doc)."""

    def values(self, measure: str, period: Period, filters: Filters) -> Mapping[int, Any]: ...


BatchFactory = Callable[[Sequence[Any]], BatchReader]


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    label: str | Promise
    source: str  # the app that owns the data: community, surveys, manual
    compute: str  # dotted path to compute(unit, period, filters)
    filters: tuple[str, ...] = ()
    unit: str = "number"
    # dotted path to the batch reader class, made with the run's units; "" = none
    batch: str = ""

    def function(self) -> Callable[..., Any]:
        return import_string(self.compute)  # type: ignore[no-any-return]

    def batch_factory(self) -> BatchFactory | None:
        """The batch reader class, or None when the measure has none."""
        if not self.batch:
            return None
        return import_string(self.batch)  # type: ignore[no-any-return]


COMMUNITY_FILTERS = ("kind", "activity_type")
SURVEY_FILTERS = ("service",)

MEASURES: dict[str, MeasureSpec] = {
    spec.name: spec
    for spec in [
        MeasureSpec(
            "groups_total",
            _("Community groups and institutions that exist in the year"),
            "community",
            "kinerja.community.measures.groups_total",
            COMMUNITY_FILTERS,
            batch="kinerja.community.measures.CoverageBatch",
        ),
        MeasureSpec(
            "groups_facilitated",
            _("Groups and institutions facilitated in the year"),
            "community",
            "kinerja.community.measures.groups_facilitated",
            COMMUNITY_FILTERS,
            batch="kinerja.community.measures.CoverageBatch",
        ),
        MeasureSpec(
            "groups_fostered_cumulative",
            _("Groups and institutions fostered up to the end of the year"),
            "community",
            "kinerja.community.measures.groups_fostered_cumulative",
            COMMUNITY_FILTERS,
            batch="kinerja.community.measures.CoverageBatch",
        ),
        MeasureSpec(
            "ikm",
            _("Community satisfaction index (IKM)"),
            "surveys",
            "kinerja.surveys.measures.ikm",
            SURVEY_FILTERS,
            batch="kinerja.surveys.measures.TallyBatch",
            unit="index",
        ),
        MeasureSpec(
            "respondents",
            _("Survey respondents"),
            "surveys",
            "kinerja.surveys.measures.respondents",
            SURVEY_FILTERS,
            batch="kinerja.surveys.measures.TallyBatch",
        ),
    ]
}


def measure_names() -> set[str]:
    return set(MEASURES)


MANUAL_COMPUTE = "kinerja.results.measures.manual"
# Filters a manual measure's compute function receives: which plan's measure of that name, and
# whether values of units under the asked unit add up (counts do; percentages and indices don't).
MANUAL_FILTERS = ("plan", "name", "combine")


def manual_spec(declared: Mapping[str, str]) -> MeasureSpec:
    """The spec of a manual measure a plan declares (``{name, label, unit}`` in the plan file)."""
    return MeasureSpec(
        declared["name"],
        declared.get("label") or declared["name"],
        "manual",
        MANUAL_COMPUTE,
        MANUAL_FILTERS,
        declared.get("unit") or "number",
    )


def manual_filters(plan_code: str, name: str, unit: str) -> dict[str, list[str]]:
    return {"plan": [plan_code], "name": [name], "combine": ["sum" if unit == "number" else "none"]}


def plan_measures(plan_code: str, manual: list[Mapping[str, str]]) -> dict[str, MeasureSpec]:
    """Every measure a plan's formulas may name: the registry's plus the plan's manual ones."""
    specs = dict(MEASURES)
    for declared in manual:
        # The plan linter refuses a manual measure hiding a registered one; keep the registry's.
        specs.setdefault(declared["name"], manual_spec(declared))
    return specs
