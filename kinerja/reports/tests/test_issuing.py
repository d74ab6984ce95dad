"""Issuing a document: the exact PDF frozen with number, hash and a QR code on every page to its
public verification page; re-issuing keeps the old version; unapproved years are refused."""

from __future__ import annotations

import hashlib
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.ops.backup import do_backup
from kinerja.plan.models import Plan
from kinerja.reports.actions import do_issue_document
from kinerja.reports.models import IssuedDocument, Signatory, SigningDate
from kinerja.reports.tests.files import page_count, page_text, qr_codes
from kinerja.results.actions import do_recompute
from kinerja.results.tests.plans import approve, put

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signed")]

PUBLIC = "https://kinerja.contoh.go.id"


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.KINERJA_PUBLIC_URL = PUBLIC


def stored(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        content: bytes = handle.read()
    return content


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_it_freezes_the_pdf_with_a_qr_code_to_its_verification_page_on_every_page(uji, staff):
    document = do_issue_document(staff["head"], uji, "iku", 2021)
    content = stored(document)
    url = f"{PUBLIC}/v/{document.code}"
    assert document.number == "IKU/kec-uji/2021/V1" and document.version == 1
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.issued_by == staff["head"] and document.issued_by_name == "head"
    pages = page_count(content)
    assert pages >= 2
    for page in range(1, pages + 1):
        assert qr_codes(content, page) == [url], f"page {page}"
        assert f"kinerja.contoh.go.id/v/{document.code}" in page_text(content, page)
        assert "IKU/kec-uji/2021/V1" in page_text(content, page)


def test_reissuing_makes_a_new_version_and_never_changes_the_old_file(uji, staff, settings):
    first = do_issue_document(staff["planner"], uji, "pk", 2022)
    before = stored(first)
    # the data change after issuing: a new value and a recompute
    put(uji, "served", "kel-satu", "2022", 99)
    do_recompute(uji, years=[2022])
    second = do_issue_document(staff["planner"], uji, "pk", 2022)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.number == "PK/kec-uji/2022/V2" and second.code != first.code
    assert stored(first) == before and first.sha256 == hashlib.sha256(before).hexdigest()
    assert first.file.name != second.file.name
    assert len(media_files(settings)) == 2


def test_it_refuses_a_results_document_of_an_unapproved_year_with_the_reason(uji, staff, settings):
    with pytest.raises(
        ValidationError,
        match="realisasi tahun 2021 pada rencana uji belum disetujui kepala unit \\(status: belum diajukan",
    ):
        do_issue_document(staff["head"], uji, "capaian", 2021)
    assert not IssuedDocument.objects.exists() and media_files(settings) == []
    approve(uji, 2021, staff["planner"], staff["head"])
    document = do_issue_document(staff["head"], uji, "capaian", 2021)
    assert document.kind == "capaian" and document.version == 1


def test_it_refuses_a_survey_report_of_an_approved_year_without_answers(uji, staff, settings):
    approve(uji, 2021, staff["planner"], staff["head"])
    with pytest.raises(ValidationError, match="belum ada jawaban survei"):
        do_issue_document(staff["head"], uji, "skm", 2021)
    assert not IssuedDocument.objects.exists() and media_files(settings) == []


def test_it_refuses_an_officer_of_another_unit_and_a_section_without_the_right(uji, staff):
    for user in (staff["outsider"], staff["operator"]):
        with pytest.raises(PermissionDenied):
            do_issue_document(user, uji, "iku", 2021)
    assert not IssuedDocument.objects.exists()


def test_it_needs_the_public_address_it_prints(uji, staff, settings):
    settings.KINERJA_PUBLIC_URL = ""
    with pytest.raises(ValidationError, match="KINERJA_PUBLIC_URL"):
        do_issue_document(staff["head"], uji, "iku", 2021)
    document = do_issue_document(staff["head"], uji, "iku", 2021, "http://192.0.2.7:8000")
    assert qr_codes(stored(document), 1) == [f"http://192.0.2.7:8000/v/{document.code}"]


def test_it_issues_from_the_command_line(uji, staff, tmp_path):
    out = tmp_path / "pk.pdf"
    printed = StringIO()
    call_command(
        "report",
        "write",
        "pk",
        "--year",
        "2022",
        "--issue",
        "--as",
        "head",
        "-o",
        str(out),
        "--plan",
        "uji",
        stdout=printed,
    )
    document = IssuedDocument.objects.get()
    assert out.read_bytes() == stored(document)
    assert document.number in printed.getvalue() and document.sha256 in printed.getvalue()
    with pytest.raises(CommandError, match="PDF"):
        call_command(
            "report",
            "write",
            "pk",
            "--format",
            "docx",
            "--issue",
            "--plan",
            "uji",
            "-o",
            str(tmp_path / "x.docx"),
        )
    with pytest.raises(CommandError):
        call_command(
            "report",
            "write",
            "pk",
            "--issue",
            "--as",
            "outsider",
            "--plan",
            "uji",
            "-o",
            str(tmp_path / "y.pdf"),
        )
    assert IssuedDocument.objects.count() == 1


def test_the_reports_page_issues_and_lists_the_versions(uji, staff, login):
    client = login(staff["head"])
    response = client.post(
        reverse("reports:issue", args=["iku"]), {"plan": "uji", "year": "2021"}, follow=True
    )
    document = IssuedDocument.objects.get()
    page = response.content.decode()
    assert document.number in page
    assert reverse("documents_public:verify", args=[document.code]) in page
    assert qr_codes(stored(document), 1) == [f"{PUBLIC}/v/{document.code}"]
    refused = login(staff["outsider"]).post(
        reverse("reports:issue", args=["iku"]), {"plan": "uji", "year": "2021"}
    )
    assert refused.status_code == 403 and IssuedDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # a SQLite backup waits for open transactions
def test_the_backup_carries_the_issued_files(uji, staff, tmp_path):
    document = do_issue_document(staff["head"], uji, "iku", 2021)
    archive = tmp_path / "backup.tar.gz"
    do_backup(archive)
    with tarfile.open(archive) as tar:
        member = tar.extractfile(f"media/{document.file.name}")
        assert member is not None and member.read() == stored(document)


def test_it_refuses_a_document_that_would_print_draf_naming_what_is_missing(uji, staff, settings):
    SigningDate.objects.filter(unit=uji.unit, kind="pk", year=2022).delete()
    with pytest.raises(ValidationError, match="DRAF.*tanggal penandatanganan belum dicatat"):
        do_issue_document(staff["head"], uji, "pk", 2022)
    Signatory.objects.filter(role="superior").delete()
    with pytest.raises(ValidationError, match="nama atasan \\(pihak kedua\\)"):
        do_issue_document(staff["head"], uji, "pk", 2023)
    Plan.objects.filter(pk=uji.pk).update(document={})
    uji.refresh_from_db()
    with pytest.raises(ValidationError, match="tanggal penandatanganan"):
        do_issue_document(staff["head"], uji, "iku", 2021)
    assert not IssuedDocument.objects.exists() and media_files(settings) == []
