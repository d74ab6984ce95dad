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
    assert len(service.slug) == 6
    page = client.post(url, data)  # same code again
    assert page.status_code == 200 and "sudah memiliki layanan" in page.content.decode()
    bad = client.post(url, {**data, "code": "x", "yearly_users": "tahun lalu"})
    assert "Baris 1" in bad.content.decode()
    edit = reverse("surveys:service_edit", args=[service.pk])
    assert "2024: 1000" in client.get(edit).content.decode()
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
    page = client.post(url, {"file": SimpleUploadedFile("bad.csv", BAD.encode())})
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
    assert "29 jawaban baru" in client.post(url, {"file": good}).content.decode()
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
    assert "Target Krejcie–Morgan: 291 (dari 1200 pengguna layanan)" in html  # N = 1000 + 200
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
