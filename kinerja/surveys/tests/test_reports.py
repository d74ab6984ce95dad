"""Publication: report data, the IKM poster (PDF, PNG), the public results page, QR posters."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from kinerja.surveys.actions import Answer, do_save_followup, do_submit_response
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.reports import poster_pdf, poster_png, survey_report_data
from kinerja_core.periods import Period

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(kec: Any, service: Any) -> Any:
    import_bytes(kec, csv_text(worked_rows(), day="2024-03-05").encode(), "a.csv")
    do_submit_response(
        service,
        Answer(scores={f"U{i}": 3 for i in range(1, 10)}, suggestion="Rahasia warga"),
        channel="online",
    )
    do_save_followup(
        kec, "2024", element="U3", action="Antrean daring", owner="Kasi Pelayanan",
        deadline=None, status="planned",
    )  # fmt: skip
    return kec


def test_it_gives_the_report_data_in_full_precision(answered: Any) -> None:
    data = survey_report_data(answered, Period(2024, "quarter", 1))
    assert data["respondents"] == 29
    assert f"{data['ikm']:.6f}" == "91.475096"
    assert str(data["ikm_rounded"]) == "91.48" and data["grade"] == "A"
    assert [e["code"] for e in data["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert data["lowest"][0] == "U3"  # total 100, the lowest
    # 1000 users a year → 250 in a quarter → Krejcie–Morgan 152.
    assert (data["population"], data["sample_target"]) == (250, 152)
    assert data["followups"] == []  # the plan belongs to the year 2024, not its first quarter
    year = survey_report_data(answered, Period(2024))
    assert year["followups"][0]["action"] == "Antrean daring"
    empty = survey_report_data(answered, Period(2019))
    assert empty["ikm"] is None and empty["elements"] == [] and empty["respondents"] == 0


def test_it_gives_the_profile_with_small_groups_hidden_and_the_suggestions(answered: Any) -> None:
    from django.utils import timezone

    data = survey_report_data(answered, Period(2024))
    profile = {group["label"]: group["items"] for group in data["profile"]}
    assert set(profile) == {"Jenis kelamin", "Umur", "Pendidikan", "Pekerjaan", "Layanan"}
    assert sum(item["count"] for item in profile["Layanan"]) == 29
    assert data["suggestions"] == []
    # The one online answer (today) forms groups of one: counts hidden, its suggestion shown.
    today = survey_report_data(answered, Period.containing(timezone.localdate()))
    counts = [item["count"] for group in today["profile"] for item in group["items"]]
    assert counts and set(counts) == {"< 5"}
    assert today["suggestions"] == ["Rahasia warga"]


def test_it_renders_the_poster_as_pdf_and_png(answered: Any) -> None:
    pdf = poster_pdf(answered, Period(2024))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    png = poster_png(answered, Period(2024))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert height > width > 700  # an A4 portrait page


def test_it_publishes_aggregates_without_login_and_without_suggestions(
    client: Client, answered: Any
) -> None:
    url = reverse("surveys_public:results", args=["kec-wonoasih", "2024"])
    html = client.get(url).content.decode()
    assert "Indeks Kepuasan Masyarakat" in html and "Antrean daring" in html
    assert "Rahasia warga" not in html
    assert (
        client.get(reverse("surveys_public:results", args=["nowhere", "2024"])).status_code == 404
    )
    assert (
        client.get(reverse("surveys_public:results", args=["kec-wonoasih", "20x4"])).status_code
        == 404
    )
    pdf = client.get(reverse("surveys_public:poster_pdf", args=["kec-wonoasih", "2024"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_prints_a_qr_poster_per_service(login: Any, officer: Any, service: Any) -> None:
    client = login(officer)
    svg = client.get(reverse("surveys:service_qr", args=[service.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("surveys:service_qr", args=[service.pk, "png"]))
    assert Image.open(io.BytesIO(png.content)).format == "PNG"
    page = client.get(reverse("surveys:service_poster", args=[service.pk])).content.decode()
    assert f"/s/{service.slug}/" in page and "<svg" in page
    pdf = client.get(reverse("surveys:service_poster_pdf", args=[service.pk]))
    assert pdf.content.startswith(b"%PDF")
    codes = client.post(reverse("surveys:receipt_codes", args=[service.pk]), {"count": "5"})
    assert codes.status_code == 302
    assert service.receipt_codes.filter(used_at__isnull=True).count() == 5
