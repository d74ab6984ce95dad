"""Row locks that make writers take turns: one recompute per plan (a unit's lock, for imports,
is in ``unitlocks``, so that the apps beside the plan need not import the plan).

A plan's recompute (``plan_transaction``) takes, on PostgreSQL, the plan's row with
``SELECT … FOR NO KEY UPDATE NOWAIT``, retried until the wait is over: that mode still lets
others insert rows that refer to the plan (a manual value, a response), and the lock goes with
the transaction, also when its process dies. On SQLite the transaction itself is the lock: our
transactions are IMMEDIATE, so it holds the database's one write lock from its first
statement, and a second waits for it at BEGIN as long as the wait says instead of the usual
busy timeout. Both are the ORM's ``select_for_update``; they run on the primary.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connections, transaction

from kinerja.plan.models import Plan

from .routing import write_alias
from .sqlite import sqlite_pragma

POLL_SECONDS = 0.1


class Busy(Exception):
    """Another transaction held the row for longer than the wait allows."""


@contextmanager
def plan_transaction(plan_id: int, wait: float) -> Iterator[None]:
    """A transaction on the primary in which plan ``plan_id`` belongs to this one alone;
    ``Busy`` when another held it for ``wait`` seconds."""
    alias = write_alias(Plan)
    begun = False
    try:
        with (
            sqlite_pragma(Plan, "busy_timeout", max(0, int(wait * 1000))),
            transaction.atomic(using=alias),
        ):
            begun = True
            _take_plan_row(alias, plan_id, wait)
            yield
    except OperationalError as exc:
        # SQLite's BEGIN IMMEDIATE gave up waiting for the write lock ("database is locked").
        if begun or connections[alias].vendor != "sqlite" or "locked" not in str(exc):
            raise
        raise Busy(plan_id) from exc


def _take_plan_row(alias: str, plan_id: int, wait: float) -> None:
    features = connections[alias].features
    if not features.has_select_for_update_nowait:
        return  # SQLite: the IMMEDIATE transaction already holds the only write lock
    rows = Plan.objects.using(alias).filter(pk=plan_id).values_list("pk", flat=True)
    locking = rows.select_for_update(nowait=True, no_key=features.has_select_for_no_key_update)
    deadline = time.monotonic() + wait
    while True:
        try:
            # A savepoint: a refused NOWAIT must not abort the whole transaction. The row lock
            # taken inside it is kept until the transaction ends.
            with transaction.atomic(using=alias):
                list(locking)
            return
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                raise Busy(plan_id) from exc
            time.sleep(POLL_SECONDS)
