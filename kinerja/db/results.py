"""Storing the new results of a recompute, with their history rows, in a few statements.

A city's full recompute creates ~47 000 results. Django's ``bulk_create`` (and simple-history's
``bulk_create_with_history`` on top of it: ``create_results_orm``, the twin) compiles every
field of every row through the field's whole save path, twice per result: that cost more than
computing the results. Here the values are prepared as ``bulk.prepare_rows`` says, rows go in
with one ``executemany`` on SQLite and ``COPY`` on PostgreSQL (``bulk.insert_rows``), and the
history rows are the ones ``bulk_history_create`` writes: one "+" row per result with the same
field values, the date of the write, the request's user (none in a command) and no change
reason. ``update_results`` sets the fields of changed results with one ``executemany`` and
writes their "~" history rows alike.

The history rows are copied from the results just written by one ``INSERT … SELECT`` in the
database (``copy_to_history``): sending the same values a second time from Python, with the
new ids read back to go with them, cost a third of storing a city's recompute.
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
    # AUTOINCREMENT on SQLite): the history copies those of the plan's years, no others.
    before = Result.objects.using(write_alias(Result)).aggregate(top=Max("pk"))["top"] or 0
    insert_rows(Result, [str(f.column) for f in fields], values)
    plan, year, key = (column(name) for name in ("plan", "year", "id"))
    chosen = ", ".join(["%s"] * len(years))
    copy_to_history(
        f"{plan} = %s AND {year} IN ({chosen}) AND {key} > %s",
        [plan_id, *sorted(years), before],
        "+",
    )


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
    for start in range(0, len(pks), HISTORY_IDS_PER_STATEMENT):
        chunk = pks[start : start + HISTORY_IDS_PER_STATEMENT]
        copy_to_history(f"{key} IN ({', '.join(['%s'] * len(chunk))})", chunk, "~")


def stored_fields() -> list[Field[Any, Any]]:
    """A result's fields but its id, in the order the rows are prepared in."""
    return [f for f in Result._meta.concrete_fields if not f.primary_key]


def column(name: str) -> str:
    """The quoted column of the result's field ``name`` (or attribute name: ``plan_id``)."""
    found = Result._meta.get_field(name)
    assert isinstance(found, Field)  # a concrete field, not a reverse relation
    return str(writer(Result).ops.quote_name(str(found.column)))


# Ids named in one history copy of updated results: within every engine's parameter limit.
HISTORY_IDS_PER_STATEMENT = 500


def copy_to_history(where: str, params: list[Any], kind: str) -> None:
    """The history rows of the results that ``where`` (SQL on the result table, with its
    ``params``) selects, as they are stored now: ``kind`` "+" (created) or "~" (changed), stamped
    now, in the order of their ids, as ``bulk_history_create`` writes them."""
    history = Result.history.model  # type: ignore[attr-defined]
    connection = writer(Result)
    quote = connection.ops.quote_name
    tracked = [f.attname for f in history.tracked_fields]
    copied = ", ".join(column(name) for name in tracked)
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    columns = ", ".join(
        quote(str(history._meta.get_field(name).column)) for name in tracked + extra
    )
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "  # noqa: S608 - our names
        f"SELECT {copied}, %s, NULL, %s, %s FROM {quote(Result._meta.db_table)} "
        f"WHERE {where} ORDER BY {column('id')}"
    )
    stamp = prepare_value(history, "history_date", timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, kind, history_user_id(), *params])


def create_results_orm(plan_id: int, years: set[int], rows: list[dict[str, Any]]) -> None:
    """``create_results`` by ``bulk_create_with_history``."""
    bulk_create_with_history([Result(**row) for row in rows], Result)


def update_results_orm(rows: list[dict[str, Any]], changed: Sequence[str]) -> None:
    """``update_results`` by ``bulk_update_with_history``."""
    objs = [Result(**row) for row in rows]
    bulk_update_with_history(objs, Result, list(changed), batch_size=500)
