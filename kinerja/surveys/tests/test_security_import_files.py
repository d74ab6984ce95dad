"""Attack regressions: hostile survey files are refused with a message, nothing stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.lib import coremessages
from kinerja.lib.tests.hostile import zip_bomb_xlsx
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import Response
from kinerja_core.errors import InputError

from .conftest import HEADER

ROW = "2024-03-05,ktp,L,40,SMA,Swasta,4,4,4,4,4,4,4,4,4,"

pytestmark = pytest.mark.django_db


def refusal(kec: Any, data: bytes, filename: str = "survei.csv") -> list[str]:
    with pytest.raises(InputError) as caught:
        import_bytes(kec, data, filename)
    assert Response.objects.count() == 0
    return coremessages.problem_texts(caught.value.problems)


def test_it_refuses_a_survey_xlsx_zip_bomb(login: Any, officer: Any, service: Any) -> None:
    upload = SimpleUploadedFile("survei.xlsx", zip_bomb_xlsx(3))
    page = login(officer).post(
        reverse("surveys:import", args=["kec-wonoasih"]), {"file": upload, "element_order": "named"}
    )
    assert page.status_code == 200 and not Response.objects.exists()
    (problem,) = page.context["problems"]
    assert "bagian xl/sharedStrings.xml dari berkas XLSX" in problem


def test_it_names_the_row_and_column_of_a_cell_over_128_kb(kec: Any, service: Any) -> None:
    huge = '"' + "antrian lama " * 11_000 + '"'  # 143 000 bytes: csv's own limit used to fail
    data = "\n".join([HEADER, ROW + "ok", ROW + huge]) + "\n"
    assert refusal(kec, data.encode()) == [
        "baris 3, kolom suggestion: lebih dari 65536 byte dalam satu sel"
    ]


def test_it_refuses_a_cell_over_the_byte_limit_setting(kec: Any, service: Any, settings) -> None:
    settings.KINERJA_CSV_FIELD_MAX_BYTES = 100
    data = "\n".join([HEADER, ROW + "s" * 101]) + "\n"
    assert refusal(kec, data.encode()) == [
        "baris 2, kolom suggestion: lebih dari 100 byte dalam satu sel"
    ]
    assert import_bytes(kec, data.replace("s" * 101, "s" * 100).encode(), "a.csv").inserted == 1


def test_it_refuses_a_nul_byte_in_a_suggestion(kec: Any, service: Any) -> None:
    data = "\n".join([HEADER, ROW + "antri\x00an", ROW + "na\x0bda"]) + "\n"
    assert refusal(kec, data.encode()) == [
        "baris 2, kolom suggestion: berisi karakter kendali U+0000 yang tidak terlihat; "
        "hapus karakter itu",
        "baris 3, kolom suggestion: berisi karakter kendali U+000B yang tidak terlihat; "
        "hapus karakter itu",
    ]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2099-01-01"])
def test_it_refuses_a_survey_date_out_of_bounds(kec: Any, service: Any, day: str) -> None:
    data = "\n".join([HEADER, ROW.replace("2024-03-05", day)]) + "\n"
    [message] = refusal(kec, data.encode())
    assert message.startswith("baris 2, kolom submitted_at: tanggal di luar rentang 2000-01-01")
    assert message.endswith(f"{timezone.localdate().isoformat()}: '{day}'")


def test_it_takes_the_earliest_year_from_the_setting(kec: Any, service: Any, settings) -> None:
    settings.KINERJA_EARLIEST_YEAR = 2024
    data = "\n".join([HEADER, ROW, ROW.replace("2024-03-05", "2023-12-31")]) + "\n"
    [message] = refusal(kec, data.encode())
    assert message.startswith("baris 3, kolom submitted_at: tanggal di luar rentang 2024-01-01")


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2099-01-01"])
def test_it_refuses_a_paper_form_dated_out_of_bounds(
    login: Any, officer: Any, service: Any, day: str
) -> None:
    client = login(officer)
    url = reverse("surveys:paper_entry", args=[service.pk])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())
    assert token is not None
    data = {f"u{i}": "3" for i in range(1, 10)}
    data.update({"token": token.group(1), "submitted_on": day, "session": "morning"})
    page = client.post(url, data)
    assert page.status_code == 200 and not Response.objects.exists()
    assert page.context["form"].errors["submitted_on"] == [
        f"tanggal {day} di luar rentang 2000-01-01 s.d. {timezone.localdate().isoformat()}"
    ]
    data.update({"submitted_on": "2024-05-02", "suggestion": "antri\x0blama"})
    page = client.post(url, data)
    assert page.status_code == 200 and not Response.objects.exists()
    assert page.context["form"].errors["suggestion"] == [
        "berisi karakter kendali U+000B yang tidak terlihat; hapus karakter itu"
    ]


def test_it_refuses_an_import_by_someone_without_the_survey_right(
    wonoasih: Any, people: Any, officer: Any
) -> None:
    """The import checks who acts itself, as every write does: an officer of another kecamatan
    calling it directly (not through the page that also checks) stores nothing."""
    from django.core.exceptions import PermissionDenied

    from kinerja.accounts.models import OrgUnit
    from kinerja.surveys.actions import do_save_service

    unit = OrgUnit.objects.get(code="kec-wonoasih")
    do_save_service(unit, code="ktp", name="Rekomendasi KTP-el/KK", yearly_users={2024: 1000})
    data = "\n".join([HEADER, ROW + "bagus"]) + "\n"
    with pytest.raises(PermissionDenied):
        import_bytes(unit, data.encode(), "survei.csv", user=people["outsider"])
    assert not Response.objects.exists()
    assert import_bytes(unit, data.encode(), "survei.csv", user=officer).inserted == 1
