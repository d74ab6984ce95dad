"""For tests: a database of its own that ``kinerja`` child processes share with the test.

Tests that run Kinerja as its users do (a server, a worker killed mid-run) start ``kinerja``
processes; those need a database they all reach, which the test's own (inside a transaction,
under a test name) is not. On SQLite that is a file in the children's ``KINERJA_VAR_DIR``; on
PostgreSQL a database with a unique name on the server ``KINERJA_DATABASE_URL`` names, created
empty and dropped afterwards (whatever connections the children left open). Statements about
the server itself, so no ORM twin: ``tests/test_scratch.py`` checks their effect.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

URL_VARIABLE = "KINERJA_DATABASE_URL"


def with_database(url: str, name: str) -> str:
    """``url`` naming database ``name`` on the same server, as the same user."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def server_statement(url: str, statement: str, name: str) -> None:
    """Run ``statement`` (a ``{}`` for the database name) on the server's maintenance database:
    CREATE and DROP DATABASE run outside a transaction and not inside the database they name."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


@contextmanager
def scratch_database(var: Path, **extra: str) -> Iterator[dict[str, str]]:
    """The environment for child ``kinerja`` processes: ``KINERJA_VAR_DIR`` is ``var``, the
    database a new one (see the module doc), plus ``extra`` variables."""
    env = {k: v for k, v in os.environ.items() if k != URL_VARIABLE}
    env.update(KINERJA_VAR_DIR=str(var), **extra)
    url = os.environ.get(URL_VARIABLE)
    if not url:
        yield env  # SQLite: var/kinerja.sqlite3, made by the first child that connects
        return
    name = f"kinerja_scratch_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    server_statement(url, "CREATE DATABASE {}", name)
    try:
        env[URL_VARIABLE] = with_database(url, name)
        yield env
    finally:
        server_statement(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
