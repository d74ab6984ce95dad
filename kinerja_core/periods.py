"""Reporting periods: years, semesters, quarters (triwulan) and months.

A period is a value (hashable, ordered) with a stable text key used in URLs, the database
and the API: "2024", "2024-S1", "2024-Q3", "2024-07".
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kinerja_core.errors import Code, CoreError

Kind = Literal["year", "semester", "quarter", "month"]

MONTHS_ID: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN: tuple[str, ...] = tuple(calendar.month_name[1:])

_ROMAN = ("I", "II", "III", "IV")
_PER_YEAR: dict[str, int] = {"year": 1, "semester": 2, "quarter": 4, "month": 12}
_MONTHS_PER: dict[str, int] = {"year": 12, "semester": 6, "quarter": 3, "month": 1}

_KEY = re.compile(r"(\d{4})(?:-(?:S([12])|Q([1-4])|(\d{2})))?")


def indonesian_date(d: date) -> str:
    """ "27 November 2026": the form used on signed reports."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ``index`` is 1-based within the year (S1–S2, Q1–Q4, 1–12)."""

    year: int
    kind: Kind = "year"
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _PER_YEAR:
            raise CoreError(Code.PERIOD_UNKNOWN_KIND, kind=self.kind)
        if not 1 <= self.index <= _PER_YEAR[self.kind]:
            raise CoreError(Code.PERIOD_INDEX_RANGE, kind=self.kind, index=self.index)
        if not 1 <= self.year <= 9999:
            raise CoreError(Code.PERIOD_YEAR_RANGE, year=self.year)

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_PER[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.index * _MONTHS_PER[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period, inclusive."""
        month = self.last_month
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    # Kept on the instance: a recompute asks a period for its key hundreds of thousands of times
    # (every memo and stored row is keyed on it). Not a field, so equality and order ignore it.
    @functools.cached_property
    def key(self) -> str:
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "semester":
            return f"{self.year:04d}-S{self.index}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}-{self.index:02d}"

    def __str__(self) -> str:
        return self.key

    def label(self, lang: str = "id") -> str:
        en = lang == "en"
        if self.kind == "year":
            return str(self.year)
        if self.kind == "semester":
            return f"{'H' if en else 'Semester '}{self.index if en else _ROMAN[self.index - 1]} {self.year}"
        if self.kind == "quarter":
            if en:
                return f"Q{self.index} {self.year}"
            return f"Triwulan {_ROMAN[self.index - 1]} {self.year}"
        names = MONTHS_EN if en else MONTHS_ID
        return f"{names[self.index - 1]} {self.year}"

    def prev(self) -> Period:
        """The same kind of period one step back (Q1 2024 → Q4 2023)."""
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, _PER_YEAR[self.kind])

    def next(self) -> Period:
        if self.index < _PER_YEAR[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def year_period(self) -> Period:
        return Period(self.year)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @classmethod
    def parse(cls, key: str) -> Period:
        m = _KEY.fullmatch(key.strip()) if isinstance(key, str) else None
        if m is None:
            raise CoreError(Code.PERIOD_BAD_KEY, key=key)
        year = int(m.group(1))
        if m.group(2):
            return cls(year, "semester", int(m.group(2)))
        if m.group(3):
            return cls(year, "quarter", int(m.group(3)))
        if m.group(4):
            month = int(m.group(4))
            if not 1 <= month <= 12:
                raise CoreError(Code.PERIOD_BAD_MONTH, key=key)
            return cls(year, "month", month)
        return cls(year)

    @classmethod
    def containing(cls, d: date, kind: Kind = "year") -> Period:
        if kind not in _MONTHS_PER:
            raise CoreError(Code.PERIOD_UNKNOWN_KIND, kind=kind)
        return cls(d.year, kind, (d.month - 1) // _MONTHS_PER[kind] + 1)


def quarters(year: int) -> list[Period]:
    return [Period(year, "quarter", i) for i in range(1, 5)]


def semesters(year: int) -> list[Period]:
    return [Period(year, "semester", i) for i in range(1, 3)]


def months(year: int) -> list[Period]:
    return [Period(year, "month", i) for i in range(1, 13)]
