"""Every measure an indicator formula may name, declared in one place.

A measure is computed by one function ``compute(unit, period, filters)`` in the app that owns its
data, returning a Decimal/int, ``None`` when nothing was measured, or a NotComputable with its
reason. Each runs one SQL aggregate for one unit subtree and one period. Plans may also declare
manual measures (values typed in by staff with evidence); those are resolved per plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

Filters = Mapping[str, list[str]]


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    label: str | Promise
    source: str  # the app that owns the data: community, surveys, manual
    compute: str  # dotted path to compute(unit, period, filters)
    filters: tuple[str, ...] = ()
    unit: str = "number"

    def function(self) -> Callable[..., Any]:
        return import_string(self.compute)  # type: ignore[no-any-return]


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
        ),
        MeasureSpec(
            "groups_facilitated",
            _("Groups and institutions facilitated in the year"),
            "community",
            "kinerja.community.measures.groups_facilitated",
            COMMUNITY_FILTERS,
        ),
        MeasureSpec(
            "groups_fostered_cumulative",
            _("Groups and institutions fostered up to the end of the year"),
            "community",
            "kinerja.community.measures.groups_fostered_cumulative",
            COMMUNITY_FILTERS,
        ),
        MeasureSpec(
            "ikm",
            _("Community satisfaction index (IKM)"),
            "surveys",
            "kinerja.surveys.measures.ikm",
            SURVEY_FILTERS,
            unit="index",
        ),
        MeasureSpec(
            "respondents",
            _("Survey respondents"),
            "surveys",
            "kinerja.surveys.measures.respondents",
            SURVEY_FILTERS,
        ),
    ]
}


def measure_names() -> set[str]:
    return set(MEASURES)
