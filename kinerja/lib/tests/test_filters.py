"""Period labels in templates: a key such as 2024-Q3 reads as the office writes it."""

from __future__ import annotations

from typing import NoReturn

import pytest
from django.utils import translation

from kinerja.lib.templatetags import kinerja as filters
from kinerja.lib.templatetags.kinerja import num, period
from kinerja_core.periods import Period


def test_it_labels_period_keys_in_indonesian_and_english() -> None:
    with translation.override("id"):
        assert period("2024-Q3") == "Triwulan III 2024"
        assert period(Period(2024, "month", 11)) == "November 2024"
        assert period("2024") == "2024"
    with translation.override("en"):
        assert period("2024-Q3") == "Q3 2024"


def test_it_shows_a_bad_or_missing_key_as_it_is() -> None:
    assert period("triwulan") == "triwulan"
    assert period(None) == "–"


def test_it_shows_a_label_where_a_number_was_expected_as_it_is() -> None:
    with translation.override("id"):
        assert num("84,6") == "84,60"
        assert num("tidak diukur") == "tidak diukur"


def test_it_lets_a_fault_in_reading_a_number_surface(monkeypatch) -> None:
    # Only "not a number" is shown as text; a fault of the code is not hidden behind it.
    monkeypatch.setattr(filters, "to_decimal", fault)
    with pytest.raises(ZeroDivisionError):
        num("84,6")


def fault(*args: object) -> NoReturn:
    raise ZeroDivisionError


def test_a_time_of_day_is_local_with_a_dot_in_every_language() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 12, 7, 7, 10, 5, tzinfo=UTC)  # 14.10.05 WIB
    for language in ("id", "en"):
        with translation.override(language):
            assert filters.clock(at) == "14.10" and filters.clock(at, "s") == "14.10.05"
    with translation.override("id"):
        assert filters.moment(at) == "7 Desember 2026 14.10"
    assert filters.clock(None) == filters.moment(None) == "–"


def test_no_page_writes_a_time_of_day_with_a_colon() -> None:
    """Times of day go through |clock or |moment ("14.10"), not Django's time or date filters
    with "H:i", which write "14:10"."""
    import re
    from pathlib import Path

    from django.conf import settings

    colon = re.compile(r"\|(?:time|date):\s*['\"][^'\"]*[GH]:i")
    found = [
        str(path)
        for path in (Path(settings.BASE_DIR) / "kinerja").rglob("templates/**/*.html")
        if colon.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
