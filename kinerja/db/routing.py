"""Which database a statement goes to: the primary, or a read replica when one is configured.

``KINERJA_REPLICA_URL`` adds the alias ``replica`` (docs/configuration.md#read-replica). Reads
of the data that pages, reports and the public results read in bulk (surveys, results, plans,
the community registry) then go to it; everything whose reader must see the latest write stays
on the primary: log-ins, sessions, two-factor devices, access rights and the other apps, the
rate-limit buckets and import batches, every read made inside a transaction on the primary
(it must see that transaction's own writes and locks), and every write. Without a replica the
router has no opinion and Django uses the default database, as before.

The layer's statements ask ``read_alias(model)`` / ``write_alias(model)``, never the bare
default ``connection``; a read that locks, or that follows a write it must see, asks for the
write alias.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
# Apps whose reads may lag the primary by the replica's delay: what they show is recomputed,
# aggregated or changed by staff, not something a user just wrote and reads back at once.
REPLICA_APPS = frozenset({"surveys", "results", "plan", "community"})
# Models of those apps that a writer reads back to decide (per-client counts, import states).
PRIMARY_MODELS = frozenset({"surveys.ratebucket", "surveys.importbatch"})
# Set inside ``primary_reads()``: every read goes to the primary.
_pinned: ContextVar[bool] = ContextVar("kinerja_primary_reads", default=False)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Send every read made inside to the primary: for a reader that must see a write that has
    just committed though it reads outside a transaction (the live recompute queued by that
    very write would otherwise compute from a replica that may not have it yet)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    """Django's database router for an optional read replica (``DATABASE_ROUTERS``)."""

    def db_for_read(self, model: type[Model], **_hints: Any) -> str | None:
        if REPLICA not in connections.settings:
            return None
        meta = model._meta
        if meta.app_label not in REPLICA_APPS or meta.label_lower in PRIMARY_MODELS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block or _pinned.get():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **_hints: Any) -> str | None:
        return PRIMARY if REPLICA in connections.settings else None

    def allow_relation(self, obj1: Model, obj2: Model, **_hints: Any) -> bool | None:
        # A row read from the replica is the primary's row: it may be related to any other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **_hints: Any) -> bool | None:
        # The replica copies the primary's schema; nothing migrates it directly.
        return False if db == REPLICA else None


def read_alias(model: type[Model]) -> str:
    """The database a plain read of ``model`` goes to."""
    return router.db_for_read(model)


def write_alias(model: type[Model]) -> str:
    """The database that writes ``model``: also for locking reads and reads after a write."""
    return router.db_for_write(model)


def reader(model: type[Model]) -> BaseDatabaseWrapper:
    return connections[router.db_for_read(model)]


def writer(model: type[Model]) -> BaseDatabaseWrapper:
    return connections[router.db_for_write(model)]
