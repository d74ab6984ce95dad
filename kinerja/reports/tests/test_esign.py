"""The optional electronic signature: a PKCS#12 certificate made here signs issued PDFs so that
pyHanko's validator accepts them; an unusable certificate stops start-up and issuing."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from kinerja.reports.actions import do_issue_document
from kinerja.reports.esign import check_signing_certificate
from kinerja.reports.models import IssuedDocument
from kinerja.reports.tests.files import qr_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signed")]

PASSWORD = "rahasia-uji"


def certificate(not_before: datetime, not_after: datetime):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Camat Uji"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kecamatan Uji"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


@pytest.fixture
def p12(settings, tmp_path):
    """Write a PKCS#12 file valid from yesterday for a year; return (path, certificate)."""

    def make(days_valid: int = 365, password: str = PASSWORD):
        now = datetime.now(UTC)
        key, cert = certificate(now - timedelta(days=1), now + timedelta(days=days_valid))
        path = tmp_path / "ttd.p12"
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"ttd", key, cert, None, BestAvailableEncryption(PASSWORD.encode())
            )
        )
        settings.KINERJA_SIGNING_P12 = str(path)
        settings.KINERJA_SIGNING_P12_PASSWORD = password
        settings.KINERJA_PUBLIC_URL = "https://kinerja.contoh.go.id"
        return path, cert

    return make


def test_an_issued_pdf_carries_a_signature_pyhankos_validator_accepts(uji, staff, p12):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _path, cert = p12()
    assert check_signing_certificate() == []
    document = do_issue_document(staff["head"], uji, "pk", 2022)
    with document.file.open("rb") as handle:
        content = handle.read()
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    trusted = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[trusted], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted, status.summary()
    assert status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    assert "CN=Camat Uji" in document.signed_by
    # the signature is an incremental update: the QR code is still on the page
    assert qr_codes(content, 1) == [f"https://kinerja.contoh.go.id/v/{document.code}"]


def test_a_wrong_password_stops_start_up_and_issuing(uji, staff, p12, settings):
    p12(password="salah")
    (error,) = check_signing_certificate()
    assert error.id == "kinerja.E201" and "kata sandi salah" in error.msg
    with pytest.raises(ValidationError, match="kata sandi salah"):
        do_issue_document(staff["head"], uji, "pk", 2022)
    assert not IssuedDocument.objects.exists()


def test_an_expired_certificate_stops_start_up_and_issuing(uji, staff, p12):
    p12(days_valid=-1)
    (error,) = check_signing_certificate()
    assert error.id == "kinerja.E201" and "kedaluwarsa" in error.msg
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        do_issue_document(staff["head"], uji, "pk", 2022)
    assert not IssuedDocument.objects.exists()


def test_a_missing_certificate_file_is_a_start_up_error(settings, tmp_path):
    settings.KINERJA_SIGNING_P12 = str(tmp_path / "tidak-ada.p12")
    (error,) = check_signing_certificate()
    assert error.id == "kinerja.E201" and "tidak dapat dibaca" in error.msg


def test_without_a_certificate_nothing_is_signed(uji, staff, settings):
    settings.KINERJA_SIGNING_P12 = ""
    settings.KINERJA_PUBLIC_URL = "https://kinerja.contoh.go.id"
    assert check_signing_certificate() == []
    document = do_issue_document(staff["head"], uji, "pk", 2022)
    assert document.signed_by == ""
    with document.file.open("rb") as handle:
        assert b"/ByteRange" not in handle.read()
