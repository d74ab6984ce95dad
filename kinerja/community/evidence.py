"""Evidence files: what we accept, checked by content (magic bytes), not by the name alone.

A file named ``foto.jpg`` that is really an HTML page or an executable is refused: evidence is
shown back to staff, so its type must be what it claims to be.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinerja.lib.xlsx_reader import check_archive
from kinerja_core.errors import InputError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# extension -> content type
ALLOWED = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}


def sniff(head: bytes, stream: IO[bytes]) -> str | None:
    """The content type the bytes really are (among those we accept), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            # The directory is bounded before zipfile reads it whole (docs/security.md).
            check_archive(stream)
            names = set(zipfile.ZipFile(stream).namelist())
        except (InputError, zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return ALLOWED[".xlsx"]
        return None
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end of the sample is still text
            if exc.start < len(head) - 4:
                return None
        return "text/csv"
    return None


def check_evidence(upload: IO[bytes], name: str, size: int) -> str:
    """Return the content type of an acceptable evidence file, or raise ValidationError."""
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB.") % {"name": name}, code="evidence_too_large"
        )
    suffix = Path(name).suffix.lower()
    expected = ALLOWED.get(suffix)
    if expected is None:
        raise ValidationError(
            _("%(name)s: only JPG, PNG, WebP, PDF, XLSX and CSV files are accepted.")
            % {"name": name},
            code="evidence_type",
        )
    upload.seek(0)
    head = upload.read(2048)
    actual = sniff(head, upload)
    upload.seek(0)
    if actual != expected:
        raise ValidationError(
            _("%(name)s is not really a %(suffix)s file.") % {"name": name, "suffix": suffix},
            code="evidence_content",
        )
    return actual
