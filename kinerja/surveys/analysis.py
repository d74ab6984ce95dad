"""What the results pages and reports show for a unit subtree and a period.

Query counts are fixed, whatever the data: the IKM of the period and of the previous one come
from the daily rollup (one aggregate each); each profile breakdown is one GROUP BY over the
period's responses through the (unit, day) index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja_core.ikm import (
    EDUCATION_LEVELS,
    GENDERS,
    OCCUPATIONS,
    IkmResult,
    Tally,
    compute_ikm,
    get_method,
)
from kinerja_core.periods import Period

from .models import CODES, SCORE_FIELDS, TOTAL_FIELDS, DailyTally, Response, ServiceVolume
from .rollup import raw_aggregates, scope, tally_for

MIN_GROUP = 5  # groups with fewer respondents are hidden: small groups identify people
MONTHS_IN = {"year": 12, "semester": 6, "quarter": 3, "month": 1}
GRADE_COLOURS = {"A": "#1a7f37", "B": "#0b5394", "C": "#b7791f", "D": "#c62828"}
# (minimum age, label) of the age bands, youngest first.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "< 20"),
    (20, "20–29"),
    (30, "30–39"),
    (40, "40–49"),
    (50, "50–59"),
    (60, "≥ 60"),
)


@dataclass(frozen=True)
class PeriodResult:
    unit: OrgUnit
    period: Period
    tally: Tally
    result: IkmResult | None
    population: int | None

    @property
    def respondents(self) -> int:
        return self.tally.respondents

    @property
    def sample_target(self) -> int | None:
        return self.result.sample_target if self.result else None


def span(period: Period) -> tuple[date, date]:
    return period.start, period.end


def population(unit: OrgUnit, period: Period, services: Sequence[str] | None = None) -> int | None:
    """Service users in the period: the yearly users of the subtree's services, pro rata for
    a semester, quarter or month (offices record users per year). None when none recorded."""
    volumes = ServiceVolume.objects.filter(unit.subtree_q("service__unit"), year=period.year)
    if services:
        volumes = volumes.filter(service__code__in=list(services))
    yearly: int | None = volumes.aggregate(total=Sum("users"))["total"]
    if not yearly:
        return None
    return max(1, round(yearly * MONTHS_IN[period.kind] / 12))


def period_result(
    unit: OrgUnit,
    period: Period,
    services: Sequence[str] | None = None,
    tally_of_span: Callable[[OrgUnit, date, date], Tally] | None = None,
) -> PeriodResult:
    """The period's IKM; ``tally_of_span(unit, start, end)`` reads the tally of all services
    instead of ``tally_for`` (public pages read closed days from their cache)."""
    start, end = span(period)
    if tally_of_span is not None and not services:
        tally = tally_of_span(unit, start, end)
    else:
        tally = tally_for(unit, start, end, services)
    pop = population(unit, period, services)
    result = None
    if tally.respondents:
        # The finite-population correction only makes sense when N exceeds the sample.
        result = compute_ikm(tally, population=pop if pop and pop >= tally.respondents else None)
    return PeriodResult(unit, period, tally, result, pop)


def _age_band() -> Case:
    whens = [When(age__gte=minimum, then=Value(label)) for minimum, label in reversed(AGE_BANDS)]
    return Case(*whens, default=Value(""), output_field=CharField())


DIMENSIONS = ("gender", "age", "education", "occupation")
DIMENSION_LABELS = {
    "gender": _("Gender"),
    "age": _("Age"),
    "education": _("Education"),
    "occupation": _("Occupation"),
    "service": _("Service"),
}
# Groups are listed in the vocabulary's own order (SD before SMP), not alphabetically.
GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "gender": GENDERS,
    "age": tuple(label for _minimum, label in AGE_BANDS),
    "education": EDUCATION_LEVELS,
    "occupation": OCCUPATIONS,
}


def _position(order: tuple[str, ...], label: str) -> int:
    return order.index(label) if label in order else len(order)


def _dimension(name: str) -> Any:
    return _age_band() if name == "age" else Coalesce(name, Value(""))


def _group_rows(
    rows: Sequence[Mapping[str, Any]], names: Sequence[str], key: str
) -> list[dict[str, Any]]:
    total = sum(r["n"] for r in rows) or 1
    groups = []
    for row in rows:
        tally = Tally(
            respondents=row["n"],
            totals={code: int(row[name] or 0) for code, name in zip(CODES, names, strict=True)},
            sum_s2=int(row["s2"] or 0),
        )
        hidden = row["n"] < MIN_GROUP
        groups.append(
            {
                "label": row[key] or "",
                "respondents": row["n"],
                "share": Decimal(row["n"] * 100) / Decimal(total),
                "hidden": hidden,
                "ikm": None if hidden else compute_ikm(tally).ikm,
            }
        )
    return groups


def breakdowns(unit: OrgUnit, period: Period) -> dict[str, list[dict[str, Any]]]:
    """Respondents and IKM per profile group and per service; groups under 5 are flagged hidden."""
    start, end = span(period)
    responses = Response.objects.filter(scope(unit, start, end))
    raw_names = [f"raw_{f}" for f in SCORE_FIELDS]
    result: dict[str, list[dict[str, Any]]] = {}
    for name in DIMENSIONS:
        grouped = responses.annotate(group=_dimension(name)).values("group")
        rows = list(grouped.annotate(**raw_aggregates()).order_by("group"))
        order = GROUP_ORDER[name]
        rows.sort(key=lambda row: _position(order, row["group"]))  # noqa: B023 (sorted at once)
        result[name] = _group_rows(rows, raw_names, "group")
    by_service = list(
        DailyTally.objects.filter(scope(unit, start, end))
        .values("service__name")
        .annotate(
            n=Sum("respondents"),
            s2=Sum("sum_s2"),
            **{f"sum_{t}": Sum(t) for t in TOTAL_FIELDS},
        )
        .order_by("service__name")
    )
    result["service"] = _group_rows(by_service, [f"sum_{t}" for t in TOTAL_FIELDS], "service__name")
    return result


def suggestions(unit: OrgUnit, period: Period, limit: int = 50) -> list[Response]:
    start, end = span(period)
    return list(
        Response.objects.filter(scope(unit, start, end))
        .exclude(suggestion="")
        .select_related("service")
        .only("submitted_at", "suggestion", "service__name")
        .order_by("-submitted_at")[:limit]
    )


def grade_edges() -> list[tuple[Decimal, str]]:
    return [(g.minimum, g.letter) for g in get_method().grades[:-1]]


def counts_by_channel(unit: OrgUnit, period: Period) -> dict[str, int]:
    start, end = span(period)
    rows = (
        Response.objects.filter(scope(unit, start, end))
        .values("channel")
        .annotate(n=Count("id", output_field=IntegerField()))
        .order_by()
    )
    return {r["channel"]: r["n"] for r in rows}
