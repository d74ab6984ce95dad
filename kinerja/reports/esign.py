"""The optional electronic signature of issued PDFs (PAdES, by pyHanko).

``KINERJA_SIGNING_P12`` names a PKCS#12 file; its password comes from the environment
(``KINERJA_SIGNING_P12_PASSWORD``). A configured certificate that cannot be used (missing file,
wrong password, expired or not yet valid) is a system check error at start-up, and issuing
refuses rather than store an unsigned file while a signature is expected
(docs/rules.md#issued-documents).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _


class SigningError(Exception):
    """The configured certificate cannot sign; the message says why."""


@dataclass(frozen=True)
class Certificate:
    key: Any
    cert: Any
    chain: list[Any]

    @property
    def subject(self) -> str:
        return str(self.cert.subject.rfc4514_string())


def configured() -> bool:
    return bool(settings.KINERJA_SIGNING_P12)


def load_certificate(now: datetime | None = None) -> Certificate:
    """The configured key and certificate, checked: readable, password right, valid now."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(settings.KINERJA_SIGNING_P12)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(
            _("The signing certificate %(path)s cannot be read: %(error)s")
            % {"path": path, "error": exc.strerror or exc}
        ) from exc
    password = settings.KINERJA_SIGNING_P12_PASSWORD
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise SigningError(
            _(
                "The signing certificate %(path)s cannot be opened: wrong password "
                "(KINERJA_SIGNING_P12_PASSWORD) or not a PKCS#12 file."
            )
            % {"path": path}
        ) from exc
    if key is None or cert is None:
        raise SigningError(
            _("The signing certificate %(path)s holds no private key and certificate.")
            % {"path": path}
        )
    now = now or datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(
            _("The signing certificate %(path)s expired on %(date)s.")
            % {"path": path, "date": cert.not_valid_after_utc.date().isoformat()}
        )
    if cert.not_valid_before_utc > now:
        raise SigningError(
            _("The signing certificate %(path)s is valid only from %(date)s.")
            % {"path": path, "date": cert.not_valid_before_utc.date().isoformat()}
        )
    return Certificate(key, cert, list(chain))


def sign_pdf(pdf: bytes, certificate: Certificate, reason: str, location: str) -> bytes:
    """``pdf`` with a PAdES signature (one incremental update) by ``certificate``."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def asn1(cert: Any) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))

    signer = signers.SimpleSigner(
        signing_cert=asn1(certificate.cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            certificate.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1(c) for c in certificate.chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Tanda_Tangan_Elektronik",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    signed: bytes = out.getvalue()
    return signed


def check_signing_certificate(**_kwargs: Any) -> list[checks.CheckMessage]:
    """Start-up check (``kinerja check``, ``kinerja server run``): a configured certificate
    must be usable, so no issued PDF goes out unsigned while one is expected."""
    if not configured():
        return []
    try:
        load_certificate()
    except SigningError as exc:
        return [
            checks.Error(
                str(exc),
                hint=_(
                    "Fix KINERJA_SIGNING_P12 and KINERJA_SIGNING_P12_PASSWORD, or unset "
                    "KINERJA_SIGNING_P12 to issue documents without an electronic signature."
                ),
                id="kinerja.E201",
            )
        ]
    return []
