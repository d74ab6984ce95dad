"""Contract: the rate-limit bucket's statements and their ORM twin store the same hits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kinerja.db import ratelimit
from kinerja.surveys.models import RateBucket

from .conftest import outcome

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def buckets() -> list[tuple[Any, ...]]:
    return list(RateBucket.objects.order_by("key").values_list("key", "hits", "updated_at"))


def test_buckets_match_the_orm(db: Any) -> None:
    RateBucket.objects.create(key="old", hits=[NOW.timestamp() - 120, NOW.timestamp() - 30])
    seen: dict[str, list[list[float]]] = {}

    def keep_recent(key: str) -> ratelimit.Change:
        def change(hits: list[float]) -> list[float]:
            seen.setdefault(key, []).append(hits)
            return [t for t in hits if t > NOW.timestamp() - 60] + [NOW.timestamp()]

        return change

    def run(update: Any) -> list[list[float]]:
        seen.clear()
        for key in ("new", "old", "new"):
            update(key, NOW + timedelta(seconds=len(seen.get(key, []))), keep_recent(key))
        return [hits for key in sorted(seen) for hits in seen[key]]

    fast = outcome(lambda: run(ratelimit.update_bucket), buckets)
    twin = outcome(lambda: run(ratelimit.update_bucket_orm), buckets)
    assert fast == twin
    assert [key for key, _hits, _at in fast[1]] == ["new", "old"]
    assert fast[1][1][1] == [NOW.timestamp() - 30, NOW.timestamp()]
