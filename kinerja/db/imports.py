"""The survey import's statements: its response rows, and which of their keys are stored.

Rows go in with ``bulk.insert_rows``: on SQLite an ``executemany`` that skips keys already
stored (the unique (unit, day, import_key) index is probed anyway, so a new file costs no
look-up); on PostgreSQL a ``COPY``, which has no ON CONFLICT: a chunk is copied whole in a
savepoint, and only when that breaks the key (a row stored before) are its keys looked up with
``stored_import_keys`` and the rows it did not find copied. Keys are looked up one (unit, day)
at a time, a thousand at most per statement, so the index answers each key in turn.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections
from django.db.models import Q

from kinerja.surveys.models import SCORE_FIELDS, ImportBatch, Response

from .routing import write_alias

# Every column of an imported response row, in the order the importer fills them.
RESPONSE_COLUMNS = (
    "service_id",
    "unit_id",
    "submitted_at",
    "day",
    "session",
    "channel",
    "gender",
    "age",
    "education",
    "occupation",
    *SCORE_FIELDS,
    "suggestion",
    "batch_id",
    "import_key",
    "created_at",
)
# Keys looked up in one statement (SQLite allows 32 766 parameters in all).
PRESENT_KEYS = 1000
# (unit id, day as stored) → import keys
KeysByDay = Mapping[tuple[int, Any], Sequence[str]]


@functools.cache
def _statements(alias: str) -> tuple[str, str, str]:
    """(keys of one unit and day, "not of this batch", "visible to readers") for the database."""
    connection = connections[alias]
    table = connection.ops.quote_name(Response._meta.db_table)
    batches = connection.ops.quote_name(ImportBatch._meta.db_table)
    distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    return (
        f"SELECT import_key FROM {table} WHERE unit_id = %s AND day = %s "  # noqa: S608
        "AND import_key ",
        f" AND batch_id {distinct} %s",
        # A check only counts what readers see: not the rows of another import still running.
        f" AND (batch_id IS NULL OR batch_id IN (SELECT id FROM {batches} "  # noqa: S608
        f"WHERE state = '{ImportBatch.State.COMMITTED.value}'))",
    )


def stored_import_keys(
    keys: KeysByDay, *, visible_only: bool = False, except_batch: int | None = None
) -> set[str]:
    """Which of the keys (by unit and day) are stored: by any row, only by rows readers see
    (``visible_only``), or only by rows of other batches than ``except_batch``. Read on the
    primary: the importer asks right after writing."""
    alias = write_alias(Response)
    connection = connections[alias]
    present_sql, other_batch_sql, visible_sql = _statements(alias)
    postgresql = connection.vendor == "postgresql"
    found: set[str] = set()
    with connection.cursor() as cursor:
        for (unit_id, day), day_keys in keys.items():
            for start in range(0, len(day_keys), PRESENT_KEYS):
                part = list(day_keys[start : start + PRESENT_KEYS])
                if postgresql:
                    sql, params = present_sql + "= ANY(%s)", [unit_id, day, part]
                else:
                    marks = ", ".join(["%s"] * len(part))
                    sql, params = present_sql + f"IN ({marks})", [unit_id, day, *part]
                if except_batch is not None:
                    sql, params = sql + other_batch_sql, [*params, except_batch]
                elif visible_only:
                    sql += visible_sql
                cursor.execute(sql, params)
                found.update(key for (key,) in cursor.fetchall())
    return found


def stored_import_keys_orm(
    keys: KeysByDay, *, visible_only: bool = False, except_batch: int | None = None
) -> set[str]:
    rows = Response.stored.using(write_alias(Response))
    if except_batch is not None:
        rows = rows.exclude(batch_id=except_batch)
    elif visible_only:
        rows = rows.filter(Q(batch__isnull=True) | Q(batch__state=ImportBatch.State.COMMITTED))
    found: set[str] = set()
    for (unit_id, day), day_keys in keys.items():
        day_rows = rows.filter(unit_id=unit_id, day=day, import_key__in=list(day_keys))
        found.update(key for key in day_rows.values_list("import_key", flat=True) if key)
    return found
