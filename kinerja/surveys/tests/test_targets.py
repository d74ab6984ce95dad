"""Sample targets where they are decided: each service's page shows its yearly users, its
Krejcie–Morgan target and the answers so far with a bar; the unit's target counts only the
services with users and names the others. Numbers carry thousands separators."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.surveys.actions import Answer, do_save_service, do_submit_response
from kinerja.surveys.forms import ServiceForm
from kinerja.surveys.models import Response, Service
from kinerja_core.sampling import krejcie_morgan

pytestmark = pytest.mark.django_db

YEAR = 2024


def answer(service: Service, n: int, year: int = YEAR) -> None:
    for i in range(n):
        do_submit_response(
            service,
            Answer(scores={f"U{k}": 3 for k in range(1, 10)}),
            channel=Response.Channel.PAPER,
            submitted_at=datetime(year, 3, 1 + i % 28, 9),
        )


def text(html: str) -> str:
    """The page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def services(kec: Any) -> dict[str, Service]:
    ktp = do_save_service(kec, code="ktp", name="Rekomendasi KTP", yearly_users={YEAR: 1200})
    kk = do_save_service(kec, code="kk", name="Kartu Keluarga", yearly_users={YEAR: 5000})
    sktm = do_save_service(kec, code="sktm", name="Surat Keterangan Tidak Mampu")
    answer(ktp, 3)
    answer(kk, 2)
    answer(sktm, 4)
    answer(ktp, 1, year=YEAR - 1)  # another year: not counted in this one
    return {"ktp": ktp, "kk": kk, "sktm": sktm}


def test_the_targets_in_these_tests_are_krejcie_morgan() -> None:
    assert krejcie_morgan(1200) == 291 and krejcie_morgan(5000) == 357
    assert krejcie_morgan(6200) == 362


def test_a_service_page_shows_users_target_and_answers_with_a_bar(
    login: Any, officer: Any, services: dict[str, Service]
) -> None:
    page = login(officer).get(reverse("surveys:service_detail", args=[services["ktp"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    row = html.split(f'<a href="/survei/unit/kec-wonoasih/hasil/{YEAR}/">{YEAR}</a>')[1]
    row = row.split("</tr>")[0]
    assert "1.200" in row and "291" in row
    assert '<progress max="291" value="3"' in row
    assert "1%" in text(row)  # 3 of 291
    earlier = html.split(f">{YEAR - 1}</a>")[1].split("</tr>")[0]
    assert "belum diisi" in earlier and '<progress max="291" value="1"' not in earlier


def test_the_unit_target_counts_only_services_with_users_and_names_the_others(
    login: Any, officer: Any, services: dict[str, Service]
) -> None:
    url = reverse("surveys:service_list", args=["kec-wonoasih"]) + f"?tahun={YEAR}"
    html = login(officer).get(url).content.decode()
    card = text(html.split('id="unit-target"')[1].split("</section>")[0])
    # 1.200 + 5.000 users of two services; the five answers are theirs, not the SKTM's four.
    assert "5 / 362 responden" in card
    assert "6.200 pengguna layanan" in card and "layanan yang dihitung: 2" in card
    assert "Semua jawaban tahun ini, dari semua layanan: 9." in card
    assert "layanan yang sama memerlukan 648 responden" in card  # 291 + 357
    assert "Belum ada jumlah pengguna tahun 2024" in card
    assert "Surat Keterangan Tidak Mampu" in card and "Kartu Keluarga" not in card
    assert '<progress max="362" value="5"' in html
    table = text(html.split('id="services"')[1])
    assert "Rekomendasi KTP ktp 1.200 291 3" in table
    assert "Kartu Keluarga kk 5.000 357 2" in table
    assert "Surat Keterangan Tidak Mampu sktm – – 4" in table


def test_a_unit_without_any_users_has_no_target_and_says_why(
    login: Any, officer: Any, kec: Any
) -> None:
    do_save_service(kec, code="sktm", name="SKTM")
    url = reverse("surveys:service_list", args=["kec-wonoasih"]) + f"?tahun={YEAR}"
    card = text(login(officer).get(url).content.decode().split('id="unit-target"')[1])
    assert "belum punya target sampel" in card and "SKTM" in card


def test_the_year_of_the_services_page_is_within_the_survey_window(
    login: Any, officer: Any, services: dict[str, Service]
) -> None:
    client = login(officer)
    url = reverse("surveys:service_list", args=["kec-wonoasih"])
    assert client.get(url + "?tahun=1999").status_code == 404
    assert client.get(url + "?tahun=dua").status_code == 404
    html = client.get(url + f"?tahun={YEAR - 1}").content.decode()
    assert "Rekomendasi KTP ktp – – 1" in text(html.split('id="services"')[1])


def test_a_big_unit_reads_with_separators(login: Any, officer: Any, kec: Any) -> None:
    big = do_save_service(kec, code="ktp", name="KTP", yearly_users={YEAR: 1250000})
    answer(big, 1)
    client = login(officer)
    html = client.get(reverse("surveys:service_detail", args=[big.pk])).content.decode()
    assert "1.250.000" in html and "384" in html
    url = reverse("surveys:service_list", args=["kec-wonoasih"]) + f"?tahun={YEAR}"
    assert "1.250.000" in client.get(url).content.decode()


def test_the_results_page_writes_users_and_targets_with_separators(
    login: Any, officer: Any, services: dict[str, Service]
) -> None:
    html = login(officer).get(reverse("surveys:results", args=["kec-wonoasih", YEAR])).content
    sample = text(html.decode().split('id="sample"')[1].split("</div>\n  <div")[0])
    assert "362 (dari 6.200 pengguna layanan)" in sample
    assert "Surat Keterangan Tidak Mampu" in sample  # named: no users, not in the target


@pytest.mark.parametrize(
    ("typed", "users"),
    [("1200", 1200), ("1.200", 1200), ("1,200", 1200), ("12.500.000", 12500000), (" 800 ", 800)],
)
def test_the_service_form_reads_users_with_or_without_separators(typed: str, users: int) -> None:
    form = ServiceForm({"code": "ktp", "name": "KTP", "yearly_users": f"2024: {typed}"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["yearly_users"] == {2024: users}


@pytest.mark.parametrize("typed", ["1,5", "1.20", "12.00.000", "seribu", "-5"])
def test_the_service_form_refuses_what_is_not_a_whole_number(typed: str) -> None:
    form = ServiceForm({"code": "ktp", "name": "KTP", "yearly_users": f"2024: {typed}"})
    assert not form.is_valid()
    assert "Baris 1" in str(form.errors["yearly_users"])


def test_the_edit_page_shows_the_users_with_separators(
    login: Any, officer: Any, services: dict[str, Service]
) -> None:
    edit = reverse("surveys:service_edit", args=[services["kk"].pk])
    assert "2024: 5.000" in login(officer).get(edit).content.decode()


def test_a_service_page_is_for_those_who_may_see_the_unit(
    client: Client, services: dict[str, Service]
) -> None:
    url = reverse("surveys:service_detail", args=[services["ktp"].pk])
    assert client.get(url).status_code == 302  # to the log-in
