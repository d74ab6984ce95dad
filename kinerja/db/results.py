"""Storing the new results of a recompute, with their history rows, in a few statements.

A city's full recompute creates ~47 000 results. Django's ``bulk_create`` (and simple-history's
``bulk_create_with_history`` on top of it: ``create_results_orm``, the twin) compiles every
field of every row through the field's whole save path, twice per result: that cost more than
computing the results. Here the values are prepared as ``bulk.prepare_rows`` says, rows go in
with one ``executemany`` on SQLite and ``COPY`` on PostgreSQL (``bulk.insert_rows``), the new
ids are read back with one query on the primary, and the history rows are the ones
``bulk_history_create`` writes: one "+" row per result with the same field values, the date of
the write, the request's user (none in a command) and no change reason.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kinerja.results.models import Result

from .bulk import insert_rows, prepare_rows, prepare_value
from .routing import write_alias


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
    history = Result.history.model  # type: ignore[attr-defined]
    by_name = {f.attname: i for i, f in enumerate(fields)}
    tracked = [f.attname for f in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    stamp = prepare_value(history, "history_date", timezone.now())
    after = [stamp, None, "+", history_user_id()]
    history_rows = []
    for row, prepared in zip(rows, values, strict=True):
        pk = ids[(row["indicator_id"], row["unit_id"], row["period_key"])]
        history_rows.append(
            [pk if name == "id" else prepared[by_name[name]] for name in tracked] + after
        )
    columns = [history._meta.get_field(name).column for name in tracked + extra]
    insert_rows(history, columns, history_rows)


def create_results_orm(plan_id: int, years: set[int], rows: list[dict[str, Any]]) -> None:
    """``create_results`` by ``bulk_create_with_history``."""
    bulk_create_with_history([Result(**row) for row in rows], Result)
