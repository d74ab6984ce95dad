from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kinerja.community.evidence import MAX_EVIDENCE_BYTES, check_evidence
from kinerja.lib.tables import xlsx_bytes


def check(name: str, data: bytes, size: int | None = None) -> str:
    return check_evidence(io.BytesIO(data), name, len(data) if size is None else size)


def test_it_accepts_each_allowed_type_by_its_content() -> None:
    assert check("a.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 20) == "image/jpeg"
    assert check("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image/png"
    assert check("a.webp", b"RIFF\x10\0\0\0WEBPVP8 ") == "image/webp"
    assert check("a.pdf", b"%PDF-1.7\n") == "application/pdf"
    assert check("hadir.xlsx", xlsx_bytes([("s", ["nama"], [["Bu Sri"]])])).endswith("sheet")
    assert check("hadir.csv", "nama,tanda tangan\nBu Sri,✓\n".encode()) == "text/csv"


@pytest.mark.parametrize(
    "name,data",
    [
        ("foto.jpg", b"<html><script>alert(1)</script>"),  # not an image
        ("foto.png", b"\xff\xd8\xff\xe0"),  # a JPEG named .png
        ("surat.pdf", b"MZ\x90\0"),  # an executable
        ("data.xlsx", b"PK\x03\x04garbage"),  # a broken zip
        ("data.csv", b"\0\x01\x02binary"),  # not text
        ("run.exe", b"MZ\x90\0"),  # not an accepted extension
        ("noext", b"%PDF-1.7"),
    ],
)
def test_it_refuses_files_that_are_not_what_they_claim(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError):
        check(name, data)


def test_it_refuses_files_over_10_mb() -> None:
    with pytest.raises(ValidationError, match="10 MB"):
        check("a.pdf", b"%PDF-1.7\n", size=MAX_EVIDENCE_BYTES + 1)
    assert check("a.pdf", b"%PDF-1.7\n", size=MAX_EVIDENCE_BYTES) == "application/pdf"


def test_it_bounds_an_xlsx_evidence_file_before_reading_its_zip_directory(settings: Any) -> None:
    """A zip directory of many thousand entries costs memory to list: evidence is held to the
    limits of the XLSX reader before its directory is read."""
    sheet = xlsx_bytes([("s", ["nama"], [["Bu Sri"]])])
    parts = len(zipfile.ZipFile(io.BytesIO(sheet)).namelist())
    settings.KINERJA_XLSX_MAX_PARTS = parts - 1
    with pytest.raises(ValidationError, match="bukan berkas .xlsx"):
        check("hadir.xlsx", sheet)
    settings.KINERJA_XLSX_MAX_PARTS = parts
    assert check("hadir.xlsx", sheet).endswith("sheet")
