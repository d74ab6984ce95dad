"""Documents print the stored signing date and signatories, or DRAF (docs/rules.md#signing)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from kinerja.reports.actions import SignatoryInput, do_save_signatory, do_save_signing_date
from kinerja.reports.models import Signatory, SigningDate
from kinerja.reports.registry import render
from kinerja.reports.signing import month_of, signing_for
from kinerja_core.periods import indonesian_date

from .test_documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db

OLD_HEAD = SignatoryInput(
    "head",
    "Drs. Lama Sekali",
    "197003151995031002",
    "Pembina Tk. I (IV/b)",
    "Camat Uji",
    date(2019, 1, 2),
    date(2022, 6, 30),
)
NEW_HEAD = SignatoryInput(
    "head",
    "Baru Menjabat, S.STP.",
    "198207042001122001",
    "Pembina (IV/a)",
    "Camat Uji",
    date(2022, 7, 1),
)
MAYOR = SignatoryInput("superior", "Wali Pertama", "", "", "Wali Kota Uji", date(2019, 1, 2))


def signatories(unit) -> None:
    for data in (OLD_HEAD, NEW_HEAD, MAYOR):
        do_save_signatory(None, unit, data)


def test_a_pk_prints_its_signing_date_and_the_signatories_of_that_day(uji) -> None:
    signatories(uji.unit)
    do_save_signing_date(None, uji.unit, "pk", 2022, date(2022, 1, 14), "Uji")
    do_save_signing_date(None, uji.unit, "pk", 2023, date(2023, 1, 16), "Uji")
    for fmt, text_of in (("pdf", pdf_text), ("docx", docx_text)):
        early = text_of(render("pk", fmt, uji, 2022))
        assert "Uji, 14 Januari 2022" in early
        assert "Drs. Lama Sekali" in early and "NIP. 19700315 199503 1 002" in early
        assert "Pembina Tk. I (IV/b)" in early and "Wali Pertama" in early
        assert "DRAF" not in early
        later = text_of(render("pk", fmt, uji, 2023))
        assert "16 Januari 2023" in later and "Baru Menjabat, S.STP." in later
        assert "19820704 200112 2 001" in later and "Drs. Lama Sekali" not in later


def test_a_document_without_its_date_or_names_is_a_draft_never_dated_today(uji) -> None:
    today = indonesian_date(timezone.localdate())
    for fmt, text_of in (("pdf", pdf_text), ("docx", docx_text)):
        text = text_of(render("pk", fmt, uji, 2022))
        assert "DRAF" in text and "………" in text and today not in text
    signatories(uji.unit)  # names without a date: still a draft
    assert signing_for(uji, "pk", 2022).draft
    do_save_signing_date(None, uji.unit, "pk", 2022, date(2022, 1, 14))
    assert not signing_for(uji, "pk", 2022).draft
    Signatory.objects.filter(role="superior").delete()  # a PK needs its second party
    assert signing_for(uji, "pk", 2022).draft


def test_every_page_of_a_draft_pdf_says_draf(uji) -> None:
    content = render("capaian", "pdf", uji, 2021)
    pages = pdf_text(content).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 1 and all("DRAF" in p for p in pages)


def test_the_iku_document_is_dated_by_its_plan(uji) -> None:
    uji.document = {**uji.document, "date": "Januari 2022"}
    uji.save()
    signatories(uji.unit)
    signing = signing_for(uji, "iku", 2021)
    assert signing.date_text == "Januari 2022" and signing.name == "Drs. Lama Sekali"
    assert "Januari 2022" in pdf_text(render("iku", "pdf", uji, 2021))
    assert month_of("Januari 2022") == date(2022, 1, 1)
    assert month_of("2022") is None and month_of("Jan 2022") is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "nip": "1970"}), "nip"),
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "nip": ""}), "nip"),
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "name": " "}), "name"),
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "name": "A\x00B"}), "name"),
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "valid_to": date(2018, 1, 1)}), "valid_to"),
        (OLD_HEAD.__class__(**{**OLD_HEAD.__dict__, "valid_from": date(1900, 1, 1)}), "valid_from"),
        (NEW_HEAD.__class__(**{**NEW_HEAD.__dict__, "valid_from": date(2022, 6, 1)}), "valid_from"),
    ],
)
def test_it_refuses_a_bad_signatory_and_stores_nothing(uji, data, field) -> None:
    do_save_signatory(None, uji.unit, OLD_HEAD)
    with pytest.raises(ValidationError) as refused:
        do_save_signatory(None, uji.unit, data)
    assert field in refused.value.message_dict
    assert Signatory.objects.count() == 1


def test_it_refuses_a_signing_date_outside_the_documents_years(uji) -> None:
    with pytest.raises(ValidationError, match="antara tahun 2021 dan 2022"):
        do_save_signing_date(None, uji.unit, "pk", 2022, date(2023, 1, 5))
    with pytest.raises(ValidationError, match="antara tahun 2023 dan 2023"):
        do_save_signing_date(None, uji.unit, "lkjip", 2022, date(2022, 12, 5))
    assert not SigningDate.objects.exists()


def test_the_command_line_records_them_and_the_pk_prints_them(uji, tmp_path) -> None:
    call_command(
        "report",
        "signatory",
        "--plan",
        uji.code,
        "--name",
        "Drs. Lama Sekali",
        "--nip",
        "197003151995031002",
        "--position",
        "Camat Uji",
        "--from",
        "2019-01-02",
    )
    call_command(
        "report",
        "signatory",
        "--plan",
        uji.code,
        "--role",
        "superior",
        "--name",
        "Wali Pertama",
        "--position",
        "Wali Kota Uji",
        "--from",
        "2019-01-02",
    )
    call_command(
        "report", "signed", "pk", "--plan", uji.code, "--year", "2022", "--date", "2022-01-14"
    )
    with pytest.raises(CommandError, match="18 angka"):
        call_command(
            "report",
            "signatory",
            "--plan",
            uji.code,
            "--name",
            "X",
            "--nip",
            "12",
            "--position",
            "Camat",
            "--from",
            "2019-01-02",
        )
    out = tmp_path / "pk.pdf"
    call_command("report", "write", "pk", "--year", "2022", "--plan", uji.code, "-o", str(out))
    text = pdf_text(out.read_bytes())
    assert "14 Januari 2022" in text and "NIP. 19700315 199503 1 002" in text
    assert "Wali Pertama" in text and "DRAF" not in text


def test_a_planner_records_them_on_the_signing_page(uji, staff, login) -> None:
    client = login(staff["planner"])
    url = f"/laporan/penandatangan/?plan={uji.code}"
    page = client.get(url)
    assert page.status_code == 200 and "signatory-form" in page.text
    refused = client.post(
        url,
        {
            "save_signatory": "1",
            "s-role": "head",
            "s-name": "Camat",
            "s-nip": "12",
            "s-position": "Camat Uji",
            "s-valid_from": "2020-01-01",
        },
    )
    assert refused.status_code == 200 and "18" in refused.text
    assert not Signatory.objects.exists()
    saved = client.post(
        url,
        {
            "save_signatory": "1",
            "s-role": "head",
            "s-name": "Camat Baru",
            "s-nip": "197003151995031002",
            "s-position": "Camat Uji",
            "s-valid_from": "2020-01-01",
        },
    )
    assert saved.status_code == 302 and Signatory.objects.get().name == "Camat Baru"
    client.post(url, {"save_date": "1", "d-kind": "pk", "d-year": "2022", "d-date": "2022-01-14"})
    assert SigningDate.objects.get().date == date(2022, 1, 14)
    head = login(staff["head"])
    assert "signatory-form" not in head.get(url).text
    assert head.post(url, {"save_date": "1"}).status_code == 403


def test_a_planner_ends_and_deletes_them_on_the_signing_page(uji, staff, login) -> None:
    signatories(uji.unit)
    stored = do_save_signing_date(None, uji.unit, "pk", 2022, date(2022, 1, 14))
    mayor = Signatory.objects.get(role="superior")
    client = login(staff["planner"])
    url = f"/laporan/penandatangan/?plan={uji.code}"
    assert (
        client.post(url, {"end_signatory": mayor.pk, "last_day": "2018-01-01"}).status_code == 400
    )
    client.post(url, {"end_signatory": mayor.pk, "last_day": "2024-12-31"})
    assert Signatory.objects.get(pk=mayor.pk).valid_to == date(2024, 12, 31)
    client.post(url, {"delete_signatory": mayor.pk})
    client.post(url, {"delete_date": stored.pk})
    assert not Signatory.objects.filter(pk=mayor.pk).exists()
    assert not SigningDate.objects.exists()
    outsider = login(staff["outsider"])
    head = Signatory.objects.filter(role="head").earliest("pk")
    assert outsider.post(url, {"delete_signatory": head.pk}).status_code == 403
    assert Signatory.objects.filter(pk=head.pk).exists()
