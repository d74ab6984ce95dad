"""The survey import page checks first and stores only on its uploader's confirmation
(docs/rules.md#imports-check-then-confirm); it asks the element order and offers a template."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.accounts.models import Role
from kinerja.lib.models import PendingUpload
from kinerja.surveys.models import ImportJob, Response
from kinerja.test import make_user

from .conftest import BARE_HEADER, csv_text, worked_rows

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BARE_FILE = f"{BARE_HEADER}\n2024-03-05,ktp,L,40,SMA,Swasta,4,4,4,4,4,4,4,2,4,\n"


@pytest.fixture
def kept_dir(settings: Any, tmp_path: Path) -> Path:
    settings.KINERJA_PENDING_UPLOAD_DIR = tmp_path / "pending"
    settings.KINERJA_IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return tmp_path / "pending"


@pytest.fixture
def officer(kec: Any) -> Any:
    return make_user("pemas", Role.SURVEY_OFFICER, kec)


def sheet(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).active


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def check(client: Client, kec: Any, text: str, order: str = "named", name: str = "s.csv") -> str:
    page = client.post(
        reverse("surveys:import", args=[kec.code]),
        {"file": SimpleUploadedFile(name, text.encode()), "element_order": order},
    )
    return str(page.content.decode())


def confirm_url(html: str) -> str:
    found = re.search(r'action="([^"]+/simpan/)"', html)
    assert found is not None, "no Simpan form on the page"
    return found.group(1)


def test_a_check_stores_nothing_and_simpan_stores_the_checked_file_once(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    client = signed_in(officer)
    html = check(client, kec, csv_text(worked_rows()))
    assert "29 baris diperiksa: 29 akan disimpan" in html and ">Simpan</button>" in html
    assert Response.objects.count() == 0 and len(list(kept_dir.iterdir())) == 1
    url = confirm_url(html)
    assert "29 jawaban baru disimpan" in client.post(url, {"confirm": "1"}).content.decode()
    assert Response.objects.count() == 29
    assert PendingUpload.objects.count() == 0 and list(kept_dir.iterdir()) == []
    # A second click (or a replayed form) finds nothing to store.
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert Response.objects.count() == 29


def test_nobody_else_can_confirm_a_checked_file(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    url = confirm_url(check(signed_in(officer), kec, csv_text(worked_rows())))
    colleague = make_user("pemas2", Role.SURVEY_OFFICER, kec)  # same unit, same rights
    assert signed_in(colleague).post(url, {"confirm": "1"}).status_code == 404
    assert signed_in(colleague).post(url, {"discard": "1"}).status_code == 302
    assert Response.objects.count() == 0 and PendingUpload.objects.count() == 1
    # Nor for another unit's import, even its uploader.
    other = url.replace(f"/{kec.code}/", "/kel-wonoasih/")
    admin = make_user("admin-kota", Role.ADMIN, kec.parent)
    assert signed_in(admin).post(other, {"confirm": "1"}).status_code == 404
    assert Response.objects.count() == 0


def test_an_expired_check_cannot_be_confirmed_and_is_cleaned_up(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    client = signed_in(officer)
    url = confirm_url(check(client, kec, csv_text(worked_rows())))
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(url, {"confirm": "1"}).status_code == 404
    check(client, kec, csv_text(worked_rows()))  # a later check deletes the expired file
    assert PendingUpload.objects.count() == 1 and len(list(kept_dir.iterdir())) == 1
    assert Response.objects.count() == 0


def test_each_user_keeps_a_bounded_number_of_checked_files(
    kec: Any, service: Any, officer: Any, kept_dir: Path, settings: Any
) -> None:
    settings.KINERJA_PENDING_UPLOADS_PER_USER = 2
    client = signed_in(officer)
    first = confirm_url(check(client, kec, csv_text(worked_rows())))
    for _ in range(2):
        check(client, kec, csv_text(worked_rows()))
    assert PendingUpload.objects.count() == 2 and len(list(kept_dir.iterdir())) == 2
    assert client.post(first, {"confirm": "1"}).status_code == 404  # the oldest went


def test_discard_drops_the_checked_file(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    client = signed_in(officer)
    url = confirm_url(check(client, kec, csv_text(worked_rows())))
    assert client.post(url, {"discard": "1"}).status_code == 302
    assert PendingUpload.objects.count() == 0 and list(kept_dir.iterdir()) == []
    assert client.post(url, {"confirm": "1"}).status_code == 404


def test_a_refused_file_is_not_kept(kec: Any, service: Any, officer: Any, kept_dir: Path) -> None:
    html = check(signed_in(officer), kec, BARE_FILE)  # bare codes, "the header names them"
    assert "kolom unsur hanya berisi kode" in html and "kuesioner contohnya" in html
    assert "/simpan/" not in html
    assert PendingUpload.objects.count() == 0 and list(kept_dir.iterdir()) == []


def test_the_element_order_is_a_required_choice_and_is_used_to_store(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    client = signed_in(officer)
    page = client.post(
        reverse("surveys:import", args=[kec.code]),
        {"file": SimpleUploadedFile("s.csv", BARE_FILE.encode())},
    )
    assert "Pilih cara berkas menamai kolom unsurnya." in page.content.decode()
    assert PendingUpload.objects.count() == 0
    html = check(client, kec, BARE_FILE, order="questionnaire")
    client.post(confirm_url(html), {"confirm": "1"})
    stored = Response.objects.get()
    assert (stored.u8, stored.u9) == (4, 2)  # U8 of the file is question 8: Sarana (U9)


def test_a_large_file_is_checked_by_a_job_and_stored_by_another_on_confirmation(
    kec: Any, service: Any, officer: Any, kept_dir: Path, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    settings.KINERJA_IMPORT_INLINE_MAX_BYTES = 100
    client = signed_in(officer)
    sent = client.post(
        reverse("surveys:import", args=[kec.code]),
        {
            "file": SimpleUploadedFile("big.csv", BARE_FILE.encode()),
            "element_order": "questionnaire",
        },
    )
    checking = ImportJob.objects.get()
    assert checking.dry_run and checking.element_order == "questionnaire"
    page = client.get(sent["Location"]).content.decode()
    assert "1 akan disimpan" in page and Response.objects.count() == 0
    colleague = make_user("pemas2", Role.SURVEY_OFFICER, kec)
    assert "/simpan/" not in signed_in(colleague).get(sent["Location"]).content.decode()
    stored = client.post(confirm_url(page), {"confirm": "1"})
    job = ImportJob.objects.exclude(pk=checking.pk).get()
    assert stored["Location"] == reverse("surveys:import_job", args=[job.pk])
    assert (job.state, job.dry_run, job.inserted) == ("done", False, 1)
    assert (Response.objects.get().u8, Response.objects.get().u9) == (4, 2)
    assert list(kept_dir.iterdir()) == []


def test_the_page_explains_every_column_and_offers_templates_that_import_cleanly(
    kec: Any, service: Any, officer: Any, kept_dir: Path
) -> None:
    client = signed_in(officer)
    page = client.get(reverse("surveys:import", args=[kec.code])).content.decode()
    assert "U8 Penanganan Pengaduan, Saran dan Masukan" in page and "Nilai yang diizinkan" in page
    text = (
        streamed(client.get(reverse("surveys:import_template", args=[kec.code, "csv"])))
    ).decode()
    header, example = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[7] == "U2 Sistem, Mekanisme, dan Prosedur" and example[1] == "ktp"
    for name in header:
        assert f">{name}</span>" in page  # every template column is explained
    assert "1 akan disimpan" in check(client, kec, text)
    xlsx = client.get(reverse("surveys:import_template", args=[kec.code, "xlsx"]))
    rows = list(sheet(xlsx.content).iter_rows(values_only=True))
    assert [str(c) for c in rows[0]] == header and rows[1][1] == "ktp"
    assert client.get(reverse("surveys:import_template", args=[kec.code, "exe"])).status_code == 404
