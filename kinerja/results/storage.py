"""Storing the new results of a recompute, with their history rows, in a few statements.

A city's full recompute creates ~47 000 results. Django's ``bulk_create`` (and simple-history's
``bulk_create_with_history`` on top of it) compiles every field of every row through the field's
whole save path, twice per result: that cost more than computing the results. Here each value
still goes through its field's own ``get_db_prep_save`` where the stored form differs from the
Python value (decimals, JSON, date-times); plain integers, text and booleans are passed as they
are, which is what those fields' preparation returns for values of their own type. Rows go in
with one ``executemany`` on SQLite and ``COPY`` on PostgreSQL, the new ids are read back with one
query, and the history rows are the ones ``bulk_history_create`` writes: one "+" row per result
with the same field values, the date of the write, the request's user (none in a command) and
no change reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from .models import Result

# Fields whose database value is the Python value itself when it already has the field's type.
PLAIN_FIELDS = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)
Adapter = Callable[[Any], Any]


def adapter(field: models.Field[Any, Any]) -> Adapter | None:
    """How a value of ``field`` is stored; None when it is stored as it is."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, PLAIN_FIELDS):
        return None
    if isinstance(field, models.DateTimeField):
        # The same stamp on every row: adapt it once.
        memo: dict[datetime, Any] = {}

        def stamp(value: Any) -> Any:
            if value not in memo:
                memo[value] = field.get_db_prep_save(value, connection)
            return memo[value]

        return stamp
    return lambda value: field.get_db_prep_save(value, connection)


def table_rows(fields: Sequence[models.Field[Any, Any]], rows: list[list[Any]]) -> list[list[Any]]:
    """``rows`` (Python values in the order of ``fields``) as the database stores them."""
    adapters = [(i, a) for i, f in enumerate(fields) if (a := adapter(f)) is not None]
    for row in rows:
        for i, adapt in adapters:
            value = row[i]
            if value is not None:
                row[i] = adapt(value)
    return rows


def insert(table: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: an executemany waits on the server for every row.
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


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
    fields = [f for f in Result._meta.concrete_fields if not f.primary_key]
    values = table_rows(fields, [[row[f.attname] for f in fields] for row in rows])
    # New rows get ids above the largest one now (an identity sequence on PostgreSQL,
    # AUTOINCREMENT on SQLite), so only they are read back, not every result of the years.
    before = Result.objects.aggregate(top=Max("pk"))["top"] or 0
    insert(Result._meta.db_table, [f.column for f in fields], values)
    # The new ids, by the row's unique key (indicator, unit, period).
    ids = {
        key[1:]: key[0]
        for key in Result.objects.filter(plan_id=plan_id, year__in=years, pk__gt=before)
        .order_by()
        .values_list("pk", "indicator_id", "unit_id", "period_key")
    }
    history = Result.history.model  # type: ignore[attr-defined]
    by_name = {f.attname: i for i, f in enumerate(fields)}
    tracked = [f.attname for f in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    stamp = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    after = [stamp, None, "+", history_user_id()]
    history_rows = []
    for row, stored in zip(rows, values, strict=True):
        pk = ids[(row["indicator_id"], row["unit_id"], row["period_key"])]
        history_rows.append(
            [pk if name == "id" else stored[by_name[name]] for name in tracked] + after
        )
    columns = [history._meta.get_field(name).column for name in tracked + extra]
    insert(history._meta.db_table, columns, history_rows)
