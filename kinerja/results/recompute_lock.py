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
it and reads what the first stored (docs/security.md). The lock itself is
``kinerja.db.locks.plan_transaction``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kinerja.db.locks import Busy, plan_transaction
from kinerja.plan.models import Plan

BUSY = gettext_lazy(
    "A recompute of plan %(plan)s is already running. Wait until it finishes, then try again."
)


class RecomputeBusy(ValidationError):
    """Another recompute of the plan held it for longer than the wait allows."""


@contextmanager
def recompute_transaction(plan: Plan) -> Iterator[None]:
    """A transaction in which ``plan`` belongs to this recompute alone."""
    try:
        with plan_transaction(plan.pk, settings.KINERJA_RECOMPUTE_WAIT_SECONDS):
            yield
    except Busy as exc:
        raise RecomputeBusy(BUSY % {"plan": plan.code}, code="busy") from exc
