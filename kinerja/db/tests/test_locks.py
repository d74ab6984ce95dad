"""The plan and unit locks: taken inside a transaction on the primary, refused when held.

Racing recomputes on both engines are in kinerja/results/tests/test_security_recompute.py.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from kinerja.db import locks, unitlocks
from kinerja.plan.models import Plan

from .conftest import Tree


def plan_of(tree: Tree) -> Plan:
    return Plan.objects.create(code="p", title="P", unit=tree.city, start_year=2020, end_year=2024)


def test_a_plan_transaction_holds_the_plan_and_ends_with_the_block(tree: Tree) -> None:
    plan = plan_of(tree)
    with locks.plan_transaction(plan.pk, 1.0):
        assert connection.in_atomic_block
        Plan.objects.filter(pk=plan.pk).update(title="Renstra")
    assert Plan.objects.get(pk=plan.pk).title == "Renstra"


def test_a_unit_lock_needs_and_keeps_the_callers_transaction(tree: Tree) -> None:
    with transaction.atomic():
        unitlocks.lock_unit(tree.kec.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a server database (the SQLite test database lives in memory)",
)
def test_a_second_plan_transaction_is_told_the_plan_is_busy(tree: Tree) -> None:
    plan = plan_of(tree)
    taken, release = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with locks.plan_transaction(plan.pk, 1.0):
                taken.set()
                release.wait(5)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert taken.wait(5)
        with pytest.raises(locks.Busy), locks.plan_transaction(plan.pk, 0.3):
            pass
    finally:
        release.set()
        thread.join()
    with locks.plan_transaction(plan.pk, 0.3):
        pass  # free again
