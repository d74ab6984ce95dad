"""Evidence documents (of manual values, of published IKM values): PDF, JPEG or PNG up to 5 MB,
checked by their first bytes.

Scans and photos of the register page, the signed letter or the printed report are what offices
have; the content is checked, not the name, because other staff open these files.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
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


def evidence_response(stored: FieldFile, content_type: str) -> FileResponse:
    """A stored evidence file for the browser: inline only as the type it was checked to be,
    never sniffed into HTML."""
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"), content_type=content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f'inline; filename="{(stored.name or "").rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
