"""Period keys in survey URLs, parsed in one place: a key outside the window of years is a 404.

A period far from today cannot hold survey data, and one at the edge of what ``Period`` can
represent breaks the pages that also show the period before or after it (year 1 or 9999); so
every survey URL, staff or public, accepts only years from KINERJA_PERIOD_FIRST_YEAR up to
KINERJA_PERIOD_YEARS_AHEAD years after the current one (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from kinerja_core.errors import CoreError
from kinerja_core.periods import Period


def year_window() -> tuple[int, int]:
    """The first and last year a survey URL may name."""
    last = timezone.localdate().year + settings.KINERJA_PERIOD_YEARS_AHEAD
    return settings.KINERJA_PERIOD_FIRST_YEAR, last


def url_period(key: str) -> Period:
    """The period of a URL's key; Http404 when it is malformed or outside the window."""
    try:
        period = Period.parse(key)
    except CoreError as exc:
        raise Http404(str(exc)) from exc
    first, last = year_window()
    if not first <= period.year <= last:
        raise Http404(f"period {period.key} outside {first}..{last}")
    return period
