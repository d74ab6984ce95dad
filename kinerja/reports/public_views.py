"""Public pages of issued documents (no login): the verification page a printed QR code opens,
where anyone may upload a PDF to check it is the issued one, the issued file itself, and each
unit's list of issued documents by year (docs/rules.md#issued-documents)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts.models import OrgUnit
from kinerja.surveys import ratelimit

from .models import IssuedDocument
from .registry import TITLES

PDF_MAGIC = b"%PDF-"
# Room for the multipart headers and the CSRF field around the file in the request's length.
FORM_OVERHEAD_BYTES = 64 * 1024


def page_limited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Count every request (an upload too) against KINERJA_PUBLIC_PAGE_RATE, as the survey's
    public pages do; past it, their short 429 page."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not ratelimit.allow_page(request):
            response = render(request, "surveys/public/too_many.html", status=429)
            response["Retry-After"] = str(ratelimit.PAGE_WINDOW)
            return response
        return view(request, *args, **kwargs)

    return limited


def newest_of(document: IssuedDocument) -> IssuedDocument:
    newest: IssuedDocument = (
        IssuedDocument.objects.filter(plan=document.plan, kind=document.kind, year=document.year)
        .order_by("-version")
        .first()
    ) or document
    return newest


def upload_verdict(request: HttpRequest, document: IssuedDocument) -> tuple[str, int, str]:
    """(verdict, status, message): verdict "match", "mismatch" or "refused"."""
    limit = settings.KINERJA_VERIFY_MAX_BYTES
    too_large = _(
        "The file is larger than %(limit)s MB: an issued document is never that large, so "
        "it cannot be the issued one."
    ) % {"limit": limit // (1024 * 1024)}
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + FORM_OVERHEAD_BYTES:  # refused before anything reads the body
        return "refused", 413, too_large
    upload = request.FILES.get("file")
    if upload is None:
        return "refused", 400, _("Choose the PDF file to check.")
    if upload.size is not None and upload.size > limit:
        return "refused", 413, too_large
    digest = hashlib.sha256()
    first = b""
    for chunk in upload.chunks():
        first = first or chunk[: len(PDF_MAGIC)]
        digest.update(chunk)
    if not first.startswith(PDF_MAGIC):
        return "refused", 400, _("This file is not a PDF. Upload the PDF file of the document.")
    if digest.hexdigest() == document.sha256:
        return "match", 200, _("This file matches the issued document: not one byte differs.")
    return (
        "mismatch",
        200,
        _(
            "This file does not match the issued document: it was changed after issuing, or "
            "it is another document."
        ),
    )


@page_limited
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = get_object_or_404(IssuedDocument.objects.select_related("unit"), code=code)
    newest = newest_of(document)
    context: dict[str, Any] = {
        "document": document,
        "newest": newest if newest.pk != document.pk else None,
        "max_mb": settings.KINERJA_VERIFY_MAX_BYTES // (1024 * 1024),
    }
    status = 200
    if request.method == "POST":
        context["verdict"], status, context["message"] = upload_verdict(request, document)
    return render(request, "reports/public/verify.html", context, status=status)


@page_limited
@require_GET
def issued_file(request: HttpRequest, code: str) -> FileResponse:
    document = get_object_or_404(IssuedDocument, code=code)
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=str(document.file.name).rsplit("/", 1)[-1],
    )


@page_limited
@require_GET
def unit_documents(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, code=unit_code)
    documents = IssuedDocument.objects.filter(unit=unit).order_by("-year", "kind", "-version")
    years: dict[int, list[IssuedDocument]] = {}
    for document in documents:
        years.setdefault(document.year, []).append(document)
    order = list(TITLES)
    for items in years.values():
        items.sort(
            key=lambda d: (order.index(d.kind) if d.kind in order else len(order), -d.version)
        )
    return render(request, "reports/public/unit_documents.html", {"unit": unit, "years": years})
