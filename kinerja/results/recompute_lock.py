"""One recompute per plan at a time.

Two recomputes of one plan that overlap both read the stored results before either has written,
then both insert the same new rows: on PostgreSQL the second then fails on the unique key
(indicator, unit, period). So a recompute's transaction first takes its plan:

- PostgreSQL: the plan's row, ``SELECT … FOR NO KEY UPDATE NOWAIT``, retried until the wait is
  over. That mode still lets others insert rows that refer to the plan (a manual value, a
  response), and the lock goes with the transaction, also when its process dies.
- SQLite: the transaction itself. Our transactions are IMMEDIATE, so a recompute holds the
  database's one write lock from its first statement; a second waits for it at BEGIN, as long
  as ``KINERJA_RECOMPUTE_WAIT_SECONDS`` says instead of the usual busy timeout.

The second recompute waits at most ``KINERJA_RECOMPUTE_WAIT_SECONDS``, then gets
``RecomputeBusy`` (a message, never a server error); if the first finishes in time it runs after
it and reads what the first stored (docs/security.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext_lazy

from kinerja.plan.models import Plan
from kinerja.sqlite import sqlite_pragma

POLL_SECONDS = 0.1
BUSY = gettext_lazy(
    "A recompute of plan %(plan)s is already running. Wait until it finishes, then try again."
)


class RecomputeBusy(ValidationError):
    """Another recompute of the plan held it for longer than the wait allows."""


@contextmanager
def recompute_transaction(plan: Plan) -> Iterator[None]:
    """A transaction in which ``plan`` belongs to this recompute alone."""
    wait = settings.KINERJA_RECOMPUTE_WAIT_SECONDS
    begun = False
    try:
        with sqlite_pragma("busy_timeout", max(0, int(wait * 1000))), transaction.atomic():
            begun = True
            take_plan_row(plan, wait)
            yield
    except OperationalError as exc:
        # SQLite's BEGIN IMMEDIATE gave up waiting for the write lock ("database is locked").
        if begun or connection.vendor != "sqlite" or "locked" not in str(exc):
            raise
        raise RecomputeBusy(BUSY % {"plan": plan.code}, code="busy") from exc


def take_plan_row(plan: Plan, wait: float) -> None:
    if not connection.features.has_select_for_update_nowait:
        return  # SQLite: the IMMEDIATE transaction already holds the only write lock
    rows = Plan.objects.filter(pk=plan.pk).values_list("pk", flat=True)
    locking = rows.select_for_update(
        nowait=True, no_key=connection.features.has_select_for_no_key_update
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            # A savepoint: a refused NOWAIT must not abort the whole transaction. The row lock
            # taken inside it is kept until the transaction ends.
            with transaction.atomic():
                list(locking)
            return
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                raise RecomputeBusy(BUSY % {"plan": plan.code}, code="busy") from exc
            time.sleep(POLL_SECONDS)
