"""Storing one survey response under its idempotency key: a replay stores nothing.

The public form's POST stores a response whose form token is its unique ``idempotency_key``; a
double-tap or a replayed POST must store it once. ``insert_response`` is one
``INSERT … ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING
id`` (the same text on SQLite and PostgreSQL; the WHERE names the partial unique index's
predicate, without which neither engine takes that index as the conflict target): a replay
inserts no row and the caller's transaction goes on, where the ORM twin (``insert_response_orm``)
needs a savepoint around the INSERT to survive the IntegrityError (two more statements on every
post). Any other refusal (a score outside 1..4) still raises.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import IntegrityError, connections, transaction

from kinerja.surveys.models import Response

from .routing import write_alias


def _fields() -> list[Any]:
    return [f for f in Response._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(f.column) for f in _fields())
    marks = ", ".join(["%s"] * len(_fields()))
    key = quote("idempotency_key")
    return (
        f"INSERT INTO {quote(Response._meta.db_table)} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({key}) WHERE {key} IS NOT NULL DO NOTHING RETURNING {quote('id')}"
    )


def insert_response(response: Response) -> bool:
    """Insert ``response`` (its ``pk`` set) and return True; False, storing nothing, when a
    response with its idempotency key is stored already."""
    alias = write_alias(Response)
    connection = connections[alias]
    params = [f.get_db_prep_save(f.pre_save(response, add=True), connection) for f in _fields()]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias), params)
        row = cursor.fetchone()
    if row is None:
        return False
    response.pk = row[0]
    response._state.adding = False
    response._state.db = alias
    return True


def insert_response_orm(response: Response) -> bool:
    """``insert_response`` in the ORM: the INSERT in a savepoint, a clash of keys caught."""
    try:
        with transaction.atomic(using=write_alias(Response)):
            response.save(force_insert=True, using=write_alias(Response))
    except IntegrityError:
        if response.idempotency_key is None or not (
            Response.stored.filter(idempotency_key=response.idempotency_key).exists()
        ):
            raise
        response.pk = None
        return False
    return True
