"""The targets of many indicators at once, without reference cycles.

Django's ``prefetch_related("targets")`` leaves each target pointing at its indicator and the
indicator's cached queryset pointing back at it (its hints, its filter and its known objects):
reference cycles, which only Python's full garbage collection frees. A city dashboard's 250
definitions left ~11 000 such objects per request, walked by a full collection in the middle of
some later request (kinerja/lib/templating.py says what that cost). Here the targets are read in
one query, as the prefetch does, and each indicator's ``targets.all()`` answers from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .models import Indicator, Target


def with_targets(indicators: Iterable[Indicator]) -> list[Indicator]:
    """``indicators``, each given its targets as ``prefetch_related("targets")`` would (one
    query, the model's order). Nothing may read ``target.indicator`` from these rows: it is
    left unset, and would cost a query each."""
    indicators = list(indicators)
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator__in=[ind.pk for ind in indicators]):
        by_indicator[target.indicator_id].append(target)
    for ind in indicators:
        rows = Target.objects.all()
        # What a prefetch stores: a queryset already evaluated, so .all() reads no rows.
        rows._result_cache = by_indicator[ind.pk]
        rows._prefetch_done = True  # type: ignore[attr-defined]  # Django's own flag
        ind._prefetched_objects_cache = {"targets": rows}  # type: ignore[attr-defined]
    return indicators
