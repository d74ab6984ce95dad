"""The rate-limit bucket of one client: its recent hits read locked, then stored.

Two plain statements in one transaction on the primary (read the row ``FOR UPDATE``, then
``UPDATE`` it or ``INSERT … ON CONFLICT DO NOTHING`` it), not the ORM's get_or_create with its
savepoint and extra UPDATE: the ORM version (``update_bucket_orm``) cost about as much as
storing the response, and this runs on every public POST. PostgreSQL locks the row; SQLite's
immediate transactions serialise writers, so concurrent requests of one client are counted
exactly.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

from kinerja.surveys.models import RateBucket

from .routing import write_alias

# Given the client's stored hit times (none yet: an empty list), the times to store.
Change = Callable[[list[float]], list[float]]


def _hits(value: Any) -> list[float]:
    return value if isinstance(value, list) else json.loads(value)


@functools.cache
def _statements(alias: str) -> tuple[str, str, str]:
    """(SELECT … FOR UPDATE, UPDATE, INSERT … ON CONFLICT DO NOTHING) for the database."""
    connection = connections[alias]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = connection.ops.quote_name(RateBucket._meta.db_table)
    return (
        f'SELECT hits FROM {table} WHERE "key" = %s{lock}',  # noqa: S608
        f'UPDATE {table} SET hits = %s, updated_at = %s WHERE "key" = %s',  # noqa: S608
        f'INSERT INTO {table} (hits, updated_at, "key") VALUES (%s, %s, %s) '  # noqa: S608
        'ON CONFLICT ("key") DO NOTHING',
    )


def _store(
    cursor: CursorWrapper,
    connection: BaseDatabaseWrapper,
    key: str,
    hits: list[float],
    now: datetime,
    exists: bool,
) -> bool:
    """Write the client's hits; False when a concurrent request created its row first."""
    _select, update, insert = _statements(connection.alias)
    values = [
        RateBucket._meta.get_field("hits").get_db_prep_save(hits, connection),
        RateBucket._meta.get_field("updated_at").get_db_prep_save(now, connection),
    ]
    if exists:
        cursor.execute(update, [*values, key])
        return True
    cursor.execute(insert, [*values, key])
    return bool(cursor.rowcount == 1)


def update_bucket(key: str, now: datetime, change: Change) -> None:
    """Store ``change(hits)`` as the bucket ``key``'s hits, stamped ``now``, reading the hits
    under a lock; inside the caller's transaction when there is one (no savepoint)."""
    alias = write_alias(RateBucket)
    connection = connections[alias]
    select = _statements(alias)[0]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        while True:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            hits = change(_hits(row[0]) if row else [])
            if _store(cursor, connection, key, hits, now, exists=row is not None):
                return
            # Another request from this client created the row after our read: read it again
            # (now locked) so neither submission goes uncounted.


def update_bucket_orm(key: str, now: datetime, change: Change) -> None:
    alias = write_alias(RateBucket)
    with transaction.atomic(using=alias):
        buckets = RateBucket.objects.using(alias).select_for_update()
        bucket, _created = buckets.get_or_create(key=key, defaults={"hits": []})
        buckets.filter(pk=bucket.pk).update(hits=change(bucket.hits), updated_at=now)
