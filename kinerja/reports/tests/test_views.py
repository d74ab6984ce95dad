from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_lists_the_documents_and_downloads_one(uji, staff, login) -> None:
    client = login(staff["head"])
    page = client.get(reverse("reports:index"), {"year": "2021"}).content.decode()
    for kind in ("iku", "pk", "capaian"):
        assert reverse("reports:download", args=[kind, "pdf"]) in page
    assert reverse("reports:download", args=["capaian", "xlsx"]) in page
    response = client.get(
        reverse("reports:download", args=["pk", "docx"]), {"plan": uji.code, "year": "2022"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pk-uji-2022.docx"'
    assert response.content.startswith(b"PK")
    missing = client.get(reverse("reports:download", args=["pk", "xlsx"]), {"plan": uji.code})
    assert missing.status_code == 404


def test_it_refuses_an_outsider(uji, staff, login) -> None:
    client = login(staff["outsider"])
    assert "Cakupan" not in client.get(reverse("reports:index")).content.decode()
    url = reverse("reports:download", args=["iku", "pdf"])
    assert client.get(url, {"plan": uji.code}).status_code == 403


def test_it_refuses_anonymous_users(client, uji) -> None:
    for url in (reverse("reports:index"), reverse("reports:download", args=["iku", "pdf"])):
        response = client.get(url, {"plan": uji.code})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
