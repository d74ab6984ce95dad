from __future__ import annotations

from datetime import date

import pytest

from kinerja_core.errors import CoreError
from kinerja_core.periods import MONTHS_ID, Period, indonesian_date, months, quarters, semesters


def test_it_has_keys() -> None:
    assert Period(2024).key == "2024"
    assert Period(2024, "semester", 1).key == "2024-S1"
    assert Period(2024, "quarter", 3).key == "2024-Q3"
    assert Period(2024, "month", 7).key == "2024-07"
    assert str(Period(2024, "month", 7)) == "2024-07"


def test_it_has_labels() -> None:
    assert Period(2024, "quarter", 3).label() == "Triwulan III 2024"
    assert Period(2024, "semester", 1).label() == "Semester I 2024"
    assert Period(2024, "month", 7).label() == "Juli 2024"
    assert Period(2024).label() == "2024"
    assert Period(2024, "quarter", 3).label("en") == "Q3 2024"
    assert Period(2024, "semester", 2).label("en") == "H2 2024"
    assert Period(2024, "month", 7).label("en") == "July 2024"
    assert Period(2024).label("en") == "2024"


def test_it_has_inclusive_bounds() -> None:
    assert Period(2024).start == date(2024, 1, 1)
    assert Period(2024).end == date(2024, 12, 31)
    assert Period(2024, "quarter", 1).end == date(2024, 3, 31)
    assert Period(2024, "month", 2).end == date(2024, 2, 29)
    assert Period(2023, "month", 2).end == date(2023, 2, 28)
    assert Period(2024, "semester", 2).start == date(2024, 7, 1)
    assert Period(2024, "quarter", 3).contains(date(2024, 9, 30))
    assert not Period(2024, "quarter", 3).contains(date(2024, 10, 1))


def test_it_steps_back() -> None:
    assert Period(2024).prev() == Period(2023)
    assert Period(2024, "quarter", 1).prev() == Period(2023, "quarter", 4)
    assert Period(2024, "quarter", 3).prev() == Period(2024, "quarter", 2)
    assert Period(2024, "semester", 1).prev() == Period(2023, "semester", 2)
    assert Period(2024, "month", 1).prev() == Period(2023, "month", 12)
    assert Period(2023, "month", 12).next() == Period(2024, "month", 1)
    assert Period(2024, "quarter", 3).year_period() == Period(2024)


def test_it_parses_keys_round_trip() -> None:
    for key in ("2024", "2024-S1", "2024-S2", "2024-Q1", "2024-Q4", "2024-01", "2024-12"):
        assert Period.parse(key).key == key
    assert Period.parse(" 2019 ") == Period(2019)


@pytest.mark.parametrize(
    "key", ["", "24", "2024-Q5", "2024-S3", "2024-13", "2024-00", "2024-q1", "abc", "2024-Q1x"]
)
def test_it_rejects_bad_keys(key: str) -> None:
    with pytest.raises(CoreError):
        Period.parse(key)


def test_it_rejects_bad_fields() -> None:
    with pytest.raises(CoreError):
        Period(2024, "quarter", 5)
    with pytest.raises(CoreError):
        Period(2024, "week", 1)  # type: ignore[arg-type]  # an unknown kind on purpose


def test_it_finds_the_containing_period() -> None:
    d = date(2024, 8, 17)
    assert Period.containing(d) == Period(2024)
    assert Period.containing(d, "quarter") == Period(2024, "quarter", 3)
    assert Period.containing(d, "semester") == Period(2024, "semester", 2)
    assert Period.containing(d, "month") == Period(2024, "month", 8)


def test_it_lists_periods_of_a_year() -> None:
    assert [p.key for p in quarters(2024)] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert len(semesters(2024)) == 2
    assert len(months(2024)) == 12


def test_it_orders_periods_of_one_kind() -> None:
    assert sorted([Period(2024, "quarter", 2), Period(2023, "quarter", 4)]) == [
        Period(2023, "quarter", 4),
        Period(2024, "quarter", 2),
    ]


def test_it_writes_indonesian_dates() -> None:
    assert indonesian_date(date(2026, 11, 27)) == "27 November 2026"
    assert indonesian_date(date(2022, 1, 5)) == "5 Januari 2022"
    assert MONTHS_ID[7] == "Agustus"
