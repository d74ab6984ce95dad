"""Attack regressions for the core survey reader: over-long cells, control characters, dates."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest

from kinerja_core.errors import InputError
from kinerja_core.survey_csv import iter_survey_records

HEADER = (
    "submitted_at,service,gender,age,education,occupation,U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion"
)
ROW = "2024-03-05,ktp,L,40,SMA,Swasta,4,4,4,4,4,4,4,4,4,"


def problems(text: str, **limits: Any) -> list[str]:
    with pytest.raises(InputError) as caught:
        for _chunk in iter_survey_records(io.StringIO(text), order="regulation", **limits):
            pass
    return [str(p) for p in caught.value.problems]


def rows(text: str, **limits: Any) -> list[int]:
    records = iter_survey_records(io.StringIO(text), order="regulation", **limits)
    return [record[0] for chunk in records for record in chunk]


def test_it_names_the_row_and_column_of_a_cell_over_128_kb() -> None:
    """csv's own limit (131 072 characters) used to escape as a bare _csv.Error."""
    huge = '"' + "saran " * 30_000 + '"'
    text = "\n".join([HEADER, ROW, ROW + huge, ROW]) + "\n"
    assert problems(text) == ["3:suggestion: survey.cell_too_long(n=65536)"]
    text = "\n".join([HEADER, ROW, ROW.replace("ktp", '"a,""b"""' + "k" * 140_000)]) + "\n"
    assert problems(text) == ["3:service: survey.cell_too_long(n=65536)"]


def test_it_refuses_a_cell_over_the_byte_limit_within_csvs_own_limit() -> None:
    text = "\n".join([HEADER, ROW + "é" * 40_000]) + "\n"  # 80 000 bytes, 40 000 characters
    assert problems(text) == ["2:suggestion: survey.cell_too_long(n=65536)"]
    assert problems(text, field_max_bytes=1000) == ["2:suggestion: survey.cell_too_long(n=1000)"]
    assert rows("\n".join([HEADER, ROW + "é" * 500]) + "\n", field_max_bytes=1000) == [2]
    assert problems(HEADER.replace("age", "a" * 2000) + "\n", field_max_bytes=1000) == [
        "1:#4: survey.cell_too_long(n=1000)"
    ]


def test_it_refuses_control_characters_in_a_suggestion() -> None:
    text = "\n".join([HEADER, ROW + "antri\x0blama", ROW + "nul\x00", ROW + '"baris\nbaru"']) + "\n"
    assert problems(text) == [
        "2:suggestion: text.control_character(code='U+000B')",
        "3:suggestion: text.control_character(code='U+0000')",
    ]


def test_it_refuses_days_outside_the_bounds() -> None:
    text = "\n".join(
        [HEADER, ROW.replace("2024-03-05", "0001-01-01"), ROW.replace("2024-03-05", "2099-12-31")]
    )
    bounds = {"earliest": date(2000, 1, 1), "latest": date(2025, 6, 1)}
    assert problems(text + "\n", **bounds) == [
        "2:submitted_at: survey.date_range(earliest='2000-01-01', latest='2025-06-01', "
        "value='0001-01-01')",
        "3:submitted_at: survey.date_range(earliest='2000-01-01', latest='2025-06-01', "
        "value='2099-12-31')",
    ]
    assert rows("\n".join([HEADER, ROW, ROW.replace("03-05", "01-01")]) + "\n", **bounds) == [
        2,
        3,
    ]


def test_it_refuses_a_suggestion_beyond_the_limit() -> None:
    text = "\n".join([HEADER, ROW + "s" * 11, ROW + "s" * 10, ROW.replace("L,", "X,") + "s" * 11])
    assert problems(text + "\n", suggestion_max_chars=10) == [
        "2:suggestion: survey.suggestion_too_long(n=10)",
        "4:gender: survey.gender(value='X')",
        "4:suggestion: survey.suggestion_too_long(n=10)",
    ]
    assert rows("\n".join([HEADER, ROW + "s" * 11]) + "\n") == [2]
