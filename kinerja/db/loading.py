"""Bulk loading for the benchmark's generator: its millions of rows in minutes.

``BulkWriter`` writes rows straight through the driver (executemany on SQLite, COPY on
PostgreSQL); ``insert_objects`` is the ORM's ``bulk_create`` of the same objects without its
per-field compilation (``tests/test_loading.py`` compares them). ``IndexesDeferred`` drops a
table's secondary indexes (and on PostgreSQL its foreign keys) for a load and builds them once
afterwards; ``next_id`` and ``reset_sequence`` keep explicit ids and the identity sequence in
step; ``analyze`` refreshes the planner's statistics. DDL and statistics have no ORM twin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max

from .routing import writer


class BulkWriter:
    """executemany on SQLite, COPY on PostgreSQL, into the current transaction of the
    database that writes ``model`` (temporary tables of the same load go there too)."""

    def __init__(self, model: type[models.Model]) -> None:
        connection = writer(model)
        self.vendor = connection.vendor
        connection.ensure_connection()
        self.raw: Any = connection.connection

    @property
    def tz_suffix(self) -> str:
        # Django keeps naive UTC text on SQLite; PostgreSQL wants an explicit zone.
        return "+00" if self.vendor == "postgresql" else ""

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.vendor == "postgresql":
            with (
                self.raw.cursor() as cursor,
                cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN"  # noqa: S608 - names come from our model
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor = self.raw.cursor()
            try:
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            finally:
                cursor.close()


def secondary_indexes(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's indexes that back no constraint."""
    connection = writer(model)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return [(name, sql) for name, sql in cursor.fetchall()]


def foreign_keys(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, definition) of a PostgreSQL table's foreign keys."""
    with writer(model).cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [model._meta.db_table],
        )
        return [(name, definition) for name, definition in cursor.fetchall()]


class IndexesDeferred:
    """Drop a table's secondary indexes for a bulk load and build them once afterwards.

    Building an index over the loaded rows is several times cheaper than updating six indexes
    on every inserted row. On PostgreSQL the foreign keys are dropped too and added back, which
    checks every row in one join, as pg_restore does: kept, Django's deferred foreign keys
    queue a trigger event per row and constraint and check them one by one at commit. DDL is
    transactional on both engines, so an error restores everything.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.connection = connection = writer(model)
        self.table = model._meta.db_table
        self.indexes = secondary_indexes(model)
        self.foreign_keys = foreign_keys(model) if connection.vendor == "postgresql" else []

    def __enter__(self) -> None:
        connection = self.connection
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows just written elsewhere (services, units) have deferred checks pending,
                # and PostgreSQL alters no table they involve until those checks have run.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _sql in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {self.table} DROP CONSTRAINT "{name}"')

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        connection = self.connection
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Sorting for an index in memory rather than in 64 MB runs on disk.
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _name, sql in self.indexes:
                cursor.execute(sql)
            for name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}')


def next_id(model: type[models.Model]) -> int:
    """One above the largest id of ``model``'s table (1 when empty), read on the primary."""
    with writer(model).cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


def next_id_orm(model: type[models.Model]) -> int:
    stored = model._base_manager.using(writer(model).alias)
    return int(stored.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert_objects(bulk: BulkWriter, objs: Sequence[models.Model]) -> None:
    """Insert unsaved model instances with ids already set, converting values as the ORM does.

    Every concrete field is written (auto_now fields get their pre_save value), so a column
    another app adds later is filled with its default rather than breaking the generator.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = writer(model)
    fields = list(model._meta.concrete_fields)
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs
    ]
    bulk.write(model._meta.db_table, [str(f.column) for f in fields], rows)


def insert_objects_orm(objs: Sequence[models.Model]) -> None:
    if objs:
        model = type(objs[0])
        model._base_manager.using(writer(model).alias).bulk_create(objs)


def reset_sequence(model: type[models.Model]) -> None:
    """After explicit ids, PostgreSQL's identity must continue above them (SQLite needs nothing)."""
    connection = writer(model)
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
            [table],
        )


# Rows SQLite's ANALYZE samples per index (PRAGMA analysis_limit), as its own PRAGMA optimize
# does: a full ANALYZE reads all ten million responses once per index.
SAMPLED_ROWS = 2000


def analyze(model: type[models.Model]) -> None:
    """Fresh planner statistics of the database that writes ``model``, as an operator would
    run after a restore.

    On SQLite from a sample of each index (``SAMPLED_ROWS``).
    """
    connection = writer(model)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SAMPLED_ROWS}")
        cursor.execute("ANALYZE")


def restore_statistics(connection: BaseDatabaseWrapper, table: str) -> bool:
    """After a migration rebuilt ``table`` on SQLite (which drops its planner statistics): the
    table's statistics again, sampled as ``analyze`` samples them, when the database had
    statistics at all; returns whether it gathered them. A database that never had any keeps
    none: statistics of a young, near-empty database would mislead the planner once it grew.
    PostgreSQL keeps its statistics through index changes: nothing to do."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"PRAGMA analysis_limit = {SAMPLED_ROWS}")
        cursor.execute(f'ANALYZE "{table}"')
    return True
