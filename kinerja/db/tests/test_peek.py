"""Contract: what the outsider's reads see is what the ORM sees, through Django's connection
and, on SQLite, in a file another process would be writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kinerja.accounts.models import EncryptedTOTPDevice
from kinerja.db import peek
from kinerja.results.models import Result
from kinerja.surveys.models import ImportBatch, Response, Service
from kinerja.test import make_user

from .conftest import Tree


def batches(tree: Tree) -> None:
    for rows, state in ((40, "running"), (70, "running"), (5, "committed"), (9, "discarded")):
        ImportBatch.objects.create(unit=tree.kec, filename="f.csv", rows=rows, state=state)


def answers() -> list[Any]:
    return [
        peek.count_rows_orm(Response),
        peek.count_rows_orm(Service),
        peek.count_rows_orm(Result),
        peek.running_batch_rows_orm(),
        peek.batch_states_orm(),
        peek.respondents_orm(),
    ]


def peeked(path: Path | None = None) -> list[Any]:
    return [
        peek.count_rows(Response, path),
        peek.count_rows(Service, path),
        peek.count_rows(Result, path),
        peek.running_batch_rows(path),
        peek.batch_states(path),
        peek.respondents(path),
    ]


def test_reads_through_django_match_the_orm(db: Any) -> None:
    assert peeked() == answers() == [0, 0, 0, None, {}, None]


def test_reads_of_data_match_the_orm(tree: Tree) -> None:
    batches(tree)
    assert peeked() == answers()
    assert answers() == [6, 4, 0, 70, {"running": 2, "committed": 1, "discarded": 1}, 6]


def test_a_stored_value_is_the_column_as_it_is(db: Any) -> None:
    device = EncryptedTOTPDevice.objects.create(user=make_user("camat"), name="phone")
    raw = peek.stored_value(EncryptedTOTPDevice, "key", device.pk)
    assert raw == peek.stored_value_orm(EncryptedTOTPDevice, "key", device.pk)
    assert raw.startswith("g1:")


@pytest.mark.django_db(transaction=True)  # a SQLite backup waits for open transactions
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file")
def test_reads_of_a_file_match_the_orm(tree: Tree, tmp_path: Path) -> None:
    batches(tree)
    path = tmp_path / "kinerja.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    assert peeked(path) == answers()
