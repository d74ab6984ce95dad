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
