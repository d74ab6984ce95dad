"""Database-free reader of the survey CSV (docs/rules.md#survey-csv).

``submitted_at,service,gender,age,education,occupation,U1,…,U9,suggestion``; element columns
may instead carry the element's name, alone or after its code (``U8 Penanganan Pengaduan, Saran
dan Masukan``). Columns are mapped by name, never by position, because the regulation's sample
questionnaire asks its questions in a different order than its list of elements; a header of
bare codes (``U8``) is read only in the order the caller names, never guessed
(docs/rules.md#survey-csv-element-order). Every row is checked and all problems are reported
together, so an operator fixes a typed-in stack of paper forms in one pass.

A file of a million rows repeats few distinct texts per column, so each distinct cell text is
parsed once and remembered (``_Memo``): a valid row costs one dict lookup per cell. Only a row
with a text that does not parse goes through ``_parse_row``, which names every problem.
"""

from __future__ import annotations

import itertools
import operator
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, TextIO, TypeVar

from kinerja_core.csv_fields import (
    CONTROL_CHARACTERS,
    DEFAULT_FIELD_MAX_BYTES,
    FieldTooLong,
    bounded_records,
    control_character,
)
from kinerja_core.errors import Code, CoreError, InputError, Message, Problem
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
# Distinct texts remembered per column: enough for every date-time of a year at minute
# precision in a typical file, small enough (a few MB) that a file of all-different values
# only costs parsing, not memory.
MEMO_LIMIT = 100_000

_SCORE = re.compile(r"[1-4]")
# Joins a row's score cells into one memo key; a cell holding it cannot pass as valid (the
# split then yields more texts than there are elements).
_SEPARATOR = "\x1f"

# How bare element codes in a header are numbered: the regulation's list of elements, or the
# questions of its sample questionnaire (U8 = Sarana under PermenPANRB 14/2017).
ElementOrder = Literal["regulation", "questionnaire"]
ELEMENT_ORDERS: tuple[ElementOrder, ...] = ("regulation", "questionnaire")
# A header cell "<code> <name>": the name decides, whatever the numbering before it.
_CODE_AND_NAME = re.compile(r"[a-z]{0,2}\d{1,2} (.+)")

T = TypeVar("T")

Record = tuple[
    int, datetime, str, str | None, int | None, str | None, str | None, tuple[int, ...], str
]
"""One valid response as a plain tuple, the fast form for bulk importers: (row, submitted_at,
service, gender, age, education, occupation, scores in the method's element order, suggestion)."""

ServiceCheck = Callable[[int, str], Problem | None]
"""Called with (row, service text) for every non-blank row; a Problem refuses the file."""


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


class _Memo(dict[str, T]):
    """Parsed values of cell texts, each text parsed once.

    ``memo[text]`` raises ValueError when the text does not parse; such texts are not kept,
    and no more than MEMO_LIMIT texts are.
    """

    def __init__(self, parse: Callable[[str], T]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, text: str) -> T:
        value = self.parse(text)
        if len(self) < MEMO_LIMIT:
            self[text] = value
        return value


def _header_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a column name."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("_", " ")).split())


def _column_names(method: Method) -> dict[str, str]:
    """Column names that say what they hold (fields and element names), by header key."""
    names: dict[str, str] = {}
    for f in PROFILE_FIELDS:
        names[_header_key(f)] = f
    for alias, f in _ALIASES.items():
        names[_header_key(alias)] = f
    for element in method.elements:
        names[_header_key(element.name)] = element.code
    return names


def _bare_codes(method: Method, order: ElementOrder | None) -> dict[str, str]:
    """Bare element codes by header key, read in ``order``; None: the codes that need no order.

    With no order said, a code means the same element in both orders only when the method's
    questionnaire asks its elements in its list order (KepMenPAN 25/2004); otherwise none does.
    """
    if order == "questionnaire":
        numbered = method.question_codes
    elif order == "regulation" or method.question_codes == method.codes:
        numbered = method.codes
    else:
        return {}
    return {
        _header_key(code): element for code, element in zip(method.codes, numbered, strict=True)
    }


def element_header(method: Method | str = DEFAULT_METHOD) -> list[str]:
    """Element columns as exports write them: code and name, readable without an order."""
    return [f"{e.code} {e.name}" for e in get_method(method).elements]


def _order_required(method: Method, bare: list[str]) -> Message:
    """Why a header of bare codes is refused, with what each order would make of them."""

    differing = [
        (code, regulation, question)
        for code, regulation, question in zip(
            method.codes, method.codes, method.question_codes, strict=True
        )
        if regulation != question
    ]
    return Message.of(
        Code.SURVEY_ELEMENT_ORDER_REQUIRED,
        columns=", ".join(bare),
        regulation=", ".join(f"{c} = {method.element(r).name}" for c, r, _q in differing),
        questionnaire=", ".join(f"{c} = {method.element(q).name}" for c, _r, q in differing),
        example=element_header(method)[-2],
    )


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


def _map_header(
    cells: list[str], method: Method, order: ElementOrder | None = None
) -> tuple[dict[str, int], list[Problem]]:
    known = _column_names(method)
    bare = _bare_codes(method, order)
    any_order = _bare_codes(method, "regulation")
    unordered: list[str] = []  # bare codes that only an order could map
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(cells):
        name = raw.strip()
        if not name:
            problems.append(Problem(1, f"#{index + 1}", Message.of(Code.SURVEY_EMPTY_COLUMN_NAME)))
            continue
        key = _header_key(name)
        target = known.get(key)
        if target is None and (prefixed := _CODE_AND_NAME.fullmatch(key)):
            target = known.get(prefixed[1])
            target = target if target in method.codes else None
        if target is None:
            target = bare.get(key)
            if target is None and key in any_order:
                unordered.append(name)
                continue
        if target is None:
            problems.append(Problem(1, name, Message.of(Code.SURVEY_UNKNOWN_COLUMN)))
        elif target in columns:
            first = cells[columns[target]].strip()
            duplicate = Message.of(Code.SURVEY_DUPLICATE_COLUMN, first=first, target=target)
            problems.append(Problem(1, name, duplicate))
        else:
            columns[target] = index
    if unordered:
        problems.append(Problem(1, unordered[0], _order_required(method, unordered)))
        return columns, problems  # the element columns are unknown until the order is said
    for required in (*REQUIRED_FIELDS, *method.codes):
        if required not in columns:
            missing = Message.of(Code.SURVEY_MISSING_COLUMN, column=required)
            if required in method.codes:
                missing = Message.of(
                    Code.SURVEY_MISSING_ELEMENT_COLUMN,
                    column=required,
                    name=method.element(required).name,
                )
            problems.append(Problem(1, required, missing))
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


def _required_datetime(earliest: date | None, latest: date | None) -> Callable[[str], datetime]:
    """Parses a submission time, refusing days outside [earliest, latest] (None: no bound)."""

    def parse(text: str) -> datetime:
        value = parse_datetime(text)
        if value is None:
            raise ValueError(text)
        day = value.date()
        if (earliest is not None and day < earliest) or (latest is not None and day > latest):
            raise ValueError(text)
        return value

    return parse


def _optional(normalise: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """A profile choice: blank is allowed (None), anything else must be one of the choices."""

    def parse(text: str) -> str | None:
        value = text.strip()
        if not value:
            return None
        canonical = normalise(value)
        if canonical is None:
            raise ValueError(text)
        return canonical

    return parse


def _age(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and MIN_AGE <= int(value) <= MAX_AGE:
        return int(value)
    raise ValueError(text)


def _score(text: str) -> int:
    value = text.strip()
    if _SCORE.fullmatch(value):
        return int(value)
    raise ValueError(text)


class _Cells:
    """Where each field sits in a row, and the memos that turn its texts into values."""

    def __init__(
        self,
        columns: dict[str, int],
        method: Method,
        width: int,
        days: tuple[date | None, date | None] = (None, None),
        suggestion_max_chars: int | None = None,
    ) -> None:
        self.method = method
        self.width = width
        self.days = days
        self.suggestion_max_chars = suggestion_max_chars
        # A column the header lacks reads as blank: rows get one blank cell appended at
        # ``width`` and the missing columns point there.
        self.padded = any(f not in columns for f in PROFILE_FIELDS)
        self.index = {f: columns.get(f, width) for f in PROFILE_FIELDS}
        self.score_index = [columns[code] for code in method.codes]
        self.when = _Memo(_required_datetime(*days))
        self.gender = _Memo(_optional(normalise_gender))
        self.age = _Memo(_age)
        self.education = _Memo(_optional(normalise_education))
        self.occupation = _Memo(_optional(normalise_occupation))
        self.score = _Memo(_score)
        # All scores of a row at once: answers cluster on 3 and 4, so few combinations recur.
        self.scores = _Memo(self._scores)

    def _scores(self, joined: str) -> tuple[int, ...]:
        texts = joined.split(_SEPARATOR)
        if len(texts) != len(self.score_index):
            raise ValueError(joined)  # a cell held the separator itself
        return tuple(self.score[text] for text in texts)

    def text(self, cells: list[str], name: str) -> str:
        index = self.index[name]
        return cells[index].strip() if index < len(cells) else ""


def _parse_row(row: int, cells: list[str], c: _Cells) -> Record | list[Problem]:
    """The slow path: every problem of the row, with its message."""
    problems: list[Problem] = []
    if len(cells) > c.width and any(x.strip() for x in cells[c.width :]):
        problems.append(
            Problem(
                row, None, Message.of(Code.SURVEY_TOO_MANY_CELLS, count=len(cells), width=c.width)
            )
        )

    def field(name: str, memo: _Memo[Any], message: Callable[[str], Message]) -> Any:
        raw = c.text(cells, name)
        try:
            return memo[raw]
        except ValueError:
            problems.append(Problem(row, name, message(raw)))
            return None

    def when_message(raw: str) -> Message:
        if not raw:
            return Message.of(Code.SURVEY_DATE_REQUIRED)
        if parse_datetime(raw) is None:
            return Message.of(Code.SURVEY_DATE_INVALID, value=raw)
        earliest, latest = (d.isoformat() if d else "…" for d in c.days)
        return Message.of(Code.SURVEY_DATE_RANGE, earliest=earliest, latest=latest, value=raw)

    submitted_at: datetime | None = field("submitted_at", c.when, when_message)
    gender: str | None = field(
        "gender", c.gender, lambda raw: Message.of(Code.SURVEY_GENDER, value=raw)
    )
    age: int | None = field(
        "age",
        c.age,
        lambda raw: Message.of(Code.SURVEY_AGE, low=MIN_AGE, high=MAX_AGE, value=raw),
    )
    education: str | None = field(
        "education",
        c.education,
        lambda raw: Message.of(
            Code.SURVEY_EDUCATION, value=raw, choices=", ".join(EDUCATION_LEVELS)
        ),
    )
    occupation: str | None = field(
        "occupation",
        c.occupation,
        lambda raw: Message.of(Code.SURVEY_OCCUPATION, value=raw, choices=", ".join(OCCUPATIONS)),
    )

    scores: list[int] = []
    for code, index in zip(c.method.codes, c.score_index, strict=True):
        raw = cells[index].strip() if index < len(cells) else ""
        try:
            scores.append(c.score[raw])
        except ValueError:
            message = (
                Message.of(Code.SCORE_EMPTY)
                if not raw
                else Message.of(Code.SCORE_INVALID, value=raw)
            )
            problems.append(Problem(row, code, message))

    for name in ("service", "suggestion"):
        if (character := control_character(c.text(cells, name))) is not None:
            problems.append(
                Problem(row, name, Message.of(Code.TEXT_CONTROL_CHARACTER, code=character))
            )
    limit = c.suggestion_max_chars
    if limit is not None and len(c.text(cells, "suggestion")) > limit:
        too_long = Message.of(Code.SURVEY_SUGGESTION_TOO_LONG, n=limit)
        problems.append(Problem(row, "suggestion", too_long))

    if problems or submitted_at is None:
        return problems
    return (
        row,
        submitted_at,
        c.text(cells, "service"),
        gender,
        age,
        education,
        occupation,
        tuple(scores),
        c.text(cells, "suggestion"),
    )


def _too_long(row: int, header: list[str], index: int, max_bytes: int) -> Problem:
    name = header[index].strip() if index < len(header) else ""
    return Problem(row, name or f"#{index + 1}", Message.of(Code.SURVEY_CELL_TOO_LONG, n=max_bytes))


def iter_survey_records(
    stream: TextIO,
    method: Method | str = DEFAULT_METHOD,
    chunk_size: int = DEFAULT_CHUNK,
    max_problems: int = MAX_PROBLEMS,
    check_service: ServiceCheck | None = None,
    field_max_bytes: int = DEFAULT_FIELD_MAX_BYTES,
    earliest: date | None = None,
    latest: date | None = None,
    suggestion_max_chars: int | None = None,
    order: ElementOrder | None = None,
) -> Iterator[list[Record]]:
    """Yield valid rows as ``Record`` tuples in chunks, holding at most one chunk in memory.

    The whole file is always checked. Once a problem is found no further rows are yielded,
    and one ``InputError`` with every problem (up to ``max_problems``) is raised at the end,
    so a caller importing inside a transaction rolls the whole file back. ``check_service``
    lets a caller that knows the services add its own check of every row's service. A cell
    of more than ``field_max_bytes`` bytes stops the reading with the problems found so far;
    a submission day before ``earliest`` or after ``latest``, and a suggestion of more than
    ``suggestion_max_chars`` characters, are problems of their row. ``order`` says how bare
    element codes in the header are numbered (``ELEMENT_ORDERS``); without it such a header is
    refused, explaining both orders.
    """
    m = get_method(method)
    if order is not None and order not in ELEMENT_ORDERS:
        raise CoreError(Code.SURVEY_UNKNOWN_ORDER, value=order, choices=", ".join(ELEMENT_ORDERS))
    first = stream.readline()
    if first.startswith("\ufeff"):
        first = first[1:]
    if not first.strip():
        raise InputError([Problem(1, None, Message.of(Code.SURVEY_NO_HEADER))])
    lines = itertools.chain([first], stream)
    reader = bounded_records(lines, _sniff_delimiter(first), field_max_bytes)
    try:
        header = next(reader)
    except FieldTooLong as exc:
        raise InputError([_too_long(1, [], exc.index, field_max_bytes)]) from None
    columns, problems = _map_header(header, m, order)
    if problems:
        raise InputError(problems)
    c = _Cells(columns, m, len(header), (earliest, latest), suggestion_max_chars)
    longest = sys.maxsize if suggestion_max_chars is None else suggestion_max_chars
    width, padded = c.width, c.padded
    i_when, i_service, i_gender, i_age, i_education, i_occupation, i_suggestion = (
        c.index[f] for f in PROFILE_FIELDS
    )
    when, gender, age, education, occupation, scores = (
        c.when,
        c.gender,
        c.age,
        c.education,
        c.occupation,
        c.scores,
    )
    pick_scores: Callable[[list[str]], tuple[str, ...]] = (
        operator.itemgetter(*c.score_index)
        if len(c.score_index) > 1
        else lambda cells: (cells[c.score_index[0]],)
    )
    join = _SEPARATOR.join
    has_control = CONTROL_CHARACTERS.search
    chunk: list[Record] = []
    truncated = False
    row_number = 1
    try:
        for row_number, cells in enumerate(reader, start=2):
            record: Record | list[Problem] | None = None
            if len(cells) == width:
                if padded:
                    cells.append("")
                try:
                    record = (
                        row_number,
                        when[cells[i_when]],
                        cells[i_service].strip(),
                        gender[cells[i_gender]],
                        age[cells[i_age]],
                        education[cells[i_education]],
                        occupation[cells[i_occupation]],
                        scores[join(pick_scores(cells))],
                        cells[i_suggestion].strip(),
                    )
                except ValueError:
                    record = None  # a text that does not parse: the slow path names it
                else:
                    suggestion = record[8]
                    if suggestion and (has_control(suggestion) or len(suggestion) > longest):
                        record = None  # the slow path names the problem
            if record is None:
                if not any(x.strip() for x in cells):
                    continue
                record = _parse_row(row_number, cells, c)
            if check_service is not None:
                service = record[2] if isinstance(record, tuple) else c.text(cells, "service")
                if (problem := check_service(row_number, service)) is not None:
                    record = [*([] if isinstance(record, tuple) else record), problem]
            if isinstance(record, tuple):
                if not problems:
                    chunk.append(record)
                    if len(chunk) >= chunk_size:
                        yield chunk
                        chunk = []
                continue
            room = max_problems - len(problems)
            if len(record) > room:
                truncated = True
            problems.extend(record[:room])
            chunk = []
    except FieldTooLong as exc:
        # The reader cannot go on inside a record it gave up on: stop at this problem.
        problems.append(_too_long(row_number + 1, header, exc.index, field_max_bytes))
        raise InputError(problems) from None
    if problems:
        if truncated:
            problems.append(
                Problem(None, None, Message.of(Code.SURVEY_MORE_PROBLEMS, limit=max_problems))
            )
        raise InputError(problems)
    if chunk:
        yield chunk


def iter_survey_csv(
    stream: TextIO,
    method: Method | str = DEFAULT_METHOD,
    chunk_size: int = DEFAULT_CHUNK,
    max_problems: int = MAX_PROBLEMS,
    order: ElementOrder | None = None,
) -> Iterator[list[SurveyRow]]:
    """``iter_survey_records`` with each row as a ``SurveyRow`` (scores by element code)."""
    codes = get_method(method).codes
    for chunk in iter_survey_records(stream, method, chunk_size, max_problems, order=order):
        yield [
            SurveyRow(
                row=row,
                submitted_at=submitted_at,
                service=service,
                gender=gender,
                age=age,
                education=education,
                occupation=occupation,
                scores=dict(zip(codes, scores, strict=True)),
                suggestion=suggestion,
            )
            for (
                row,
                submitted_at,
                service,
                gender,
                age,
                education,
                occupation,
                scores,
                suggestion,
            ) in chunk
        ]


def read_survey_csv(
    stream: TextIO, method: Method | str = DEFAULT_METHOD, order: ElementOrder | None = None
) -> list[SurveyRow]:
    """All rows of a survey CSV, or one ``InputError`` listing every bad row and column."""
    rows: list[SurveyRow] = []
    for chunk in iter_survey_csv(stream, method, order=order):
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
