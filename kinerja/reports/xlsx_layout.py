"""How a report's worksheet prints and reads (docs/rules.md#document-format): numbers and dates
in the Indonesian display format while they stay numbers and dates, the header frozen and
repeated on every printed page, landscape A4, one page wide, long text wrapped."""

from __future__ import annotations

from math import ceil
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.properties import PageSetupProperties

# [$-421] is the Indonesian locale (LCID 0x0421): LibreOffice and Excel then show 1.200,50
# and "30 Juni 2025" whatever the reader's own locale.
LOCALE = "[$-421]"
NUMBER = LOCALE + "#,##0.00"
INTEGER = LOCALE + "#,##0"
DATE = LOCALE + "d mmmm yyyy"
TEXT_COLUMN_WIDTH = 40  # a column holding longer text is capped at this width and wraps
NUMBER_COLUMN_WIDTH = 9
LINE_POINTS = 12.5


def lay_out(sheet: Any) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = NUMBER if isinstance(cell.value, float) else INTEGER
            elif cell.is_date:
                cell.number_format = DATE
    widths = {}
    for column in sheet.columns:
        letter = column[0].column_letter
        body = [c.value for c in column[1:] if c.value is not None]
        numbers = bool(body) and all(isinstance(v, int | float) for v in body)
        longest = max((len(str(v)) for v in body), default=0)
        header_words = max((len(w) for w in str(column[0].value or "").split()), default=0)
        if numbers:  # the header wraps over its words: the column is as wide as its numbers
            width = max(longest + 4, header_words + 2, NUMBER_COLUMN_WIDTH)
        else:
            width = min(max(longest, header_words) + 2, TEXT_COLUMN_WIDTH)
        sheet.column_dimensions[letter].width = widths[letter] = width
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        # LibreOffice keeps the stored row height of an XLSX: give each row room for its
        # wrapped lines, or the lines of a long name print over the next row.
        lines = max(
            ceil(len(str(c.value or "")) / max(widths[c.column_letter] - 1, 1)) for c in row
        )
        sheet.row_dimensions[row[0].row].height = LINE_POINTS * max(lines, 1) + 3
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
