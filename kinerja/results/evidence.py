"""Evidence files of manual values: PDF, JPEG or PNG up to 5 MB, checked by their first bytes.

Scans and photos of the register page or the signed letter are what offices have; the content
is checked, not the name, because other staff open these files.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def evidence_type(upload: IO[bytes], size: int | None) -> str:
    """The real content type of an evidence file; ValidationError for anything else."""
    if size is not None and size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The evidence file is larger than 5 MB."))
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in MAGIC.items():
        if head.startswith(magic):
            return content_type
    raise ValidationError(_("Evidence must be a PDF, JPEG or PNG file."))
