"""The year a page opens on when none is asked, everywhere: the latest year, not after today,
that has data in the plan in force (docs/rules.md#default-year).

Finding it needs the plans and their stored results, which live on floors above the domain apps
that show years too (the registry, the survey pages); so this floor holds the one entry point and
the results app gives the rule at start-up (``ResultsConfig.ready``), as the measures reach the
engine through the measure registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

# (unit or None for every unit the site holds, this year) -> the year, or None without a plan
Finder = Callable[[Any, int], int | None]
_finders: list[Finder] = []


def register(finder: Finder) -> None:
    _finders[:] = [finder]


def default_year(unit: Any = None) -> int:
    """The default year for ``unit`` (an OrgUnit, or None); this year when no plan is loaded."""
    today = timezone.localdate().year
    for finder in _finders:
        found = finder(unit, today)
        if found is not None:
            return found
    return today
