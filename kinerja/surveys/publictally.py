"""Tallies for public pages: closed days from a per-process cache, live days from the rollup.

Anyone may ask for the whole city's year, one SUM over tens of thousands of day rows: too slow
to run for every anonymous request. Days before yesterday ("closed") change only when an
import, a paper form of an earlier day, a deletion or a rebuild changes them, and each of those
raises the rollup's version in its own transaction (``rollup.closed_days_changed``). So the
closed part of a span is kept in the "public_pages" cache under that version, the span and the
ids of the units in the subtree (a unit moved in or out changes the subtree's tally without
any rollup write); only the live days, yesterday and today (a few rows per service), are summed
on every request. The version is read before the tally it keys: a change committed between the
two makes the kept tally newer than its key, never older, and the next reader sees the new
version; the subtree's units are read before and after it, and a tally summed while they
changed is not kept. The result is always what ``rollup.tally_for`` would answer.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import caches

from kinerja.accounts.models import OrgUnit
from kinerja_core.ikm import Tally

from . import rollup

CACHE = "public_pages"


def tally(unit: OrgUnit, start: date, end: date) -> Tally:
    """The tally of the unit's subtree from ``start`` to ``end`` (inclusive)."""
    live = rollup.live_from()
    if end < live:
        return _closed(unit, start, end)
    recent = rollup.tally_for(unit, max(start, live), end)
    if start >= live:
        return recent
    return _closed(unit, start, live - timedelta(days=1)) + recent


def _members(unit: OrgUnit) -> list[int]:
    return list(unit.subtree().order_by("id").values_list("id", flat=True))


def _closed(unit: OrgUnit, start: date, end: date) -> Tally:
    version = rollup.version()  # first: see the module's docstring
    members = _members(unit)
    key = (
        "closed-tally:" + hashlib.sha256(repr((version, start, end, members)).encode()).hexdigest()
    )
    cache = caches[CACHE]
    found: Tally | None = cache.get(key)
    if found is None:
        found = rollup.tally_for(unit, start, end)
        # Kept only if no unit moved in or out of the subtree while it was summed.
        if _members(unit) == members:
            cache.set(key, found, settings.KINERJA_PUBLIC_PAGE_CACHE_SECONDS)
    return found
