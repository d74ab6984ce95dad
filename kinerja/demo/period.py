"""How far the demo data runs: through the last complete quarter before today, so every page
opens on a year with data (docs/rules.md#default-year) and no demo answer lies in the future."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

FIRST_SURVEY_YEAR = 2020


def data_end(today: date | None = None) -> date:
    """The last day of the last quarter that ended before ``today`` (default: today in Jakarta)."""
    today = today or timezone.localdate()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return quarter_start - timedelta(days=1)


def survey_years(end: date) -> range:
    return range(FIRST_SURVEY_YEAR, end.year + 1)


def share_of_year(year: int, end: date) -> float:
    """The part of ``year`` the demo covers: 1 for a year that ended by ``end``."""
    if year < end.year:
        return 1.0
    return ((end - date(year, 1, 1)).days + 1) / ((date(year, 12, 31) - date(year, 1, 1)).days + 1)
