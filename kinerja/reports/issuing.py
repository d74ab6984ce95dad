"""Making the PDF of an issued document: the verification mark on every page, the optional
electronic signature, the hash (docs/rules.md#issued-documents).

The mark (a QR code and the short address of the public verification page, with the number and
version) is part of the PDF the office files, so the address must be known before the file is
drawn: the verification code is chosen first, the PDF rendered with it, then signed, then hashed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.plan.models import Plan

from . import esign
from .registry import DOCUMENTS, TITLES, check
from .renderers import pdf


@dataclass(frozen=True)
class Mark:
    """What every page of an issued PDF carries."""

    number: str
    version: int
    url: str
    qr_svg_uri: str

    @property
    def short_url(self) -> str:
        return self.url.split("://", 1)[-1]


class Draft(Exception):
    """A document that would print DRAF is never issued (docs/rules.md#issued-documents)."""


def verification_url(base: str, code: str) -> str:
    return base.rstrip("/") + reverse("documents_public:verify", args=[code])


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI; error correction M survives a smudged print."""
    import segno

    uri: str = segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#000")
    return uri


def document_number(kind: str, unit_code: str, year: int, version: int) -> str:
    return f"{kind.upper()}/{unit_code}/{year}/V{version}"


def mark_for(number: str, version: int, base: str, code: str) -> Mark:
    url = verification_url(base, code)
    return Mark(number=number, version=version, url=url, qr_svg_uri=qr_data_uri(url))


def issued_pdf(kind: str, plan: Plan, year: int, mark: Mark, on: date | None = None) -> bytes:
    """The document's PDF with ``mark`` on every page, signed when a certificate is configured."""
    check(kind, "pdf")
    data = DOCUMENTS[kind].build(plan, year, on)
    signing = data.common.signing
    if signing.draft:
        raise Draft(
            _(
                "%(title)s %(year)s cannot be issued: it is still a draft (DRAF) because "
                "%(missing)s is not recorded. Record it under Laporan → Penandatangan "
                "(or `kinerja report signed`) and issue again."
            )
            % {
                "title": TITLES[kind],
                "year": year,
                "missing": ", ".join(str(m) for m in signing.missing),
            }
        )
    content = pdf(f"reports/{kind}.html", data, {"issued": mark})
    if esign.configured():
        certificate = esign.load_certificate()
        content = esign.sign_pdf(
            content,
            certificate,
            reason=f"Dokumen resmi {mark.number}",
            location=data.common.signing.place,
        )
    return content


def signer_name() -> str:
    """Who signs issued PDFs now (the certificate's subject), empty without a certificate."""
    return esign.load_certificate().subject if esign.configured() else ""


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
