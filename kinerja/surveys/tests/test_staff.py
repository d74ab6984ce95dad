"""Staff pages: access, services, paper entry, web import, results, export, follow-up."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.surveys.actions import Answer, do_submit_response
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import FollowUp, Response, Service
from kinerja.surveys.tests.test_import import BAD

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db


def pages(service: Any) -> list[str]:
    unit = service.unit.code
    return [
        reverse("surveys:service_list", args=[unit]),
        reverse("surveys:service_create", args=[unit]),
        reverse("surveys:import", args=[unit]),
        reverse("surveys:results", args=[unit, "2024"]),
        reverse("surveys:export", args=[unit, "2024", "csv"]),
        reverse("surveys:followup", args=[unit, "2024"]),
        reverse("surveys:service_edit", args=[service.pk]),
        reverse("surveys:service_qr", args=[service.pk, "svg"]),
        reverse("surveys:service_poster", args=[service.pk]),
        reverse("surveys:receipt_codes", args=[service.pk]),
        reverse("surveys:paper_entry", args=[service.pk]),
    ]


def test_it_refuses_outsiders_everywhere(login: Any, people: Any, service: Any) -> None:
    client = login(people["outsider"])
    for url in pages(service):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("surveys:followup", args=["kec-wonoasih", "2024"])).status_code == 403
    )


def test_it_sends_anonymous_visitors_to_the_login(client: Client, service: Any) -> None:
    for url in [reverse("surveys:staff_home"), *pages(service)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_it_lets_viewers_read_but_not_edit(login: Any, people: Any, service: Any) -> None:
    client = login(people["planner"])  # VIEW on the kecamatan, no EDIT_SURVEY
    assert client.get(reverse("surveys:staff_home")).status_code == 200
    assert client.get(reverse("surveys:results", args=["kec-wonoasih", "2024"])).status_code == 200
    assert client.get(reverse("surveys:paper_entry", args=[service.pk])).status_code == 403
    assert client.get(reverse("surveys:service_create", args=["kec-wonoasih"])).status_code == 403


def test_it_creates_and_edits_services_with_yearly_users(
    login: Any, officer: Any, kec: Any
) -> None:
    client = login(officer)
    url = reverse("surveys:service_create", args=["kec-wonoasih"])
    data = {
        "code": "legalisasi",
        "name": "Legalisasi",
        "active": "on",
        "yearly_users": "2023: 800\n2024: 1.000",
    }
    assert client.post(url, data).status_code == 302
    service = Service.objects.get(code="legalisasi")
    assert {v.year: v.users for v in service.volumes.all()} == {2023: 800, 2024: 1000}
    assert service.slug == "legalisasi"  # made from the name
    page = client.post(url, data)  # same code again
    assert page.status_code == 200 and "sudah memiliki layanan" in page.content.decode()
    bad = client.post(url, {**data, "code": "x", "yearly_users": "tahun lalu"})
    assert "Baris 1" in bad.content.decode()
    edit = reverse("surveys:service_edit", args=[service.pk])
    assert "2024: 1.000" in client.get(edit).content.decode()
    client.post(edit, {**data, "name": "Legalisasi dokumen", "yearly_users": "2024: 900"})
    service.refresh_from_db()
    assert service.name == "Legalisasi dokumen" and service.volumes.get(year=2024).users == 900


def test_it_enters_paper_forms_one_after_another(login: Any, officer: Any, service: Any) -> None:
    client = login(officer)
    url = reverse("surveys:paper_entry", args=[service.pk])
    html = client.get(url).content.decode()
    assert "entry.js" in html
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found is not None
    token = found.group(1)
    data = {f"u{i}": "3" for i in range(1, 10)}
    data.update({"token": token, "submitted_on": "2024-05-02", "session": "afternoon"})
    saved = client.post(url, data)
    assert saved.status_code == 302 and "tanggal=2024-05-02" in saved["Location"]
    client.post(url, data)  # Enter pressed twice: still one form
    response = Response.objects.get()
    assert response.channel == "paper" and response.session == "afternoon"
    assert timezone.localtime(response.submitted_at).date().isoformat() == "2024-05-02"
    nxt = client.get(saved["Location"]).content.decode()
    assert 'value="2024-05-02"' in nxt and token not in nxt


def test_it_imports_from_the_web_and_lists_every_problem(
    login: Any, officer: Any, service: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(officer)
    url = reverse("surveys:import", args=["kec-wonoasih"])
    bad = SimpleUploadedFile("bad.csv", BAD.encode())
    page = client.post(url, {"file": bad, "element_order": "named"})
    html = page.content.decode()
    for where in (
        "baris 3, kolom gender",
        "baris 3, kolom U1",
        "baris 4, kolom submitted_at",
        "baris 5, kolom service",
    ):
        assert where in html
    assert Response.objects.count() == 0
    good = SimpleUploadedFile("good.csv", csv_text(worked_rows()).encode())
    checked = client.post(url, {"file": good, "element_order": "named"}).content.decode()
    assert "29 akan disimpan" in checked and Response.objects.count() == 0
    confirm = re.search(r'action="([^"]+/simpan/)"', checked)
    assert confirm is not None
    assert "29 jawaban baru" in client.post(confirm.group(1), {"confirm": "1"}).content.decode()
    assert Response.objects.count() == 29


def seed(service: Any, kel_service: Any) -> None:
    import_bytes(service.unit, csv_text(worked_rows(), day="2024-03-05").encode(), "a.csv")
    moment = timezone.make_aware(datetime(2023, 6, 1, 9))
    for i in range(6):
        do_submit_response(
            service,
            Answer(scores={f"U{k}": 3 for k in range(1, 10)}, gender="P", suggestion=f"=1+{i}"),
            channel="paper",
            submitted_at=moment,
        )
    do_submit_response(
        kel_service,
        Answer(scores={f"U{k}": 2 for k in range(1, 10)}, suggestion="<script>alert(1)</script>"),
        channel="online",
        submitted_at=timezone.make_aware(datetime(2024, 7, 1, 10)),
    )


def test_it_shows_results_with_grade_interval_target_profile_and_suggestions(
    login: Any, people: Any, service: Any, kel_service: Any, django_assert_max_num_queries: Any
) -> None:
    seed(service, kel_service)
    client = login(people["head"])
    url = reverse("surveys:results", args=["kec-wonoasih", "2024"])
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    # 29 worked-example responses + one all-2 response: (955 + 18) / (30 × 9) × 25
    assert "90,09" in html and "Sangat Baik" in html
    assert "Selang kepercayaan 95%" in html
    assert "Target Krejcie–Morgan: 291 (dari 1.200 pengguna layanan)" in html  # N = 1000 + 200
    assert "<svg" in html and "U8 Penanganan" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    # Gender: 29 L shown; the single unstated response is a group under 5 and hidden.
    profile = html[html.index('id="profile-gender"') :]
    profile = profile[: profile.index("</table>")]
    assert ">L<" in profile and "tidak diisi" not in profile
    assert "2023: 75,00 (C)" in html  # the previous year, all 3s
    # Query count does not grow with the data.
    for _ in range(20):
        do_submit_response(kel_service, Answer(scores={f"U{k}": 4 for k in range(1, 10)}),
                           channel="online", submitted_at=timezone.make_aware(datetime(2024, 8, 1, 10)))  # fmt: skip
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200
    quarter = client.get(reverse("surveys:results", args=["kec-wonoasih", "2024-Q1"]))
    assert "91,48" in quarter.content.decode()
    assert (
        client.get(reverse("surveys:results", args=["kec-wonoasih", "2024-Q9"])).status_code == 404
    )


def test_it_exports_responses_formula_safe(
    login: Any, people: Any, service: Any, kel_service: Any
) -> None:
    seed(service, kel_service)
    client = login(people["head"])
    csv = b"".join(
        client.get(
            reverse("surveys:export", args=["kec-wonoasih", "2023", "csv"])
        ).streaming_content
    ).decode()
    assert "'=1+0" in csv and ",=1+0" not in csv
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("submitted_at,service,gender")
    xlsx = client.get(reverse("surveys:export", args=["kec-wonoasih", "2023", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (
        client.get(reverse("surveys:export", args=["kec-wonoasih", "2023", "exe"])).status_code
        == 404
    )


def test_it_plans_follow_up_from_the_lowest_element_and_shows_if_it_rose(
    login: Any, officer: Any, service: Any, kel_service: Any
) -> None:
    seed(service, kel_service)
    client = login(officer)
    url_2023 = reverse("surveys:followup", args=["kec-wonoasih", "2023"])
    data = {
        "element": "U3",
        "action": "Antrean daring",
        "owner": "Kasi Pelayanan",
        "deadline": "2024-03-31",
        "status": "done",
    }
    assert client.post(url_2023, data).status_code == 302
    assert FollowUp.objects.get().period == "2023"
    html = client.get(reverse("surveys:followup", args=["kec-wonoasih", "2024"])).content.decode()
    ranked = html[html.index('id="ranked"') :]
    # 2024 lowest element: U3 (total 100 + 2 over 30), highest U4.
    assert ranked.index("U3 Waktu") < ranked.index("U4 Biaya")
    previous = html[html.index('id="previous-plans"') :]
    assert "Antrean daring" in previous and "naik" in previous  # U3: 75,00 → 85,00


def test_it_lists_every_year_with_responses_on_the_survey_home(
    login: Any, people: Any, service: Any, kel_service: Any, django_assert_max_num_queries: Any
) -> None:
    for year, where in ((2018, kel_service), (2020, service), (2020, kel_service)):
        do_submit_response(
            where,
            Answer(scores={f"U{k}": 3 for k in range(1, 10)}),
            channel="online",
            submitted_at=timezone.make_aware(datetime(year, 6, 1, 9)),
        )
    client = login(people["head"])
    with django_assert_max_num_queries(12):
        html = client.get(reverse("surveys:staff_home")).content.decode()
    this_year = timezone.localdate().year
    kec_row = html[html.index("<td>Kecamatan Wonoasih") :]
    kec_row = kec_row[: kec_row.index("</tr>")]
    links = re.findall(r"/survei/unit/kec-wonoasih/hasil/(\d{4})/", kec_row)
    # Years with answers anywhere under the unit, newest first, and this year to start a survey.
    assert links == [str(this_year), "2020", "2018"]
    kel_row = html[html.index("<td>Kelurahan Wonoasih") :]
    kel_row = kel_row[: kel_row.index("</tr>")]
    assert re.findall(r"/hasil/(\d{4})/", kel_row) == [str(this_year), "2020", "2018"]


def suggest(service: Any, text: str, when: datetime) -> None:
    do_submit_response(
        service,
        Answer(scores={f"U{k}": 3 for k in range(1, 10)}, suggestion=text),
        channel="online",
        submitted_at=timezone.make_aware(when),
    )


def grouped_rows(html: str) -> list[tuple[str, str]]:
    """(suggestion, count) of each row of the grouped suggestions table."""
    table = html[html.index('id="suggestions"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<td class="text">(.*?)</td><td class="num">(\d+)</td>', table)


@pytest.fixture
def suggestions(service: Any, kel_service: Any) -> None:
    for text in ("Antrean terlalu lama", "Antrean terlalu lama", " antrean terlalu LAMA "):
        suggest(service, text, datetime(2024, 2, 1, 9))
    suggest(kel_service, "Antrean terlalu lama", datetime(2024, 5, 1, 9))
    suggest(service, "Parkir sempit", datetime(2024, 3, 1, 9))
    suggest(kel_service, "Parkir sempit", datetime(2024, 3, 2, 9))
    suggest(service, "=HYPERLINK(1)", datetime(2024, 3, 3, 9))
    for i in range(60):
        suggest(service, f"Saran nomor {i:02d}", datetime(2024, 4, 1, 9))
    suggest(service, "", datetime(2024, 4, 2, 9))
    suggest(service, "Tahun lalu", datetime(2023, 4, 2, 9))


def test_it_groups_identical_suggestions_with_their_count_on_the_results_page(
    login: Any, people: Any, suggestions: None
) -> None:
    client = login(people["head"])
    html = client.get(reverse("surveys:results", args=["kec-wonoasih", "2024"])).content.decode()
    rows = grouped_rows(html)
    assert rows[:2] == [("Antrean terlalu lama", "4"), ("Parkir sempit", "2")]
    assert len(rows) == 10  # the most frequent; the rest one click away
    assert "67 saran, 63 berbeda" in html
    every = reverse("surveys:suggestions", args=["kec-wonoasih", "2024"])
    assert f'href="{every}"' in html


def test_it_pages_searches_and_exports_every_suggestion(
    login: Any, people: Any, suggestions: None
) -> None:
    client = login(people["head"])
    url = reverse("surveys:suggestions", args=["kec-wonoasih", "2024"])
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    shown = grouped_rows(first) + grouped_rows(second)
    assert len(grouped_rows(first)) == 50 and len(shown) == 63
    assert {f"Saran nomor {i:02d}" for i in range(60)} <= {text for text, _n in shown}
    assert "Tahun lalu" not in first + second
    found = grouped_rows(client.get(url, {"q": "parkir"}).content.decode())
    assert found == [("Parkir sempit", "2")]
    # The export holds the groups the page shows (the search too), formula-safe.
    export = reverse("surveys:suggestions_export", args=["kec-wonoasih", "2024", "csv"])
    text = b"".join(client.get(export).streaming_content).decode().lstrip("\ufeff")
    lines = text.splitlines()
    assert lines[0] == "Saran,Jumlah,Terakhir" and len(lines) == 64
    assert lines[1] == "Antrean terlalu lama,4,2024-05-01"
    assert "'=HYPERLINK(1),1,2024-03-03" in lines
    searched = b"".join(client.get(export, {"q": "antrean"}).streaming_content).decode()
    assert searched.lstrip("\ufeff").splitlines()[1:] == ["Antrean terlalu lama,4,2024-05-01"]
    xlsx = client.get(reverse("surveys:suggestions_export", args=["kec-wonoasih", "2024", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = reverse("surveys:suggestions_export", args=["kec-wonoasih", "2024", "exe"])
    assert client.get(bad).status_code == 404


def test_it_says_whether_the_ikm_is_for_the_period_alone_or_the_year_to_date(
    login: Any, people: Any, service: Any
) -> None:
    suggest(service, "", datetime(2024, 2, 1, 9))  # all 3s: 75,00
    do_submit_response(
        service,
        Answer(scores={f"U{k}": 4 for k in range(1, 10)}),
        channel="online",
        submitted_at=timezone.make_aware(datetime(2024, 5, 1, 9)),
    )
    client = login(people["head"])

    def note(key: str) -> str:
        html = client.get(reverse("surveys:results", args=["kec-wonoasih", key])).content.decode()
        found = re.search(r'<p id="ikm-scope"[^>]*>(.*?)</p>', html, re.S)
        assert found is not None, key
        return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())

    assert note("2024") == (
        "IKM ini untuk seluruh tahun 2024 (1 Januari 2024 – 31 Desember 2024): "
        "nilai yang dipakai indikator kinerja."
    )
    assert note("2024-Q1") == (
        "IKM ini untuk Triwulan I 2024 (1 Januari 2024 – 31 Maret 2024), yaitu sejak awal tahun: "
        "nilai yang dipakai indikator kinerja untuk periode ini."
    )
    assert note("2024-Q2") == (
        "IKM ini hanya untuk Triwulan II 2024 (1 April 2024 – 30 Juni 2024). Indikator kinerja "
        "memakai IKM sejak awal tahun (1 Januari 2024 – 30 Juni 2024): 87,50 (B), 2 responden."
    )
