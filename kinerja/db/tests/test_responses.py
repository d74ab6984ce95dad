"""Contract: a response stored under its idempotency key by the INSERT … ON CONFLICT and by its
ORM twin (a savepoint around the INSERT): the same row, a replay storing nothing and leaving
the transaction usable, and any other refusal raised."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from kinerja.db import loading, responses
from kinerja.surveys.models import SCORE_FIELDS, Response

from .conftest import Tree, outcome, raw_rows

Insert = Callable[[Response], bool]
TWINS = [responses.insert_response, responses.insert_response_orm]
COLUMNS = [
    str(f.column) for f in Response._meta.concrete_fields if f.name not in {"id", "created_at"}
]


def response(tree: Tree, key: str | None, score: int = 3) -> Response:
    service = tree.services["ktp"]
    return Response(
        service=service,
        unit_id=service.unit_id,
        submitted_at=datetime(2024, 3, 5, 1, 2, 3, tzinfo=UTC),
        day=date(2024, 3, 5),
        session="morning",
        channel="online",
        gender="P",
        age=34,
        suggestion="Bagus, “ramah”",
        idempotency_key=key,
        **dict.fromkeys(SCORE_FIELDS, score),
    )


def stored() -> list[tuple[Any, ...]]:
    return raw_rows(Response, COLUMNS)


def test_both_store_the_same_row_and_skip_a_replay(tree: Tree) -> None:
    def twice(insert: Insert) -> tuple[bool, bool, bool, int]:
        first = response(tree, "token-1")
        replay = response(tree, "token-1", score=4)
        unkeyed = response(tree, None)
        done = insert(first), insert(replay), insert(unkeyed)
        # The transaction goes on after the replay: the row is there, as first sent.
        assert Response.stored.get(pk=first.pk).u1 == 3
        assert replay.pk is None and unkeyed.pk is not None
        return (*done, Response.stored.filter(idempotency_key="token-1").count())

    fast = outcome(lambda: twice(responses.insert_response), stored)
    twin = outcome(lambda: twice(responses.insert_response_orm), stored)
    assert fast == twin
    assert fast[0] == (True, False, True, 1)
    assert len(fast[1]) == len(stored()) + 2


@pytest.mark.parametrize("insert", TWINS)
def test_a_score_outside_1_to_4_is_refused(tree: Tree, insert: Insert) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(response(tree, "token-2", score=5))
    assert not Response.stored.filter(idempotency_key="token-2").exists()


def key_indexes() -> list[str]:
    """The definitions of the response table's indexes that name the idempotency key."""
    return [sql for _name, sql in loading.secondary_indexes(Response) if "idempotency_key" in sql]


def test_the_key_index_holds_only_rows_that_have_a_key(db: None) -> None:
    # One unique index, partial: the rows of imports and paper entry (no key) add nothing to it.
    [index] = key_indexes()
    assert "UNIQUE" in index.upper()
    assert "WHERE" in index.upper() and "IS NOT NULL" in index.upper()


def test_rows_without_a_key_are_many_and_a_key_is_still_refused_twice(tree: Tree) -> None:
    for insert in TWINS:
        assert insert(response(tree, None)) and insert(response(tree, None))
    assert responses.insert_response(response(tree, "token-3"))
    assert not responses.insert_response(response(tree, "token-3"))
    with pytest.raises(IntegrityError), transaction.atomic():
        response(tree, "token-3").save(force_insert=True)
    assert Response.stored.filter(idempotency_key__isnull=True).count() >= 4
