"""The API's idempotency key reused with a different body silently returned the first response;
and the OpenAPI document allowed bodies the server refuses."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from kinerja.api.forms import ActivityBody, ManualValueBody, ResponseBody
from kinerja.api.framework import ApiError, validated
from kinerja.surveys.models import Response, Service

V1 = "/api/v1"
ANSWERS = {f"u{i}": 3 for i in range(1, 10)}
DOCUMENT = json.loads(
    (Path(__file__).resolve().parent.parent / "openapi.json").read_text(encoding="utf-8")
)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)


def post(client: Any, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_it_refuses_an_idempotency_key_reused_with_another_body(api, survey_officer, service):
    kiosk = api(survey_officer, write=True)
    url = f"{V1}/services/{service.slug}/responses"
    when = (timezone.now() - timedelta(hours=1)).isoformat()
    body = {**ANSWERS, "gender": "P", "idempotency_key": "kiosk-7", "submitted_at": when}
    first = post(kiosk, url, body)
    assert first.status_code == 201
    # The same body again is a replay: the stored response, nothing stored twice.
    again = post(kiosk, url, body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    without_time = {k: v for k, v in body.items() if k != "submitted_at"}
    assert post(kiosk, url, without_time).status_code == 200
    # Another body with that key is an error, said in JSON.
    for changed in (
        {**body, "u3": 1},
        {**body, "gender": "L"},
        {**body, "suggestion": "lebih cepat"},
        {**body, "submitted_at": (timezone.now() - timedelta(hours=2)).isoformat()},
    ):
        refused = post(kiosk, url, changed)
        assert refused.status_code == 422, changed
        assert refused.json()["error"] == "idempotency_key_reused"
        assert refused.json()["message"].startswith("Kunci idempotensi ini sudah dipakai")
        assert "idempotency_key" in refused.json()["fields"]
    other = Service.objects.create(unit=service.unit, code="kk", name="KK", slug="kk123")
    assert post(kiosk, f"{V1}/services/{other.slug}/responses", body).status_code == 422
    stored = Response.objects.get()
    assert (stored.u3, stored.gender, stored.service) == (3, "P", service)


@pytest.mark.django_db
def test_it_refuses_a_nul_in_a_list_of_codes(people, api):
    """PostgreSQL refuses NUL in text: the group look-up was a 500 there."""
    body = {"date": "2024-01-02", "type": "fostering", "title": "t", "groups": ["RT\x0001"]}
    response = post(api(people["admin"], write=True), f"{V1}/activities", body)
    assert response.status_code == 400
    assert response.json()["fields"] == {"groups": ["Karakter null tidak diizinkan."]}


# --- the document against the server -------------------------------------------------------

BODIES = [
    ("/services/{slug}/responses", ResponseBody),
    ("/activities", ActivityBody),
    ("/plans/{code}/manual-values", ManualValueBody),
]


def form_errors(form_class: type, body: Any) -> dict[str, list[str]]:
    """The API's own validation of ``body`` (the form's, no database look-ups)."""
    request = RequestFactory().post("/", json.dumps(body), content_type="application/json")
    try:
        validated(request, form_class)
    except ApiError as exc:
        return dict(exc.fields or {"": [exc.message]})
    return {}


def not_expressible(body: dict[str, Any], errors: dict[str, list[str]]) -> bool:
    """A response's time must lie between 2000 and now: a schema cannot say "now"."""
    return set(errors) == {"submitted_at"} and "submitted_at" in body


@pytest.mark.parametrize(("path", "form_class"), BODIES)
def test_it_documents_no_body_the_server_refuses(path, form_class):
    @settings(
        max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(SCHEMA[path]["POST"].as_strategy())
    def check(case: Any) -> None:
        errors = form_errors(form_class, case.body)
        assert not errors or not_expressible(case.body, errors), (case.body, errors)

    check()


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        ("ManualValueBody", {"name": "", "unit": "kec-x", "period": "2024", "value": "1"}),
        ("ManualValueBody", {"name": "  ", "unit": "kec-x", "period": "2024", "value": "1"}),
        ("ManualValueBody", {"name": "n", "unit": "kec x", "period": "2024", "value": "1"}),
        ("ManualValueBody", {"name": "n", "unit": "kec-x", "period": "2024-13", "value": "1"}),
        ("ManualValueBody", {"name": "n", "unit": "kec-x", "period": "2024", "value": "satu"}),
        (
            "ManualValueBody",
            {"name": "n", "unit": "kec-x", "period": "2024", "value": "1", "note": "\x00"},
        ),
        (
            "ActivityBody",
            {"date": "2024-01-02", "type": "facilitation", "title": "   ", "groups": ["A"]},
        ),
        (
            "ActivityBody",
            {"date": "2024-01-02", "type": "fostering", "title": "t\x00", "groups": ["A"]},
        ),
        (
            "ActivityBody",
            {"date": "2024-01-02", "type": "fostering", "title": "t", "groups": ["A", "\x00"]},
        ),
        ("ResponseBody", {**ANSWERS, "idempotency_key": "a\x00b"}),
        ("ResponseBody", {**ANSWERS, "suggestion": "\x00"}),
        ("ResponseBody", {**ANSWERS, "submitted_at": "1999-12-31T23:00:00Z"}),
    ],
)
def test_it_documents_what_the_server_refuses(schema, body):
    form_class = {"ManualValueBody": ManualValueBody, "ActivityBody": ActivityBody}.get(
        schema, ResponseBody
    )
    assert form_errors(form_class, body)  # the server refuses it…
    validator = jsonschema_rs.Draft202012Validator(DOCUMENT["components"]["schemas"][schema])
    assert not validator.is_valid(body)  # …and the document says so
