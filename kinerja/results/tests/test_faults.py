"""Only the expected "not a number" / "not a period" is turned into text; a fault surfaces."""

from __future__ import annotations

from typing import NoReturn

import pytest

from kinerja.results import engine
from kinerja.results.drilldown import InputRow
from kinerja_core.formula import NotComputable
from kinerja_core.periods import Period


def fault(*args: object) -> NoReturn:
    raise ZeroDivisionError


def row(period: str) -> InputRow:
    return InputRow("x", "X", 0, "manual", "kec-uji", period, None, None)


def test_it_says_a_measure_value_is_not_a_number() -> None:
    assert isinstance(engine.as_measure_value("banyak"), NotComputable)


def test_it_lets_a_fault_in_reading_a_measure_value_surface(monkeypatch) -> None:
    monkeypatch.setattr(engine, "to_decimal", fault)
    with pytest.raises(ZeroDivisionError):
        engine.as_measure_value("12")


def test_it_shows_a_stored_period_key_it_cannot_read_as_it_is() -> None:
    assert row("2024-Q3").period_label == "Triwulan III 2024"
    assert row("2024-Q9").period_label == "2024-Q9"


def test_it_lets_a_fault_in_reading_a_period_surface(monkeypatch) -> None:
    monkeypatch.setattr(Period, "parse", fault)
    with pytest.raises(ZeroDivisionError):
        assert row("2024-Q3").period_label
