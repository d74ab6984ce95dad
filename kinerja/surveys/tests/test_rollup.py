"""The daily rollup always equals a recomputation from raw responses; measures read it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.surveys import measures, rollup
from kinerja.surveys.actions import Answer, do_delete_response, do_submit_response
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import TOTAL_FIELDS, DailyTally, Response
from kinerja_core.periods import Period

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db

YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def answer(*scores: int) -> Answer:
    return Answer(scores={f"U{i}": s for i, s in enumerate(scores, start=1)})


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def rollup_rows() -> set[tuple[Any, ...]]:
    return set(
        DailyTally.objects.values_list(
            "service_id", "unit_id", "day", "respondents", "sum_s2", *TOTAL_FIELDS
        )
    )


def assert_rollup_matches_raw(unit: Any) -> None:
    stored = rollup_rows()
    assert rollup.tally_for(unit, *YEAR) == rollup.raw_tally(unit, *YEAR)
    rollup.rebuild()
    assert rollup_rows() == stored


def test_it_keeps_the_rollup_equal_to_raw_responses(
    kec: Any, service: Any, kel_service: Any
) -> None:
    first, _ = do_submit_response(service, answer(4, 4, 3, 4, 3, 4, 4, 2, 3), channel="online")
    do_submit_response(service, answer(1, 2, 3, 4, 1, 2, 3, 4, 1), channel="paper",
                       submitted_at=at(2024, 2, 1, 9))  # fmt: skip
    do_submit_response(kel_service, answer(3, 3, 3, 3, 3, 3, 3, 3, 3), channel="kiosk",
                       submitted_at=at(2024, 2, 1, 23, 30))  # fmt: skip
    assert_rollup_matches_raw(kec)
    import_bytes(kec, csv_text(worked_rows()).encode(), "paper.csv")
    assert_rollup_matches_raw(kec)
    do_delete_response(first)
    assert_rollup_matches_raw(kec)
    # Deleting the last response of a day removes that day's row.
    for response in Response.objects.filter(unit=kec):
        do_delete_response(response)
    assert not DailyTally.objects.filter(unit=kec).exists()
    assert_rollup_matches_raw(kec)


def test_it_files_a_response_under_its_jakarta_day(service: Any) -> None:
    # 23:30 UTC on 31 December is 06:30 on 1 January in Jakarta: next year's survey.
    moment = datetime(2023, 12, 31, 23, 30, tzinfo=UTC)
    response, _ = do_submit_response(
        service, answer(*[4] * 9), channel="online", submitted_at=moment
    )
    assert response.day == date(2024, 1, 1)
    assert response.session == "morning"


def test_it_refuses_scores_outside_1_to_4_in_the_database(service: Any) -> None:
    from kinerja.surveys.actions import build_response

    response = build_response(
        service, answer(*[4] * 9), submitted_at=timezone.now(), channel="online"
    )
    response.u5 = 5
    with pytest.raises(IntegrityError), transaction.atomic():
        response.save()


def test_it_answers_the_measures_from_the_rollup(
    kec: Any, service: Any, kel_service: Any, django_assert_num_queries: Any
) -> None:
    assert measures.ikm(kec, Period(2024), {}) is None
    assert measures.respondents(kec, Period(2024), {}) == 0
    import_bytes(kec, csv_text(worked_rows(), day="2024-03-05").encode(), "a.csv")
    do_submit_response(
        kel_service, answer(*[1] * 9), channel="online", submitted_at=at(2024, 8, 1, 10)
    )
    do_submit_response(service, answer(*[2] * 9), channel="online", submitted_at=at(2023, 8, 1, 10))
    # The rollup's aggregate, which also tells whether the year has a published value in use
    # (docs/rules.md#ikm-published-values): one query.
    with django_assert_num_queries(1):
        value = measures.ikm(kec, Period(2024, "quarter", 1), {"service": ["ktp"]})
    assert isinstance(value, Decimal)
    assert f"{value:.6f}" == "91.475096"  # 955 / (29 × 9) × 25, full precision
    # Year to date: Q1 has the 29; the whole year adds the kelurahan's all-1 response.
    assert measures.respondents(kec, Period(2024, "quarter", 1), {}) == 29
    assert measures.respondents(kec, Period(2024), {}) == 30
    assert measures.respondents(kec, Period(2024, "month", 2), {}) == 0
    assert measures.ikm(kec, Period(2024, "month", 2), {}) is None
    # A kelurahan sees only its own subtree; a filter by service code narrows.
    kel = kel_service.unit
    assert measures.ikm(kel, Period(2024), {}) == Decimal(25)
    assert measures.respondents(kec, Period(2024), {"service": ["sk"]}) == 1
    assert measures.respondents(kec, Period(2023), {}) == 1


def orm_tally(unit: Any, services: list[str] | None) -> Any:
    """The tally as the ORM's aggregate computes it: what ``tally_for`` writes out by hand."""
    from django.db.models import Sum

    aggregate = DailyTally.objects.filter(rollup.scope(unit, *YEAR, services)).aggregate(
        n=Sum("respondents"), s2=Sum("sum_s2"), **{f: Sum(f) for f in TOTAL_FIELDS}
    )
    return rollup.tally_of(aggregate, TOTAL_FIELDS)


def test_tally_for_equals_the_orm_aggregate_with_like_wildcards_in_codes(
    kec: Any, service: Any, kel_service: Any
) -> None:
    from kinerja.accounts.models import OrgUnit
    from kinerja.surveys.actions import do_save_service

    # "kec_x" must not take in "kecax": "_" is a LIKE wildcard, escaped as the ORM escapes it.
    city = kec.parent
    wild = OrgUnit.objects.create(code="kec_x", name="X", level="kecamatan", parent=city)
    near = OrgUnit.objects.create(code="kecax", name="Y", level="kecamatan", parent=city)
    for unit, scores in ((wild, (4,) * 9), (near, (1,) * 9)):
        other = do_save_service(unit, code="ktp", name="KTP", yearly_users={2024: 10})
        do_submit_response(other, answer(*scores), channel="paper", submitted_at=at(2024, 3, 1, 9))
    do_submit_response(service, answer(4, 4, 3, 4, 3, 4, 4, 2, 3), channel="online",
                       submitted_at=at(2024, 3, 2, 9))  # fmt: skip
    do_submit_response(kel_service, answer(3, 3, 3, 3, 3, 3, 3, 3, 3), channel="kiosk",
                       submitted_at=at(2024, 3, 3, 9))  # fmt: skip
    assert rollup.tally_for(wild, *YEAR).respondents == 1
    assert rollup.tally_for(wild, *YEAR).totals["U1"] == 4
    for unit in (city, kec, wild, near):
        for services in (None, [service.code], [kel_service.code, service.code, "none"], []):
            assert rollup.tally_for(unit, *YEAR, services) == orm_tally(unit, services or None)
    assert rollup.tally_for(city, *YEAR).respondents == 4
