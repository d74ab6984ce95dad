"""Storing the new results of a recompute, with their history rows, in a few statements.

A city's full recompute creates ~47 000 results. Django's ``bulk_create`` (and simple-history's
``bulk_create_with_history`` on top of it: ``create_results_orm``, the twin) compiles every
field of every row through the field's whole save path, twice per result: that cost more than
computing the results. Here the values are prepared as ``bulk.prepare_rows`` says, rows go in
with one ``executemany`` on SQLite and ``COPY`` on PostgreSQL (``bulk.insert_rows``), the new
ids are read back with one query on the primary, and the history rows are the ones
``bulk_history_create`` writes: one "+" row per result with the same field values, the date of
the write, the request's user (none in a command) and no change reason. ``update_results`` sets
the fields of changed results with one ``executemany`` and writes their "~" history rows alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Field, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.results.models import Result

from .bulk import insert_rows, prepare_rows, prepare_value
from .routing import write_alias, writer


def history_user_id() -> int | None:
    """The user simple-history would name for rows saved now: the request's, if any."""
    history = Result.history.model  # type: ignore[attr-defined]
    user = history.get_default_history_user(Result())
    return None if user is None else int(user.pk)


def create_results(plan_id: int, years: set[int], rows: list[dict[str, Any]]) -> None:
    """Insert new results of plan ``plan_id`` in ``years`` and their history rows.

    Each row is a Result's field values by attribute name (``indicator_id``, not ``indicator``).
    """
    if not rows:
        return
    fields = stored_fields()
    values = prepare_rows(Result, fields, [[row[f.attname] for f in fields] for row in rows])
    # New rows get ids above the largest one now (an identity sequence on PostgreSQL,
    # AUTOINCREMENT on SQLite), so only they are read back, not every result of the years.
    stored = Result.objects.using(write_alias(Result))
    before = stored.aggregate(top=Max("pk"))["top"] or 0
    insert_rows(Result, [str(f.column) for f in fields], values)
    # The new ids, by the row's unique key (indicator, unit, period).
    ids = {
        key[1:]: key[0]
        for key in stored.filter(plan_id=plan_id, year__in=years, pk__gt=before)
        .order_by()
        .values_list("pk", "indicator_id", "unit_id", "period_key")
    }
    pks = [ids[(row["indicator_id"], row["unit_id"], row["period_key"])] for row in rows]
    insert_history(fields, values, pks, "+")


def update_results(rows: list[dict[str, Any]], changed: Sequence[str]) -> None:
    """Set the fields ``changed`` of existing results and write their history rows ("~").

    Each row is a Result's field values by attribute name, every field, with its ``pk``: the
    history row holds the whole result. One ``executemany`` of an UPDATE by id: Django's
    ``bulk_update`` (``update_results_orm``, the twin) builds a CASE of every row for every
    field, which cost ~40 ms for a dozen rows, inside the recompute's write transaction.
    """
    if not rows:
        return
    fields = stored_fields()
    values = prepare_rows(Result, fields, [[row[f.attname] for f in fields] for row in rows])
    connection = writer(Result)
    quote = connection.ops.quote_name
    position = {f.attname: i for i, f in enumerate(fields)}
    columns = [(str(fields[position[name]].column), position[name]) for name in changed]
    sets = ", ".join(f"{quote(column)} = %s" for column, _ in columns)
    table, key = quote(Result._meta.db_table), quote(str(Result._meta.pk.column))
    sql = f"UPDATE {table} SET {sets} WHERE {key} = %s"  # noqa: S608
    pks = [row["pk"] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [[v[i] for _, i in columns] + [pk] for v, pk in zip(values, pks, strict=True)],
        )
    insert_history(fields, values, pks, "~")


def stored_fields() -> list[Field[Any, Any]]:
    """A result's fields but its id, in the order the rows are prepared in."""
    return [f for f in Result._meta.concrete_fields if not f.primary_key]


def insert_history(
    fields: list[Field[Any, Any]], values: list[list[Any]], pks: list[int], kind: str
) -> None:
    """The history rows of results written now: ``values`` prepared in the order of ``fields``,
    ``kind`` "+" (created) or "~" (changed), as ``bulk_history_create`` writes them."""
    history = Result.history.model  # type: ignore[attr-defined]
    by_name = {f.attname: i for i, f in enumerate(fields)}
    tracked = [f.attname for f in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    stamp = prepare_value(history, "history_date", timezone.now())
    after = [stamp, None, kind, history_user_id()]
    history_rows = [
        [pk if name == "id" else prepared[by_name[name]] for name in tracked] + after
        for prepared, pk in zip(values, pks, strict=True)
    ]
    columns = [history._meta.get_field(name).column for name in tracked + extra]
    insert_rows(history, columns, history_rows)


def create_results_orm(plan_id: int, years: set[int], rows: list[dict[str, Any]]) -> None:
    """``create_results`` by ``bulk_create_with_history``."""
    bulk_create_with_history([Result(**row) for row in rows], Result)


def update_results_orm(rows: list[dict[str, Any]], changed: Sequence[str]) -> None:
    """``update_results`` by ``bulk_update_with_history``."""
    objs = [Result(**row) for row in rows]
    bulk_update_with_history(objs, Result, list(changed), batch_size=500)
