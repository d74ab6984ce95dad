"""Rows written in bulk: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Django's ``bulk_create`` compiles every field of every row through the field's whole save path;
for the survey import and the recompute's results that cost more than the work around it. Here
rows arrive in the form the database stores (``prepare_rows`` gives it: each value goes through
its field's own ``get_db_prep_save`` where the stored form differs from the Python value, while
plain integers, text and booleans pass as they are, which is what those fields' preparation
returns for values of their own type) and go in with one ``executemany`` on SQLite and ``COPY``
on PostgreSQL (an ``executemany`` there waits on the server for every row). ``insert_rows_orm``
is the same insert by ``bulk_create``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)

from .routing import write_alias, writer

# Fields whose database value is the Python value itself when it already has the field's type.
PLAIN_FIELDS = (IntegerField, CharField, TextField, BooleanField)
Adapter = Callable[[Any], Any]
Row = Sequence[Any]


def adapter(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Adapter | None:
    """How a value of ``field`` is stored; None when it is stored as it is."""
    target = field.target_field if isinstance(field, ForeignKey) else field
    if isinstance(target, PLAIN_FIELDS):
        return None
    if isinstance(field, DateTimeField):
        # The same stamp on every row: adapt it once.
        memo: dict[datetime, Any] = {}

        def stamp(value: Any) -> Any:
            if value not in memo:
                memo[value] = field.get_db_prep_save(value, connection)
            return memo[value]

        return stamp
    return lambda value: field.get_db_prep_save(value, connection)


def office_time_adapter(model: type[Model], zone: tzinfo) -> Adapter:
    """How a naive wall time in ``zone`` is stored in a DateTimeField of ``model``: what the
    field stores for the time made aware in ``zone``, for the database that writes ``model``.

    On SQLite with UTC storage (Django's default) that is the UTC wall time as text, worked out
    here from the zone's offset at that time: through the connection's own adaptation it cost
    ~10 µs, the largest part of building a survey import's row when its times are all different.
    Elsewhere (PostgreSQL) the aware time goes through the connection's adaptation.
    """
    connection = writer(model)
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
        offset = zone.utcoffset

        def utc_text(naive: datetime) -> str:
            # make_naive(aware, UTC) is the wall time less its offset; str() as Django's own.
            return str(naive - offset(naive))  # type: ignore[operator]

        return utc_text
    adapt = connection.ops.adapt_datetimefield_value
    return lambda naive: adapt(naive.replace(tzinfo=zone))


def prepare_value(model: type[Model], name: str, value: Any) -> Any:
    """One value of ``model``'s field ``name`` as the database that writes the model stores it."""
    return model._meta.get_field(name).get_db_prep_save(value, writer(model))  # type: ignore[union-attr]


def prepare_rows(
    model: type[Model], fields: Sequence[Field[Any, Any]], rows: list[list[Any]]
) -> list[list[Any]]:
    """``rows`` (Python values in the order of ``fields``) as the database that writes
    ``model`` stores them; changed in place."""
    connection = writer(model)
    adapters = [(i, a) for i, f in enumerate(fields) if (a := adapter(f, connection)) is not None]
    for row in rows:
        for i, adapt in adapters:
            value = row[i]
            if value is not None:
                row[i] = adapt(value)
    return rows


def uses_copy(model: type[Model]) -> bool:
    """Whether ``insert_rows`` of ``model`` is a COPY (which cannot skip conflicting rows)."""
    return writer(model).vendor == "postgresql"


@functools.cache
def _statement(alias: str, table: str, columns: tuple[str, ...], skip_conflicts: bool) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql" and not skip_conflicts:
        return f"COPY {quote(table)} ({names}) FROM STDIN"
    marks = ", ".join(["%s"] * len(columns))
    skip = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks}){skip}"  # noqa: S608


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], *, skip_conflicts: bool = False
) -> int:
    """Insert rows (stored values in the order of ``columns``) into ``model``'s table; returns
    how many went in. ``skip_conflicts``: rows that break a unique key are left out (an
    ``executemany`` with ON CONFLICT DO NOTHING on PostgreSQL too)."""
    alias = write_alias(model)
    connection = connections[alias]
    sql = _statement(alias, model._meta.db_table, tuple(columns), skip_conflicts)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not skip_conflicts:
            # A broken key raises Django's IntegrityError, as an executemany's would.
            with connection.wrap_database_errors, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        cursor.executemany(sql, rows)
        return int(cursor.rowcount)


def insert_rows_orm(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], *, skip_conflicts: bool = False
) -> int:
    """``insert_rows`` by ``bulk_create``, from Python values (not stored ones)."""
    alias = write_alias(model)
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    names = [by_column[c] for c in columns]
    objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
    stored = model._base_manager.using(alias)
    before = stored.count()
    stored.bulk_create(objs, ignore_conflicts=skip_conflicts)
    return stored.count() - before
