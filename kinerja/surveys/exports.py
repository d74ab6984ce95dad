"""Responses of a unit subtree and period as rows for CSV/XLSX (formula-safe via web.tables)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja_core.periods import Period
from kinerja_core.survey_csv import element_header

from .models import SCORE_FIELDS, Response
from .rollup import scope

# The survey CSV columns (docs/rules.md#survey-csv), then where each response came from
# (unit, channel). Element columns carry code and name ("U8 Penanganan Pengaduan, Saran dan
# Masukan"), so a file exported here is imported again without saying an element order.
HEADER = [
    "submitted_at",
    "service",
    "gender",
    "age",
    "education",
    "occupation",
    *element_header(),
    "suggestion",
    "unit",
    "channel",
]


def response_rows(unit: OrgUnit, period: Period) -> tuple[list[str], Iterator[list[Any]]]:
    responses = (
        Response.objects.filter(scope(unit, period.start, period.end))
        .select_related("service", "unit")
        .order_by("submitted_at", "pk")
    )

    def rows() -> Iterator[list[Any]]:
        for r in responses.iterator(chunk_size=2000):
            yield [
                timezone.localtime(r.submitted_at)
                .replace(tzinfo=None)
                .isoformat(timespec="minutes"),
                r.service.code,
                r.gender,
                r.age,
                r.education,
                r.occupation,
                *(getattr(r, f) for f in SCORE_FIELDS),
                r.suggestion,
                r.unit.code,
                r.channel,
            ]

    return HEADER, rows()
