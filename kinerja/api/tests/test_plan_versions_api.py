"""The API lists the definitions in force in the year asked (docs/rules.md#plan-revisions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from kinerja.results.models import Result
from kinerja.results.tests.test_plan_revisions import reported, without_t11

pytestmark = pytest.mark.django_db
__all__ = ["reported"]  # the fixture, used by name


def test_the_api_reads_the_definitions_in_force_in_the_year(
    reported, tmp_path, people, api
) -> None:
    path = without_t11(tmp_path)
    call_command("plan", "load", str(path), "--revise", "--effective", "2024", "--reason", "x")
    client = api(people["planner"])
    url = "/api/v1/plans/wonoasih-2020-2024"

    def codes(response: Any) -> set[str]:
        assert response.status_code == 200, response.content
        rows = response.json()["results"]
        return {r.get("indicator", r.get("code")) for r in rows}

    assert "T1.1" in codes(client.get(f"{url}/indicators", {"year": "2023"}))
    assert "T1.1" not in codes(client.get(f"{url}/indicators"))
    assert "T1.1" in codes(client.get(f"{url}/results", {"period": "2022", "unit": "kec-wonoasih"}))
    # 2024 results of T1.1 are still stored (no recompute yet) but not that year's figures.
    assert Result.objects.filter(indicator__code="T1.1", year=2024).exists()
    assert "T1.1" not in codes(
        client.get(f"{url}/results", {"period": "2024", "unit": "kec-wonoasih"})
    )
