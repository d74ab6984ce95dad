"""Contract: rows inserted by executemany / COPY are the rows ``bulk_create`` stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kinerja.db import bulk
from kinerja.db.imports import RESPONSE_COLUMNS
from kinerja.db.routing import writer
from kinerja.surveys.models import Response

from .conftest import Tree, outcome, raw_rows

FIELDS = {f.column: f for f in Response._meta.concrete_fields}
COMPARED = [c for c in RESPONSE_COLUMNS if c != "created_at"]  # bulk_create stamps its own


def python_rows(tree: Tree, keys: range) -> list[list[Any]]:
    ktp = tree.services["ktp"]
    at = datetime(2024, 3, 5, 1, 15, 30, tzinfo=UTC)
    return [
        [ktp.pk, ktp.unit_id, at, date(2024, 3, 5), "morning", "import", "P", 30 + i, "SMA", ""]
        + [1 + (i + k) % 4 for k in range(9)]
        + [f"saran {i} '; --", None, f"import:{i}", at]
        for i in keys
    ]


def stored() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows as the ORM reads them, and as the database holds them."""
    orm = sorted(Response.stored.filter(channel="import").values_list(*COMPARED))
    return orm, raw_rows(Response, COMPARED)


def fast_insert(rows: list[list[Any]], skip_conflicts: bool = False) -> int:
    fields = [FIELDS[c] for c in RESPONSE_COLUMNS]
    prepared = bulk.prepare_rows(Response, fields, [list(row) for row in rows])
    return bulk.insert_rows(Response, RESPONSE_COLUMNS, prepared, skip_conflicts=skip_conflicts)


def test_inserted_rows_match_bulk_create(tree: Tree) -> None:
    rows = python_rows(tree, range(5))

    def twin() -> int:
        return bulk.insert_rows_orm(Response, RESPONSE_COLUMNS, rows)

    fast = outcome(lambda: fast_insert(rows), stored)
    assert fast == outcome(twin, stored)
    assert fast[0] == 5 and len(fast[1][0]) == 5


def test_rows_that_break_a_unique_key_are_skipped_alike(tree: Tree) -> None:
    first, again = python_rows(tree, range(4)), python_rows(tree, range(2, 6))

    def fast() -> int:
        fast_insert(first)
        return fast_insert(again, skip_conflicts=True)

    def twin() -> int:
        bulk.insert_rows_orm(Response, RESPONSE_COLUMNS, first)
        return bulk.insert_rows_orm(Response, RESPONSE_COLUMNS, again, skip_conflicts=True)

    assert outcome(fast, stored) == outcome(twin, stored)
    assert outcome(fast, stored)[0] == 2  # keys 4 and 5 were new


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Europe/Berlin", "Australia/Lord_Howe", "UTC"])
def test_office_times_are_stored_as_the_field_stores_them(zone: str) -> None:
    tz = ZoneInfo(zone)
    field = Response._meta.get_field("submitted_at")
    times = [
        datetime(2024, 1, 2, 8, 0),
        datetime(2024, 3, 31, 2, 30),  # Berlin: skipped by the clocks
        datetime(2024, 10, 27, 2, 30, 15),  # Berlin: twice
        datetime(2024, 4, 7, 1, 45),  # Lord Howe: half an hour back
        datetime(2024, 7, 1, 23, 59, 59, 123456),
        datetime(1900, 1, 1, 0, 0, 1),  # local mean time, offsets with seconds
    ]
    adapt = bulk.office_time_adapter(Response, tz)
    connection = writer(Response)
    for naive in times:
        assert adapt(naive) == field.get_db_prep_save(naive.replace(tzinfo=tz), connection)
