"""SQLite settings held for a block are put back afterwards; other databases are left alone."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.db.routing import writer
from kinerja.db.sqlite import pragma, sqlite_pragma
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
