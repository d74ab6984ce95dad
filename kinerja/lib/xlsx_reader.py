"""Reading an uploaded XLSX within bounds, so that a hostile workbook costs neither memory nor time.

An XLSX file is a zip of XML parts. Before openpyxl opens one, its zip directory is checked (a
few bytes a part): too many parts, or a part that would inflate beyond
``KINERJA_XLSX_MAX_PART_BYTES`` or beyond ``KINERJA_XLSX_MAX_RATIO`` times its compressed size
(a zip bomb), and the file is refused. Python's zipfile never inflates a part beyond the size the
directory declares, so the declared sizes do bound what openpyxl can read. The first sheet is
then read streaming with the dimension the file declares ignored (openpyxl would pad every row
and the sheet to it: a 1.5 KB file declaring ``A1:XFD1048576`` spun for minutes), and refused
beyond ``KINERJA_XLSX_MAX_ROWS`` rows or ``KINERJA_XLSX_MAX_COLUMNS`` columns. See
docs/security.md.
"""

from __future__ import annotations

import logging
import struct
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from kinerja_core.errors import InputError, Problem

logger = logging.getLogger(__name__)

# The end-of-central-directory record: signature, disk numbers, entry counts, directory size and
# offset, comment length; it sits in the last 22 bytes plus a comment of at most 64 KiB.
END_RECORD = struct.Struct("<4s4H2LH")
END_SIGNATURE = b"PK\x05\x06"
END_SEARCH = END_RECORD.size + 0xFFFF
# A directory entry takes ~100 bytes for a part name of an XLSX; 1 KiB each is generous, and
# bounds the memory zipfile spends on the directory whatever count the file claims.
DIRECTORY_BYTES_PER_PART = 1024
# Parts smaller than this are not held to the ratio: they cannot exhaust memory, and a tiny XML
# part may compress unusually well.
RATIO_EXEMPT_BYTES = 1024 * 1024


def refused(message: str, row: int | None = None, column: str | None = None) -> InputError:
    return InputError([Problem(row, column, message)])


def unreadable(error: object) -> InputError:
    return refused(_("not a readable XLSX file: %(error)s") % {"error": error})


def check_archive(stream: IO[bytes]) -> None:
    """Refuse a zip whose directory or parts are beyond the limits; leaves the stream at 0."""
    max_parts: int = settings.KINERJA_XLSX_MAX_PARTS
    max_part: int = settings.KINERJA_XLSX_MAX_PART_BYTES
    max_ratio: int = settings.KINERJA_XLSX_MAX_RATIO
    size = stream.seek(0, 2)
    stream.seek(max(0, size - END_SEARCH))
    tail = stream.read()
    at = tail.rfind(END_SIGNATURE)
    if at < 0 or len(tail) - at < END_RECORD.size:
        raise unreadable(_("no zip directory"))
    _sig, _disk, _start, _here, parts, directory, _offset, _note = END_RECORD.unpack_from(tail, at)
    if parts > max_parts or directory > max_parts * DIRECTORY_BYTES_PER_PART:
        raise refused(_("the XLSX file has too many parts (at most %(n)d)") % {"n": max_parts})
    stream.seek(0)
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise unreadable(exc) from exc
    if len(infos) > max_parts:
        raise refused(_("the XLSX file has too many parts (at most %(n)d)") % {"n": max_parts})
    for info in infos:
        if info.file_size > max_part:
            raise refused(
                _("part %(part)s of the XLSX file unpacks to %(size)d MB (at most %(max)d MB)")
                % {
                    "part": info.filename,
                    "size": info.file_size // 1_000_000,
                    "max": max_part // 1_000_000,
                }
            )
        if info.file_size > RATIO_EXEMPT_BYTES and info.file_size > max_ratio * info.compress_size:
            raise refused(
                _(
                    "part %(part)s of the XLSX file unpacks to %(ratio)d times its packed size "
                    "(at most %(max)d times): not an ordinary spreadsheet"
                )
                % {
                    "part": info.filename,
                    "ratio": info.file_size // max(1, info.compress_size),
                    "max": max_ratio,
                }
            )
    stream.seek(0)


def iter_xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of the first sheet, empty rows included, within the limits."""
    from openpyxl import load_workbook

    check_archive(stream)
    max_rows: int = settings.KINERJA_XLSX_MAX_ROWS
    max_columns: int = settings.KINERJA_XLSX_MAX_COLUMNS
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises any kind of error for a damaged file (KeyError, ValueError, zip and
        # XML errors…): each is the user's "not readable"; the log keeps the cause.
        logger.warning("unreadable XLSX workbook", exc_info=True)
        raise unreadable(exc) from exc
    try:
        if not book.worksheets:
            raise unreadable(_("no sheet"))
        sheet = book.worksheets[0]
        # Not the dimension the file claims: only the cells it holds.
        sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet fails as variously, while it is read
                logger.warning("unreadable XLSX sheet", exc_info=True)
                raise unreadable(exc) from exc
            if number > max_rows:
                raise refused(_("the sheet has more than %(n)d rows") % {"n": max_rows}, row=number)
            if len(values) > max_columns:
                raise refused(
                    _("the row has cells beyond column %(n)d; delete the columns after it")
                    % {"n": max_columns},
                    row=number,
                )
            yield number, values
    finally:
        book.close()
