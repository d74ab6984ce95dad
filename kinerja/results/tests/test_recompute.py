from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from simple_history.models import HistoricalRecords

from kinerja.accounts.models import Role
from kinerja.results.actions import (
    do_apply_pending,
    do_lock_year,
    do_recompute,
    recompute_periods,
)
from kinerja.results.models import PendingChange, Result, ResultChange, YearLock
from kinerja.results.tests.plans import COVERAGE, GROWTH, approve, load, put
from kinerja.test import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    # Users without a password: hashing one costs more than these tests.
    users = {n: django_user_model.objects.create(username=n) for n in ("head", "planner")}
    users["admin"] = django_user_model.objects.create(username="admin", is_superuser=True)
    return users


def realisation(plan, unit: str, period: str, code: str = "I1") -> Decimal | None:
    return Result.objects.get(
        plan=plan, indicator__code=code, unit__code=unit, period_key=period
    ).realisation


def test_it_covers_every_year_quarter_unit_and_indicator() -> None:
    plan = load(COVERAGE, GROWTH)
    keys = [p.key for p in recompute_periods(plan)]
    assert keys[:6] == ["2020", "2021", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert len(keys) == 1 + 3 * 5
    summary = do_recompute(plan)
    # 16 periods × 3 units (kecamatan and two kelurahan) × 2 indicators
    assert summary.created == Result.objects.filter(plan=plan).count() == 96
    assert set(Result.objects.values_list("unit__code", flat=True)) == {
        "kec-uji",
        "kel-satu",
        "kel-dua",
    }


def test_it_is_idempotent_and_keeps_computed_at_of_unchanged_rows() -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kel-satu", "2021", 10)
    put(plan, "registered", "kel-satu", "2021", 40)
    do_recompute(plan)
    before = dict(Result.objects.values_list("pk", "computed_at"))
    again = do_recompute(plan)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == 48
    assert dict(Result.objects.values_list("pk", "computed_at")) == before
    # a correction changes exactly the rows that depend on it: the kelurahan and its kecamatan
    put(plan, "served", "kel-satu", "2021", 20)
    changed = do_recompute(plan)
    assert changed.updated == 2 and changed.created == 0
    assert realisation(plan, "kel-satu", "2021") == Decimal(50)
    assert realisation(plan, "kec-uji", "2021") == Decimal(50)
    after = dict(Result.objects.values_list("pk", "computed_at"))
    assert sum(after[pk] != before[pk] for pk in before) == 2


def test_it_keeps_the_history_of_stored_results() -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kel-satu", "2021", 10)
    put(plan, "registered", "kel-satu", "2021", 40)
    do_recompute(plan)
    history = Result.history.model.objects  # type: ignore[attr-defined]  # the manager django-simple-history adds
    assert history.filter(history_type="+").count() == Result.objects.count() == 48
    do_recompute(plan)
    assert history.count() == 48  # nothing changed, nothing recorded
    put(plan, "served", "kel-satu", "2021", 20)
    do_recompute(plan)
    changes = history.filter(history_type="~", period_key="2021").order_by("unit__code")
    assert [(h.unit.code, h.realisation) for h in changes] == [
        ("kec-uji", Decimal(50)),
        ("kel-satu", Decimal(50)),
    ]


def test_it_recomputes_one_year_only() -> None:
    plan = load(COVERAGE)
    summary = do_recompute(plan, years=[2022])
    assert summary.created == 5 * 3
    assert set(Result.objects.values_list("year", flat=True)) == {2022}


def test_it_keeps_a_locked_year_until_a_logged_reapply(people) -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kec-uji", "2021", 30)
    put(plan, "registered", "kec-uji", "2021", 60)
    do_recompute(plan)
    head = make_user("kepala-uji", Role.HEAD, plan.unit)
    approve(plan, 2021, people["admin"], head)
    lock = do_lock_year(plan, 2021, head)
    assert YearLock.objects.get(plan=plan, year=2021) == lock
    assert do_lock_year(plan, 2021, head) == lock  # locking twice is harmless
    stored = Result.objects.get(
        plan=plan, indicator__code="I1", unit__code="kec-uji", period_key="2021"
    )
    stamp = stored.computed_at

    put(plan, "served", "kec-uji", "2021", 45)  # a data correction after the report
    put(plan, "served", "kec-uji", "2022", 10)  # and new data in an open year
    put(plan, "registered", "kec-uji", "2022", 100)
    summary = do_recompute(plan)
    assert summary.pending == 1 and summary.updated == 1
    stored.refresh_from_db()
    assert stored.realisation == Decimal(50) and stored.computed_at == stamp
    pending = PendingChange.objects.get(plan=plan)
    assert pending.realisation_before() == Decimal(50)
    assert pending.realisation_after() == Decimal(75)
    assert realisation(plan, "kec-uji", "2022") == Decimal(10)

    # recomputing again records the same difference once
    assert do_recompute(plan).pending == 1 and PendingChange.objects.count() == 1
    with pytest.raises(ValidationError):
        do_apply_pending(plan, 2021, "   ", head)
    stored.refresh_from_db()
    assert stored.realisation == Decimal(50)

    assert do_apply_pending(plan, 2021, "Koreksi register Maret", head) == 1
    stored.refresh_from_db()
    assert stored.realisation == Decimal(75) and stored.achievement == Decimal(150)
    log = ResultChange.objects.get(plan=plan)
    assert log.reason == "Koreksi register Maret" and log.changed_by == head
    assert (log.realisation_before(), log.realisation_after()) == (Decimal(50), Decimal(75))
    assert not PendingChange.objects.exists()
    assert do_recompute(plan).pending == 0


def test_it_drops_a_pending_change_when_the_data_is_corrected_back(people) -> None:
    plan = load(COVERAGE)
    put(plan, "served", "kec-uji", "2021", 30)
    put(plan, "registered", "kec-uji", "2021", 60)
    do_recompute(plan)
    head = make_user("kepala-uji", Role.HEAD, plan.unit)
    approve(plan, 2021, people["admin"], head)
    do_lock_year(plan, 2021, head)
    put(plan, "served", "kec-uji", "2021", 31)
    do_recompute(plan)
    assert PendingChange.objects.count() == 1
    put(plan, "served", "kec-uji", "2021", 30)
    do_recompute(plan)
    assert not PendingChange.objects.exists()


def test_it_refuses_to_lock_a_year_outside_the_plan(people) -> None:
    plan = load(COVERAGE)
    with pytest.raises(ValidationError):
        do_lock_year(plan, 2030, people["admin"])


def test_its_history_rows_name_the_user_of_the_request(people, rf) -> None:
    plan = load(COVERAGE)
    request = rf.post("/")
    request.user = people["planner"]
    HistoricalRecords.context.request = request
    try:
        do_recompute(plan, years=[2022])
    finally:
        del HistoricalRecords.context.request
    history = Result.history.model.objects  # type: ignore[attr-defined]  # the manager django-simple-history adds
    assert history.count() == Result.objects.count() == 15
    assert set(history.values_list("history_user", "history_type")) == {(people["planner"].pk, "+")}
    # each history row carries its result's id and values
    stored = {r.pk: (r.indicator_id, r.unit_id, r.period_key) for r in Result.objects.all()}
    assert {h.id: (h.indicator_id, h.unit_id, h.period_key) for h in history.all()} == stored
