"""The registry import page: check first, store on its uploader's confirmation, with the same
kept-file mechanism as survey imports (docs/rules.md#imports-check-then-confirm); every column
explained, and templates that import cleanly."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.community.models import Activity, Group
from kinerja.lib.models import PendingUpload

from .factories import make_group

pytestmark = pytest.mark.django_db

GROUPS = b"code,name,kind,kelurahan,established\nWNS-RT09,RT 09,RT,Wonoasih,2020-01-01\n"


@pytest.fixture
def kept_dir(settings: Any, tmp_path: Path) -> Path:
    settings.KINERJA_PENDING_UPLOAD_DIR = tmp_path / "pending"
    return tmp_path / "pending"


def sheet(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).active


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def check(client: Client, data: bytes, name: str = "g.csv", kind: str = "") -> Any:
    return client.post(
        reverse("community:import"), {"file": SimpleUploadedFile(name, data), "kind": kind}
    )


def test_only_the_uploader_can_store_a_checked_file(people: Any, kept_dir: Path) -> None:
    checked = check(signed_in(people["operator"]), GROUPS)
    url = checked.context["confirm_url"]
    assert not Group.objects.exists() and len(list(kept_dir.iterdir())) == 1
    for other in (people["head"], people["admin"], people["outsider"]):
        assert signed_in(other).post(url, {"confirm": "1"}).status_code in (403, 404)
    assert not Group.objects.exists() and PendingUpload.objects.count() == 1
    stored = signed_in(people["operator"]).post(url, {"confirm": "1"})
    assert stored.context["report"].created == 1 and not stored.context["report"].dry_run
    assert Group.objects.get().code == "WNS-RT09" and list(kept_dir.iterdir()) == []


def test_a_survey_check_cannot_be_confirmed_as_a_registry_file(people: Any, kept_dir: Path) -> None:
    client = signed_in(people["operator"])
    url = check(client, GROUPS).context["confirm_url"]
    PendingUpload.objects.update(purpose="surveys:import:kel-wonoasih")
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not Group.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused_and_not_kept(
    people: Any, kept_dir: Path
) -> None:
    page = check(signed_in(people["operator"]), GROUPS, name="g.exe")
    assert page.context["problems"] and "/simpan/" not in page.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("kind", ["groups", "activities"])
def test_each_template_is_explained_on_the_page_and_imports_cleanly(
    people: Any, kept_dir: Path, kind: str
) -> None:
    make_group("WNS-RW01", date(2010, 1, 1), kind="rw")  # the activities example's group
    client = signed_in(people["operator"])
    page = client.get(reverse("community:import")).content.decode()
    template = reverse("community:import_template")
    assert f"{template}?kind={kind}&amp;format=xlsx" in page
    text = streamed(client.get(template, {"kind": kind, "format": "csv"}))
    header, example = list(csv.reader(io.StringIO(text.decode().lstrip("\ufeff"))))
    for name in header:
        assert f">{name}</span>" in page
    assert "Nilai yang diizinkan" in page
    checked = check(client, text, kind=kind)
    assert checked.context["report"].rows == 1, checked.context.get("problems")
    client.post(checked.context["confirm_url"], {"confirm": "1"})
    if kind == "groups":
        assert Group.objects.filter(code=example[0]).exists()
    else:
        assert Activity.objects.get().title == example[header.index("title")]
    xlsx = client.get(template, {"kind": kind, "format": "xlsx"})
    rows = list(sheet(xlsx.content).iter_rows(values_only=True))
    assert [str(c) for c in rows[0]] == header
    missing = client.get(template, {"kind": "people", "format": "csv"})
    assert missing.status_code == 404
