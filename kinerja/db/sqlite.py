"""SQLite connection settings held for a block of work.

A recompute bounds how long it waits for another writer (``busy_timeout``) and an import gives
itself a large page cache (``cache_size``); both must put the connection back as it was, since
Kinerja keeps SQLite connections open between requests. PRAGMAs have no ORM twin: they set the
engine, not rows; ``tests/test_sqlite.py`` checks that a setting is held and put back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Model

from .routing import writer


def pragma(model: type[Model], name: str) -> int | None:
    """The current ``PRAGMA name`` of the connection that writes ``model``; None off SQLite."""
    connection = writer(model)
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        (value,) = cursor.fetchone()
    return int(value)


@contextmanager
def sqlite_pragma(model: type[Model], name: str, value: int) -> Iterator[None]:
    """On SQLite, ``PRAGMA name`` of the connection that writes ``model`` set to ``value`` for
    the block and put back afterwards; nothing on other databases."""
    before = pragma(model, name)
    if before is None:
        yield
        return
    connection = writer(model)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {int(before)}")
