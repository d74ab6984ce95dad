"""What names a budget line's code outside the budget: a line something uses is not removed
(docs/rules.md#budget-lines).

The users live on higher floors (monitoring's Rencana Aksi actions name a kegiatan or sub-kegiatan
by its code): each registers a reader here when it starts (its ``AppConfig.ready``), so the budget
imports none of them. A reader gets a unit, a year and codes, and answers
``{code: [who uses it, as the refusal names it]}`` for the codes it knows to be used.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from kinerja.accounts.models import OrgUnit

CodeUses = Callable[[OrgUnit, int, Collection[str]], Mapping[str, Sequence[str]]]

SOURCES: list[CodeUses] = []


def register(source: CodeUses) -> None:
    """Add a reader once (``ready`` may run more than once in tests)."""
    if source not in SOURCES:
        SOURCES.append(source)


def uses_of(unit: OrgUnit, year: int, codes: Collection[str]) -> dict[str, list[str]]:
    """``{code: [who uses it]}`` for those of ``codes`` of ``unit``'s ``year`` something uses."""
    found: dict[str, list[str]] = {}
    if not codes:
        return found
    for source in SOURCES:
        for code, users in source(unit, year, codes).items():
            found.setdefault(code, []).extend(users)
    return found
