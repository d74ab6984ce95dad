"""Spreadsheet files in and out: CSV and XLSX, shared by every import and export.

Reading streams rows (bounded memory for files of a million rows). Writing never lets a cell
that came from user text start a formula (=, +, -, @, tab, CR): spreadsheet programs would run it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from kinerja_core.csv_fields import CONTROL_CHARACTERS, FieldTooLong, bounded_records
from kinerja_core.errors import InputError, Problem

from .xlsx_reader import iter_xlsx_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_cell(value: Any) -> Any:
    """``safe_cell`` for a worksheet, which cannot hold control characters (XML forbids them):
    each is shown as U+FFFD, so any stored text exports and the reader sees where one was."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("\ufffd", value)
    return safe_cell(value)


def sniff_kind(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix in {".csv", ".txt"}:
        return "csv"
    if suffix == ".xlsx":
        return "xlsx"
    raise InputError(
        [
            Problem(
                None,
                None,
                _("unsupported file type %(suffix)s: use .csv or .xlsx")
                % {"suffix": suffix or "?"},
            )
        ]
    )


def iter_rows(stream: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number as a spreadsheet shows it, {header: value}) for a CSV or XLSX file.

    Headers are stripped; empty rows are skipped. CSV is UTF-8 (a BOM is fine) with ``,`` or ``;``.
    XLSX cells keep their types (numbers, dates); CSV cells are text.
    """
    kind = sniff_kind(filename)
    if kind == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
        except UnicodeDecodeError as exc:
            raise InputError([Problem(None, None, _("the file is not UTF-8 text"))]) from exc
        text.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        max_bytes = settings.KINERJA_CSV_FIELD_MAX_BYTES
        reader = bounded_records(text, delimiter, max_bytes)
        header: list[str] = []
        number = 1
        try:
            header = [h.strip() for h in next(reader, [])]
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                yield number, dict(zip(header, (c.strip() for c in cells), strict=False))
        except UnicodeDecodeError as exc:
            raise InputError([Problem(None, None, _("the file is not UTF-8 text"))]) from exc
        except FieldTooLong as exc:
            row = number + 1 if header else 1
            column = header[exc.index] if exc.index < len(header) else f"#{exc.index + 1}"
            raise InputError(
                [Problem(row, column, _("more than %(n)d bytes in one cell") % {"n": max_bytes})]
            ) from None
        return
    rows = iter_xlsx_rows(stream)
    header = [str(h).strip() if h is not None else "" for h in next(rows, (0, ()))[1]]
    for number, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield (
            number,
            {
                h: (v.strip() if isinstance(v, str) else v)
                for h, v in zip(header, values, strict=False)
            },
        )


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream a CSV download (UTF-8 with BOM so Excel opens it right)."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def generate() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([cell_text(safe_cell(v)) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return str(value)


def xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    number_format: str = "#,##0.00",
    layout: Callable[[Any], None] | None = None,
) -> bytes:
    """An XLSX workbook: one (title, header, rows) per sheet; numbers stay numbers. ``layout``
    is called with each finished sheet (print set-up, widths) before the workbook is saved."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook(write_only=False)
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook has one empty sheet
    book.remove(first)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = number_format
                elif isinstance(cell.value, datetime | date):
                    cell.number_format = "yyyy-mm-dd"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        if layout is not None:
            layout(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
