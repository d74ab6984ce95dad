"""The public verification page of an issued document and each unit's list of them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.reports.actions import do_issue_document
from kinerja.reports.models import IssuedDocument
from kinerja.reports.tests.files import qr_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signed")]


@pytest.fixture
def issued(uji, staff, settings):
    settings.KINERJA_PUBLIC_URL = "https://kinerja.contoh.go.id"
    return do_issue_document(staff["head"], uji, "pk", 2022)


def content_of(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        content: bytes = handle.read()
    return content


def upload(client, document, content: bytes, name: str = "pk.pdf"):
    return client.post(
        reverse("documents_public:verify", args=[document.code]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_the_printed_qr_code_opens_the_page_that_describes_the_document(client, issued):
    (url,) = qr_codes(content_of(issued), 1)
    path = url.removeprefix("https://kinerja.contoh.go.id")
    page = client.get(path).content.decode()
    for shown in (issued.title, "Uji", "2022", issued.sha256, "head", issued.number):
        assert shown in page, shown
    assert "versi terbaru" in page


def test_an_upload_of_the_issued_file_matches_and_one_changed_byte_does_not(client, issued):
    content = content_of(issued)
    same = upload(client, issued, content)
    assert same.status_code == 200 and "cocok" in same.content.decode()
    assert "tidak cocok" not in same.content.decode()
    changed = bytearray(content)
    middle = len(changed) // 2
    changed[middle] = (changed[middle] + 1) % 256
    differs = upload(client, issued, bytes(changed))
    assert differs.status_code == 200 and "tidak cocok" in differs.content.decode()


def test_an_older_version_says_a_newer_one_exists(client, issued, staff, uji):
    newer = do_issue_document(staff["head"], uji, "pk", 2022)
    old_page = client.get(reverse("documents_public:verify", args=[issued.code])).content
    assert "Versi yang lebih baru (versi 2)" in old_page.decode()
    assert reverse("documents_public:verify", args=[newer.code]) in old_page.decode()
    # the new version's file does not pass for the old one
    assert "tidak cocok" in upload(client, issued, content_of(newer)).content.decode()


def test_it_refuses_a_file_that_is_not_a_pdf_or_too_large_politely(client, issued, settings):
    not_pdf = upload(client, issued, b"PK\x03\x04 a zip file", "pk.pdf")
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.content.decode()
    settings.KINERJA_VERIFY_MAX_BYTES = 1024
    large = upload(client, issued, b"%PDF-1.7\n" + b"0" * 2048)
    assert large.status_code == 413 and "lebih besar dari" in large.content.decode()
    huge = upload(client, issued, b"%PDF-1.7\n" + b"0" * 200_000)  # past the form's overhead
    assert huge.status_code == 413
    empty = client.post(reverse("documents_public:verify", args=[issued.code]), {})
    assert empty.status_code == 400


def test_public_pages_are_rate_limited(client, issued, settings):
    settings.KINERJA_PUBLIC_PAGE_RATE = 2
    url = reverse("documents_public:verify", args=[issued.code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert upload(client, issued, content_of(issued)).status_code == 429


def test_the_units_page_lists_its_issued_documents_by_year(client, issued, staff, uji):
    do_issue_document(staff["head"], uji, "iku", 2021)
    page = client.get(reverse("documents_public:unit", args=["kec-uji"])).content.decode()
    assert page.index("2022") < page.index("2021")
    assert issued.number in page and "IKU/kec-uji/2021/V1" in page
    file = client.get(reverse("documents_public:file", args=[issued.code]))
    assert b"".join(file.streaming_content) == content_of(issued)
    assert client.get(reverse("documents_public:unit", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("documents_public:verify", args=["tidakada22"])).status_code == 404
