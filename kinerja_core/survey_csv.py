"""Database-free reader of the survey CSV (DESIGN §5).

``submitted_at,service,gender,age,education,occupation,U1,…,U9,suggestion``; element columns
may instead carry the element's name. Columns are mapped by name, never by position, because
the regulation's sample questionnaire asks its questions in a different order than its list
of elements. Every row is checked and all problems are reported together, so an operator
fixes a typed-in stack of paper forms in one pass.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TextIO

from kinerja_core.errors import InputError, Problem
from kinerja_core.ikm import (
    DEFAULT_METHOD,
    EDUCATION_LEVELS,
    OCCUPATIONS,
    Method,
    Tally,
    get_method,
    normalise_education,
    normalise_gender,
    normalise_occupation,
)
from kinerja_core.periods import Period

PROFILE_FIELDS: tuple[str, ...] = (
    "submitted_at",
    "service",
    "gender",
    "age",
    "education",
    "occupation",
    "suggestion",
)
REQUIRED_FIELDS: tuple[str, ...] = ("submitted_at",)

# Indonesian headers that operators type when they build the sheet by hand.
_ALIASES: dict[str, str] = {
    "tanggal": "submitted_at",
    "waktu": "submitted_at",
    "layanan": "service",
    "jenis layanan": "service",
    "jenis kelamin": "gender",
    "umur": "age",
    "usia": "age",
    "pendidikan": "education",
    "pekerjaan": "occupation",
    "saran": "suggestion",
}

MIN_AGE = 1
MAX_AGE = 120
DEFAULT_CHUNK = 1000
MAX_PROBLEMS = 1000

_SCORE = re.compile(r"[1-4]")


@dataclass(frozen=True)
class SurveyRow:
    """One valid response; ``row`` is its row number in the file (header is row 1)."""

    row: int
    submitted_at: datetime
    service: str
    gender: str | None
    age: int | None
    education: str | None
    occupation: str | None
    scores: dict[str, int]
    suggestion: str


def _header_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a column name."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("_", " ")).split())


def _column_names(method: Method) -> dict[str, str]:
    names: dict[str, str] = {}
    for f in PROFILE_FIELDS:
        names[_header_key(f)] = f
    for alias, f in _ALIASES.items():
        names[_header_key(alias)] = f
    for element in method.elements:
        names[_header_key(element.code)] = element.code
        names[_header_key(element.name)] = element.code
    return names


def _sniff_delimiter(header: str) -> str:
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def _map_header(cells: list[str], method: Method) -> tuple[dict[str, int], list[Problem]]:
    known = _column_names(method)
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(cells):
        name = raw.strip()
        if not name:
            problems.append(Problem(1, f"#{index + 1}", "nama kolom kosong"))
            continue
        target = known.get(_header_key(name))
        if target is None:
            problems.append(Problem(1, name, "kolom tidak dikenal"))
        elif target in columns:
            first = cells[columns[target]].strip()
            problems.append(
                Problem(1, name, f"kolom ganda: sama dengan kolom {first!r} ({target})")
            )
        else:
            columns[target] = index
    for required in (*REQUIRED_FIELDS, *method.codes):
        if required not in columns:
            label = required
            if required in method.codes:
                label = f"{required} ({method.element(required).name})"
            problems.append(Problem(1, required, f"kolom wajib tidak ada: {label}"))
    return columns, problems


def parse_datetime(text: str) -> datetime | None:
    """ISO date or date-time; a date means midnight. Time zones are kept when given."""
    value = text.strip()
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parse_row(
    row: int, cells: list[str], columns: dict[str, int], method: Method, width: int
) -> SurveyRow | list[Problem]:
    problems: list[Problem] = []
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        problems.append(
            Problem(row, None, f"jumlah kolom ({len(cells)}) melebihi header ({width})")
        )

    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    submitted_at = parse_datetime(cell("submitted_at"))
    if submitted_at is None:
        raw = cell("submitted_at")
        message = (
            "tanggal wajib diisi (format ISO, mis. 2024-07-15 atau 2024-07-15T09:30)"
            if not raw
            else f"tanggal tidak valid: {raw!r} (format ISO, mis. 2024-07-15 atau 2024-07-15T09:30)"
        )
        problems.append(Problem(row, "submitted_at", message))

    gender: str | None = None
    if raw_gender := cell("gender"):
        gender = normalise_gender(raw_gender)
        if gender is None:
            problems.append(
                Problem(row, "gender", f"jenis kelamin harus L atau P, bukan {raw_gender!r}")
            )

    age: int | None = None
    if raw_age := cell("age"):
        if raw_age.isascii() and raw_age.isdigit() and MIN_AGE <= int(raw_age) <= MAX_AGE:
            age = int(raw_age)
        else:
            problems.append(
                Problem(
                    row, "age", f"umur harus bilangan bulat {MIN_AGE}–{MAX_AGE}, bukan {raw_age!r}"
                )
            )

    education: str | None = None
    if raw_education := cell("education"):
        education = normalise_education(raw_education)
        if education is None:
            problems.append(
                Problem(
                    row,
                    "education",
                    f"pendidikan tidak dikenal: {raw_education!r} (pilihan: {', '.join(EDUCATION_LEVELS)})",
                )
            )

    occupation: str | None = None
    if raw_occupation := cell("occupation"):
        occupation = normalise_occupation(raw_occupation)
        if occupation is None:
            problems.append(
                Problem(
                    row,
                    "occupation",
                    f"pekerjaan tidak dikenal: {raw_occupation!r} (pilihan: {', '.join(OCCUPATIONS)})",
                )
            )

    scores: dict[str, int] = {}
    for code in method.codes:
        raw_score = cell(code)
        if _SCORE.fullmatch(raw_score):
            scores[code] = int(raw_score)
        elif not raw_score:
            problems.append(Problem(row, code, "nilai kosong; setiap unsur harus diisi 1–4"))
        else:
            problems.append(
                Problem(row, code, f"nilai harus bilangan bulat 1–4, bukan {raw_score!r}")
            )

    if problems or submitted_at is None:
        return problems
    return SurveyRow(
        row=row,
        submitted_at=submitted_at,
        service=cell("service"),
        gender=gender,
        age=age,
        education=education,
        occupation=occupation,
        scores=scores,
        suggestion=cell("suggestion"),
    )


def iter_survey_csv(
    stream: TextIO,
    method: Method | str = DEFAULT_METHOD,
    chunk_size: int = DEFAULT_CHUNK,
    max_problems: int = MAX_PROBLEMS,
) -> Iterator[list[SurveyRow]]:
    """Yield valid rows in chunks, holding at most one chunk in memory.

    The whole file is always checked. Once a problem is found no further rows are yielded,
    and one ``InputError`` with every problem (up to ``max_problems``) is raised at the end,
    so a caller importing inside a transaction rolls the whole file back.
    """
    m = get_method(method)
    first = stream.readline()
    if first.startswith("\ufeff"):
        first = first[1:]
    if not first.strip():
        raise InputError([Problem(1, None, "berkas kosong: baris header tidak ada")])
    reader = csv.reader(itertools.chain([first], stream), delimiter=_sniff_delimiter(first))
    header = next(reader)
    columns, problems = _map_header(header, m)
    if problems:
        raise InputError(problems)
    chunk: list[SurveyRow] = []
    truncated = False
    for row_number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        parsed = _parse_row(row_number, cells, columns, m, len(header))
        if isinstance(parsed, SurveyRow):
            if not problems:
                chunk.append(parsed)
                if len(chunk) >= chunk_size:
                    yield chunk
                    chunk = []
            continue
        room = max_problems - len(problems)
        if len(parsed) > room:
            truncated = True
        problems.extend(parsed[:room])
        chunk = []
    if problems:
        if truncated:
            problems.append(
                Problem(None, None, f"masalah lain tidak ditampilkan (lebih dari {max_problems})")
            )
        raise InputError(problems)
    if chunk:
        yield chunk


def read_survey_csv(stream: TextIO, method: Method | str = DEFAULT_METHOD) -> list[SurveyRow]:
    """All rows of a survey CSV, or one ``InputError`` listing every bad row and column."""
    rows: list[SurveyRow] = []
    for chunk in iter_survey_csv(stream, method):
        rows.extend(chunk)
    return rows


def tally_rows(rows: Iterable[SurveyRow], method: Method | str = DEFAULT_METHOD) -> Tally:
    m = get_method(method)
    tally = Tally.empty(m)
    for row in rows:
        tally.add((row.scores[code] for code in m.codes), m.codes)
    return tally


GroupBy = Literal["service", "month", "quarter", "semester", "year"]


def group_key(row_dt: datetime | date, by: GroupBy, service: str) -> str:
    """Key of the group a response belongs to: the service, or a period key ("2024-Q1")."""
    if by == "service":
        return service
    return Period.containing(row_dt, by).key
