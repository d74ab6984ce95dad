from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_core.errors import Code, CoreError, InputError, Problem
from kinerja_core.numbers import format_decimal, parse_decimal, round_half_up, rupiah, to_decimal


def test_it_rounds_half_up_not_to_even() -> None:
    assert round_half_up(Decimal("84.605"), 2) == Decimal("84.61")
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert round_half_up(Decimal("91.4750957854"), 2) == Decimal("91.48")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert str(round_half_up(Decimal("100"), 2)) == "100.00"
    assert round_half_up(Decimal("123456789012345678901234567890.5"), 0) == Decimal(
        "123456789012345678901234567891"
    )


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (Decimal("84.6"), 2, "id", "84,60"),
        (Decimal("84.6"), 2, "en", "84.60"),
        (Decimal("1234.5"), 2, "id", "1.234,50"),
        (Decimal("1234.5"), 2, "en", "1,234.50"),
        (Decimal("1234567.891"), 1, "id", "1.234.567,9"),
        (1000, 0, "id", "1.000"),
        (Decimal("91.475"), 2, "id", "91,48"),
        (Decimal("-0.001"), 2, "id", "0,00"),
        (Decimal("-12.345"), 2, "id", "-12,35"),
        (None, 2, "id", "–"),
        (None, 2, "en", "–"),
    ],
)
def test_it_formats_numbers(
    value: Decimal | int | None, decimals: int, lang: str, expected: str
) -> None:
    assert format_decimal(value, decimals, lang) == expected


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (Decimal(1_250_000), "id", "Rp 1.250.000"),
        (Decimal("1250000.00"), "id", "Rp 1.250.000"),
        (Decimal("1200000.50"), "id", "Rp 1.200.000,50"),
        (Decimal("300000.5"), "id", "Rp 300.000,50"),
        (0, "id", "Rp 0"),
        (999, "id", "Rp 999"),
        (Decimal(1_250_000), "en", "Rp 1,250,000"),
        (Decimal("1200000.50"), "en", "Rp 1,200,000.50"),
    ],
)
def test_it_writes_rupiah_with_sen_only_when_there_are_any(
    amount: Decimal | int, lang: str, expected: str
) -> None:
    assert rupiah(amount, lang) == expected


def test_rupiah_is_indonesian_unless_told_otherwise() -> None:
    assert rupiah(Decimal("1234000.25")) == "Rp 1.234.000,25"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84,60", "84.60"),
        ("84.60", "84.60"),
        ("1.234,5", "1234.5"),
        ("1.234.567,25", "1234567.25"),
        ("1,234.5", "1234.5"),
        (" -3 ", "-3"),
        ("−3,5", "-3.5"),
        ("100", "100"),
        (",5", "0.5"),
        ("7,", "7"),
    ],
)
def test_it_parses_indonesian_and_english_numbers(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "abc", "1,2,3", "1.2.3", "1e5", "NaN", "inf", "12a", "--1", "1.23,4"]
)
def test_it_rejects_garbage_numbers(text: str) -> None:
    with pytest.raises(CoreError) as info:
        parse_decimal(text)
    assert (info.value.code, info.value.params) == (Code.NUMBER_INVALID, {"value": text})


def test_it_converts_to_decimal() -> None:
    assert to_decimal(3) == Decimal(3)
    assert to_decimal("84,6") == Decimal("84.6")
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(Decimal("1.5")) == Decimal("1.5")
    for bad in (True, None, [1], float("nan"), Decimal("Infinity")):
        with pytest.raises(CoreError):
            to_decimal(bad)


def test_it_keeps_every_problem_in_an_input_error() -> None:
    error = InputError([Problem(2, "U1", "a"), Problem(5, "U9", "b")])
    assert isinstance(error, CoreError)
    assert len(error.problems) == 2
    assert "2:U1: a" in str(error)
    assert "5:U9: b" in str(error)
