"""Reading what the database holds as an outsider would: tests look at rows the way an attacker
or an operator with a database client sees them.

Each read runs either through Django's connection to the primary or, given ``path``, straight on
a SQLite file another process is writing (a child's import or recompute), with its own short
``sqlite3`` connection that waits for that process's write lock. The twins (``*_orm``) ask the
ORM the same question of the database Django is connected to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db.models import Count, Max, Model, Sum

from kinerja.surveys.models import DailyTally, ImportBatch

from .routing import writer

RUNNING = ImportBatch.State.RUNNING.value


def _rows(
    model: type[Model], sql: str, params: Sequence[Any], path: Path | None
) -> list[tuple[Any, ...]]:
    if path is not None:
        with closing(sqlite3.connect(path, timeout=20)) as db:
            return list(db.execute(sql.replace("%s", "?"), list(params)).fetchall())
    with writer(model).cursor() as cursor:
        cursor.execute(sql, list(params))
        return [tuple(row) for row in cursor.fetchall()]


def count_rows(model: type[Model], path: Path | None = None) -> int:
    """Every row of ``model``'s table, hidden or not."""
    sql = f"SELECT COUNT(*) FROM {model._meta.db_table}"  # noqa: S608 - our names
    return int(_rows(model, sql, [], path)[0][0])


def count_rows_orm(model: type[Model]) -> int:
    return model._base_manager.count()


def running_batch_rows(path: Path | None = None) -> int | None:
    """The most rows a running import batch has stored so far (None: no batch is running)."""
    table = ImportBatch._meta.db_table
    sql = f"SELECT MAX(rows) FROM {table} WHERE state = %s"  # noqa: S608 - our names
    value = _rows(ImportBatch, sql, [RUNNING], path)[0][0]
    return None if value is None else int(value)


def running_batch_rows_orm() -> int | None:
    running = ImportBatch.objects.filter(state=RUNNING)
    value = running.aggregate(top=Max("rows"))["top"]
    return None if value is None else int(value)


def batch_states(path: Path | None = None) -> dict[str, int]:
    """How many import batches are in each state."""
    table = ImportBatch._meta.db_table
    sql = f"SELECT state, COUNT(*) FROM {table} GROUP BY state"  # noqa: S608 - our names
    return {state: int(n) for state, n in _rows(ImportBatch, sql, [], path)}


def batch_states_orm() -> dict[str, int]:
    states = ImportBatch.objects.values("state").annotate(n=Count("id")).order_by()
    return {row["state"]: row["n"] for row in states}


def respondents(path: Path | None = None) -> int | None:
    """Respondents counted by the whole daily rollup (None: no day rows)."""
    sql = f"SELECT SUM(respondents) FROM {DailyTally._meta.db_table}"  # noqa: S608 - our names
    value = _rows(DailyTally, sql, [], path)[0][0]
    return None if value is None else int(value)


def respondents_orm() -> int | None:
    value = DailyTally.objects.aggregate(n=Sum("respondents"))["n"]
    return None if value is None else int(value)


def stored_value(model: type[Model], name: str, pk: int) -> Any:
    """Field ``name`` of the row ``pk`` as its column holds it, past anything the model does
    to the value on its way out (a sealed secret stays sealed)."""
    connection = writer(model)
    quote = connection.ops.quote_name
    column = str(model._meta.get_field(name).column)  # type: ignore[union-attr]
    sql = f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE id = %s"  # noqa: S608
    return _rows(model, sql, [pk], None)[0][0]


def stored_value_orm(model: type[Model], name: str, pk: int) -> Any:
    return model._base_manager.filter(pk=pk).values_list(name, flat=True).get()
