"""SQLite connection settings held for a block of work (the one shared helper for them).

A recompute bounds how long it waits for another writer (``busy_timeout``) and an import gives
itself a large page cache (``cache_size``); both must put the connection back as it was, since
Kinerja keeps SQLite connections open between requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def sqlite_pragma(name: str, value: int) -> Iterator[None]:
    """On SQLite, the connection's ``PRAGMA name`` set to ``value`` for the block and put back
    afterwards; nothing on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {int(before)}")
