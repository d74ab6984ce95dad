"""CSV records whose every field is held to a size limit, and text fit to store and export.

Python's csv module refuses a field beyond its own limit (131 072 characters) with a bare
``_csv.Error`` that names neither the row nor the column, and the record it was reading is lost.
``bounded_records`` keeps the lines of the record being read, so such a field is still located,
and finds the fields within csv's limit but over ``max_bytes`` UTF-8 bytes by their length; both
raise ``FieldTooLong`` with the field's index. Callers name the row and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

from .errors import Code, CoreError

DEFAULT_FIELD_MAX_BYTES = 64 * 1024
# C0 control characters other than tab, line feed and carriage return, and the two
# noncharacters U+FFFE/U+FFFF: invisible in a form, illegal in XML (so in an XLSX export), and
# PostgreSQL refuses NUL in text. Imported text holding one is refused.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters of a UTF-8 field at most: a field of fewer characters than this cannot be too long.
_BYTES_PER_CHARACTER = 4


class FieldTooLong(CoreError):
    """Field ``index`` (0-based) of the record holds more than the limit."""

    def __init__(self, index: int) -> None:
        self.index = index
        super().__init__(Code.CSV_FIELD_TOO_LONG, field=index + 1)


def control_character(text: str) -> str | None:
    """The first control character of ``text`` as U+XXXX, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def bounded_records(
    lines: Iterable[str], delimiter: str, max_bytes: int = DEFAULT_FIELD_MAX_BYTES
) -> Iterator[list[str]]:
    """The records of CSV ``lines`` (as ``csv.reader`` gives them); FieldTooLong at the first
    field of more than ``max_bytes`` bytes."""
    if csv.field_size_limit() < max_bytes:
        # A field of max_bytes bytes has at most as many characters: let csv read it, so that
        # only this reader's limit applies (the module's limit is per process, only raised).
        csv.field_size_limit(max_bytes)
    record: list[str] = []
    reader = csv.reader(_remembered(lines, record), delimiter=delimiter)
    quick = max_bytes // _BYTES_PER_CHARACTER
    while True:
        record.clear()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise
            raise FieldTooLong(_field_at(record, delimiter, csv.field_size_limit())) from None
        size = len(record[0]) if len(record) == 1 else sum(map(len, record))
        if size > quick:
            for index, cell in enumerate(cells):
                if len(cell) > quick and len(cell.encode()) > max_bytes:
                    raise FieldTooLong(index)
        yield cells


def _remembered(lines: Iterable[str], record: list[str]) -> Iterator[str]:
    keep = record.append
    for line in lines:
        keep(line)
        yield line


def _field_at(lines: list[str], delimiter: str, limit: int) -> int:
    """Index of the first field of the record text that grows beyond ``limit`` characters."""
    index = length = 0
    quoted = False
    text = "".join(lines)
    position = 0
    while position < len(text):
        char = text[position]
        position += 1
        if quoted:
            if char == '"':
                if text[position : position + 1] == '"':
                    position += 1
                else:
                    quoted = False
                    continue
        elif char == '"' and length == 0:
            quoted = True
            continue
        elif char == delimiter:
            index, length = index + 1, 0
            continue
        length += 1
        if length >= limit:
            break
    return index
