"""SQLite settings held for a block are put back afterwards; other databases are left alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kinerja.db.routing import writer
from kinerja.db.sqlite import FULL, NORMAL, pragma, sqlite_pragma, unsynced_commits
from kinerja.surveys.models import Response


def test_a_pragma_is_held_for_the_block_and_put_back(db: Any) -> None:
    before = pragma(Response, "cache_size")
    if writer(Response).vendor != "sqlite":
        assert before is None
        with sqlite_pragma(Response, "cache_size", -1234):
            assert pragma(Response, "cache_size") is None
        return
    with sqlite_pragma(Response, "cache_size", -1234):
        assert pragma(Response, "cache_size") == -1234
    assert pragma(Response, "cache_size") == before
    with pytest.raises(RuntimeError), sqlite_pragma(Response, "busy_timeout", 5):
        assert pragma(Response, "busy_timeout") == 5
        raise RuntimeError("the block failed")
    assert pragma(Response, "busy_timeout") == 20000  # settings.py's, put back


def test_unsynced_commits_hold_outside_a_transaction_only(transactional_db: Any) -> None:
    """Chunks committed on their own are not synced; inside a transaction (where SQLite refuses
    the setting) the connection stays synced, and after the block it is synced again."""
    if writer(Response).vendor != "sqlite":
        with unsynced_commits(Response):
            assert pragma(Response, "synchronous") is None
        return
    assert pragma(Response, "synchronous") == FULL  # settings.py's
    with unsynced_commits(Response):
        assert pragma(Response, "synchronous") == NORMAL
    assert pragma(Response, "synchronous") == FULL
    with transaction.atomic(), unsynced_commits(Response):
        assert pragma(Response, "synchronous") == FULL
    with pytest.raises(RuntimeError), unsynced_commits(Response):
        raise RuntimeError("the block failed")
    assert pragma(Response, "synchronous") == FULL
