"""Attack regression: the API refuses a manual value beyond its column's range, naming the field
(the same range as the manual-value form and the plan file, docs/security.md)."""

from __future__ import annotations

import json

import pytest

from kinerja.results.models import ManualValue

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/wonoasih-2020-2024/manual-values"


@pytest.mark.parametrize("value", ["12345678901234567890", "1.1234567"])
def test_it_refuses_a_20_digit_manual_value(people, api, wonoasih, value: str) -> None:
    wonoasih.manual_measures = [{"name": "posyandu_aktif", "label": "Posyandu aktif"}]
    wonoasih.save()
    body = {"name": "posyandu_aktif", "unit": "kel-wonoasih", "period": "2023", "value": value}
    response = api(people["planner"], write=True).post(
        URL, json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"value"}
    assert "16" in response.json()["fields"]["value"][0]
    assert not ManualValue.objects.exists()
