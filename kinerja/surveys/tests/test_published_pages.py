"""The published IKM through the officer's page and the command line, into the results marked
"nilai terbit" (docs/rules.md#ikm-published-values)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kinerja.accounts.actions import do_issue_api_key
from kinerja.results.actions import do_recompute
from kinerja.results.models import Result
from kinerja.surveys.models import PublishedIkm

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
TITLE = "Laporan Hasil SKM Kecamatan Wonoasih Tahun 2020"


def page(unit: str = "kec-wonoasih") -> str:
    return reverse("surveys:published_ikm", args=[unit])


def form(**changes: Any) -> dict[str, Any]:
    return {
        "year": "2020",
        "value": "82,45",
        "grade": "B",
        "method": "permenpanrb-14-2017",
        "document_title": TITLE,
        "document_number": "800/45/425.510/2021",
        "evidence": SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf"),
        **changes,
    }


def test_an_officer_records_a_published_ikm_with_its_document(officer: Any, login: Any) -> None:
    client = login(officer)
    shown = client.get(page()).content.decode()
    assert "Nilai IKM terbit" in shown and "Catat IKM terbit" in shown
    response = client.post(page(), form())
    assert response.status_code == 302
    row = PublishedIkm.objects.get()
    assert (row.year, row.value, row.grade, row.in_force) == (2020, Decimal("82.45"), "B", True)
    assert row.entered_by == officer and row.evidence_type == "application/pdf"
    listed = client.get(page()).content.decode()
    assert "82,45" in listed and "800/45/425.510/2021" in listed
    document = client.get(reverse("surveys:published_ikm_document", args=[row.pk]))
    assert document["Content-Type"] == "application/pdf"
    assert document["X-Content-Type-Options"] == "nosniff"
    assert b"".join(document.streaming_content) == PDF


def test_the_page_names_what_is_wrong_in_indonesian(officer: Any, login: Any) -> None:
    client = login(officer)
    response = client.post(page(), form(grade="A"))
    assert response.status_code == 200
    assert "Menurut metode ini IKM 82,45 bermutu B." in response.content.decode()
    html = client.post(page(), form(evidence="")).content.decode()
    assert "Lampirkan dokumen terbitan." in html
    fake = SimpleUploadedFile("laporan.pdf", b"<script>", content_type="application/pdf")
    assert "PDF, JPEG atau PNG" in client.post(page(), form(evidence=fake)).content.decode()
    assert not PublishedIkm.objects.exists()


def test_a_viewer_sees_the_values_but_cannot_record_one(
    officer: Any, people: Any, login: Any
) -> None:
    login(officer).post(page(), form())
    client = login(people["head"])
    shown = client.get(page()).content.decode()
    assert "82,45" in shown and "Catat IKM terbit" not in shown
    assert client.post(page(), form(year="2021")).status_code == 403
    decide = reverse("surveys:published_ikm_decide", args=["kec-wonoasih", 2020])
    assert client.post(decide, {"use": "answers", "reason": "x"}).status_code == 403
    assert PublishedIkm.objects.count() == 1


def test_results_carry_the_published_value_marked_until_the_answers_are_chosen(
    wonoasih: Any, officer: Any, people: Any, login: Any, service: Any
) -> None:
    client = login(officer)
    client.post(page(), form())
    do_recompute(wonoasih, [2020])
    result = Result.objects.get(
        indicator__code="T2.1", unit__code="kec-wonoasih", period_key="2020"
    )
    assert result.realisation == Decimal("82.45") and result.published
    assert result.inputs["ikm"]["published"] == f"{TITLE} (800/45/425.510/2021)"
    quarter = Result.objects.get(
        indicator__code="T2.1", unit__code="kec-wonoasih", period_key="2020-Q4"
    )
    assert quarter.realisation is None and not quarter.published

    head = login(people["head"])
    dashboard = head.get(reverse("home"), {"year": "2020"}).content.decode()
    assert 'class="published-mark"' in dashboard and "nilai terbit" in dashboard
    detail = head.get(reverse("results:detail", args=[result.pk])).content.decode()
    assert "nilai terbit" in detail and TITLE in detail
    _key, secret = do_issue_api_key(people["head"], people["head"], "uji", False)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    rows = api.get(
        "/api/v1/plans/wonoasih-2020-2024/results", {"period": "2020", "unit": "kec-wonoasih"}
    ).json()["results"]
    assert {r["indicator"]: r["published"] for r in rows}["T2.1"] is True
    table = StringIO()
    call_command("results", "iku", "--year", "2020", stdout=table)
    assert "82,45 (nilai terbit)" in table.getvalue()

    # Answers of 2020 arrive later: they count only once an officer decides so.
    from kinerja.surveys.importing import import_bytes

    kec = service.unit
    import_bytes(kec, csv_text(worked_rows(), day="2020-03-05").encode(), "2020.csv")
    do_recompute(wonoasih, [2020])
    assert Result.objects.get(pk=result.pk).realisation == Decimal("82.45")
    client = login(officer)
    listed = client.get(page()).content.decode()
    assert "Pakai jawaban sebagai gantinya" in listed
    decide = reverse("surveys:published_ikm_decide", args=["kec-wonoasih", 2020])
    client.post(decide, {"use": "answers", "reason": ""})
    assert PublishedIkm.objects.get().in_force  # no reason, no decision
    client.post(decide, {"use": "answers", "reason": "Data mentah 2020 sudah diimpor lengkap"})
    assert not PublishedIkm.objects.get().in_force
    do_recompute(wonoasih, [2020])
    result.refresh_from_db()
    assert result.realisation == Decimal("91.475096") and not result.published
    assert "nilai terbit" not in head.get(reverse("home"), {"year": "2020"}).content.decode()


def test_the_command_line_records_and_decides(kec: Any, tmp_path: Path) -> None:
    report = tmp_path / "laporan-2011.pdf"
    report.write_bytes(PDF)
    out = StringIO()
    call_command(
        "survey", "published", "--unit", "kec-wonoasih", "--year", "2011", "--value", "74,67",
        "--grade", "B", "--method", "kepmenpan-25-2004-rounded-weight", "--title", "Laporan SKM",
        "--document", str(report), stdout=out,
    )  # fmt: skip
    assert "74.67" in out.getvalue()
    row = PublishedIkm.objects.get()
    assert row.value == Decimal("74.67") and row.entered_by is None
    with pytest.raises(CommandError, match="belum memiliki jawaban"):
        call_command(
            "survey", "published-decision", "--unit", "kec-wonoasih", "--year", "2011",
            "--use", "answers", "--reason", "coba",
        )  # fmt: skip
    with pytest.raises(CommandError, match="bermutu B"):
        call_command(
            "survey", "published", "--unit", "kec-wonoasih", "--year", "2011", "--value",
            "74,67", "--grade", "A", "--method", "kepmenpan-25-2004-rounded-weight",
            "--title", "Laporan SKM",
        )  # fmt: skip
