"""Hostile spreadsheets for the import limit tests, made small and fast, shaped like the attacks.

``zip_bomb_xlsx`` writes its zip by hand: one compressed megabyte repeated as a raw deflate
block, so a part that inflates to hundreds of megabytes costs a fraction of a second to build.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

MIB = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def bogus_dimension_xlsx() -> bytes:
    """A few cells in a sheet that declares every cell Excel allows (A1:XFD1048576).

    openpyxl pads each row to the declared width, and the rows the sheet skips before its last
    one: here a million rows of 16 384 cells to look at.
    """
    parts = parts_of(workbook([["code", "name"], ["X1", "RW 1"]]))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<dimension ref=")
    end = sheet.index("/>", start) + 2
    sheet = sheet[:start] + '<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    last = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>X2</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</sheetData>", last + "</sheetData>"
    ).encode()
    return rezip(parts)


def zip_bomb_xlsx(inflated_mib: int) -> bytes:
    """A workbook whose one shared string inflates to ``inflated_mib`` MiB of "A"."""
    parts = parts_of(workbook([["code"], ["X1"]]))
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{SHARED_STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>'
    ).encode()
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    tail = b"</t></si></sst>"
    chunk = b"A" * MIB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the packer forgets what came before: the same megabyte packs the same.
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(inflated_mib):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    entries = [
        (name, zlib.compress(data)[2:-4], zlib.crc32(data), len(data))
        for name, data in parts.items()
        if name != SHARED_STRINGS
    ]
    bomb = first + block * inflated_mib + last
    entries.append((SHARED_STRINGS, bomb, crc, len(head) + inflated_mib * MIB + len(tail)))
    return raw_zip(entries)


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated parts: (name, raw deflate bytes, CRC-32, inflated size)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, packed, crc, size in entries:
        encoded = name.encode()
        offset = out.tell()
        # From "version needed" to "extra field length": the same in both headers of a part.
        common = struct.pack("<5H3L2H", 20, 0, 8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        out.write(b"PK\x03\x04" + common + encoded + packed)
        directory.write(
            b"PK\x01\x02" + struct.pack("<H", 20) + common
            + struct.pack("<3H2L", 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    out.write(directory.getvalue())
    count = len(entries)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0
        )
    )
    return out.getvalue()
