"""Adding per-unit parts up a tree of units named by materialised paths ("/kota/kec/kel/").

A measure that is additive over units (counts of groups, survey tallies) can be read for many
unit subtrees at once: one grouped aggregate gives a part per unit, and each unit's value is the
sum of the parts in its subtree. Parts are added into every ancestor path of the unit they
belong to, so the work grows with parts × depth, never with parts × units asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class Addable(Protocol):
    def __add__(self, other: Any, /) -> Any: ...


T = TypeVar("T", bound=Addable)


def ancestor_paths(path: str) -> list[str]:
    """ "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]: the path itself and every path above it."""
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def subtree_totals(parts: Iterable[tuple[str, T]]) -> dict[str, T]:
    """{path: sum of the parts at that path or under it} for every path that has any part."""
    totals: dict[str, T] = {}
    for path, value in parts:
        for prefix in ancestor_paths(path):
            before = totals.get(prefix)
            totals[prefix] = value if before is None else before + value
    return totals


def covering_paths(paths: Iterable[str]) -> list[str]:
    """The fewest paths whose subtrees hold all of ``paths`` (drops paths under another)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept
