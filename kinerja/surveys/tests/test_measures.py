"""The batch forms of the survey measures equal the single forms, unit by unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.surveys import measures
from kinerja.surveys.actions import Answer, do_save_service, do_submit_response
from kinerja.surveys.importing import import_bytes
from kinerja_core.periods import Period

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db


def submit(service: Any, score: int, year: int, month: int, day: int, hour: int) -> None:
    do_submit_response(
        service,
        Answer(scores={f"U{i}": score for i in range(1, 10)}),
        channel="online",
        submitted_at=timezone.make_aware(datetime(year, month, day, hour)),
    )


def test_it_gives_the_same_ikm_and_respondents_in_one_batch_query(
    kec: Any, service: Any, kel_service: Any, django_assert_num_queries: Any
) -> None:
    city = kec.parent
    other = OrgUnit.objects.create(code="kec-lain", name="Lain", level="kecamatan", parent=city)
    far = do_save_service(other, code="ktp", name="KTP", yearly_users={2024: 10})
    import_bytes(kec, csv_text(worked_rows(), day="2024-03-05").encode(), "a.csv")
    submit(kel_service, 1, 2024, 8, 1, 10)
    submit(service, 2, 2023, 8, 1, 10)
    submit(far, 4, 2024, 5, 2, 9)
    submit(far, 3, 2024, 11, 30, 9)
    units = list(OrgUnit.objects.order_by("path"))
    periods = [Period(2023), Period(2024), Period(2024, "quarter", 1), Period(2024, "quarter", 2)]
    filters: list[dict[str, list[str]]] = [{}, {"service": ["ktp"]}, {"service": ["sk", "x"]}]
    reader = measures.TallyBatch(units)
    run_start = True  # and once per run, the published values (docs/rules.md#ikm-published-values)
    for period in periods:
        first = True  # one query per period, whatever the services and measures
        for given in filters:
            for name, single in [("ikm", measures.ikm), ("respondents", measures.respondents)]:
                with django_assert_num_queries((2 if run_start else 1) if first else 0):
                    batch = reader.values(name, period, given)
                first = run_start = False
                assert batch == {u.pk: single(u, period, given) for u in units}, (period, given)
    # the kecamatan's own subtree only: the other kecamatan's answers stay out
    assert measures.TallyBatch([kec]).values("respondents", Period(2024), {}) == {kec.pk: 30}
    assert reader.values("respondents", Period(2024), {})[city.pk] == 32
    with django_assert_num_queries(0):
        assert measures.TallyBatch([]).values("ikm", Period(2024), {}) == {}
