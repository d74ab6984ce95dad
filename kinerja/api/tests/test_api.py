from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import ApiKey, OrgUnit, Role
from kinerja.community.models import Activity
from kinerja.community.tests.factories import make_group
from kinerja.results.actions import do_recompute
from kinerja.results.models import ManualValue
from kinerja.surveys.models import Response
from kinerja.test import make_user

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
ANSWERS = {f"u{i}": 3 for i in range(1, 10)}


def post(client: Client, url: str, body: object, **extra: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_it_requires_a_valid_key(client, people, api):
    response = client.get(f"{V1}/plans")
    assert response.status_code == 401 and response.json()["error"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    bad = Client(headers={"Authorization": "Bearer knj_deadbeef_nope"})
    assert bad.get(f"{V1}/plans").json()["error"] == "invalid_key"
    assert api(people["planner"], header="x-api-key").get(f"{V1}/plans").status_code == 200
    keyed = api(people["planner"])
    ApiKey.objects.update(revoked_at=timezone.now())
    assert keyed.get(f"{V1}/plans").status_code == 401


def test_it_reads_plans_and_indicators_scoped_like_the_user(people, api):
    planner = api(people["planner"])
    plans = planner.get(f"{V1}/plans").json()
    assert [p["code"] for p in plans["results"]] == ["wonoasih-2020-2024"] and plans["count"] == 1
    detail = planner.get(f"{V1}/plans/wonoasih-2020-2024").json()
    assert [g["code"] for g in detail["goals"]] == ["T1", "T2"]
    indicators = planner.get(f"{V1}/plans/wonoasih-2020-2024/indicators").json()["results"]
    ikm = next(i for i in indicators if i["formula"].strip() == "ikm")
    assert [t["value"] for t in ikm["targets"] if t["quarter"] == 0][:2] == ["84.6000", "85.6000"]

    outsider = api(people["outsider"])
    assert outsider.get(f"{V1}/plans").json()["count"] == 0
    refused = outsider.get(f"{V1}/plans/wonoasih-2020-2024")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert outsider.get(f"{V1}/units/kec-wonoasih/groups").status_code == 403
    assert {u["code"] for u in outsider.get(f"{V1}/units").json()["results"]} == {"kel-pilang"}
    missing = planner.get(f"{V1}/plans/no-such-plan")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert planner.get(f"{V1}/nothing/here").json()["error"] == "not_found"


def test_it_reads_stored_results(people, api, wonoasih):
    do_recompute(wonoasih, [2022])
    rows = (
        api(people["head"])
        .get(f"{V1}/plans/wonoasih-2020-2024/results", {"period": "2022", "unit": "kec-wonoasih"})
        .json()
    )
    assert rows["count"] > 0
    assert {r["period"] for r in rows["results"]} == {"2022"}
    assert {r["unit"] for r in rows["results"]} == {"kec-wonoasih"}
    bad = api(people["head"]).get(f"{V1}/plans/wonoasih-2020-2024/results", {"period": "2022-Q9"})
    assert bad.status_code == 400 and "period" in bad.json()["fields"]


def test_it_takes_survey_responses_from_a_kiosk_once_per_key(people, api, survey_officer, service):
    kiosk = api(survey_officer, write=True)
    url = f"{V1}/services/{service.slug}/responses"
    body = {**ANSWERS, "gender": "P", "age": 34, "idempotency_key": "kiosk-1-0001"}
    first = post(kiosk, url, body)
    assert first.status_code == 201, first.content
    again = post(kiosk, url, body)
    assert again.status_code == 200 and again.json()["created"] is False
    assert Response.objects.filter(service=service).count() == 1
    assert Response.objects.get().channel == "kiosk"
    year = timezone.localdate().year
    ikm = kiosk.get(f"{V1}/units/kec-wonoasih/ikm", {"period": str(year)}).json()
    assert ikm["respondents"] == 1 and ikm["ikm"] == "75" and ikm["grade"]["letter"] == "C"


def test_a_kiosk_keeps_sending_to_a_service_whose_link_code_changed(
    people, api, survey_officer, service
):
    from kinerja.surveys.actions import do_save_service

    old = service.slug
    do_save_service(
        service.unit, code=service.code, name=service.name, service=service, slug="ktp-el"
    )
    sent = post(api(survey_officer, write=True), f"{V1}/services/{old}/responses", ANSWERS)
    assert sent.status_code == 201 and sent.json()["service"] == "ktp-el"
    assert Response.objects.get().service == service


def test_it_refuses_bad_bodies_with_a_message_per_field(people, api, survey_officer, service):
    kiosk = api(survey_officer, write=True)
    url = f"{V1}/services/{service.slug}/responses"
    response = post(kiosk, url, {**ANSWERS, "u3": 5, "nik": "3513", "age": "old"})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"u3", "nik", "age"}
    assert fields["nik"] == ["Kolom tidak dikenal."]
    assert post(kiosk, url, [1, 2]).json()["error"] == "bad_json"
    assert (
        kiosk.post(url, "{not json", content_type="application/json").json()["error"] == "bad_json"
    )
    assert kiosk.post(url, "u1=3", content_type="text/plain").status_code == 415
    assert Response.objects.count() == 0


def test_it_refuses_writes_with_a_read_only_key_or_without_the_role(
    people, api, survey_officer, service
):
    url = f"{V1}/services/{service.slug}/responses"
    read_only = post(api(survey_officer), url, ANSWERS)
    assert read_only.status_code == 403 and read_only.json()["error"] == "read_only_key"
    no_role = post(api(people["planner"], write=True), url, ANSWERS)
    assert no_role.status_code == 403 and no_role.json()["error"] == "forbidden"
    assert Response.objects.count() == 0


def test_it_refuses_an_oversized_body_before_reading_it(people, api, survey_officer, service):
    class Unreadable(io.RawIOBase):
        def read(self, *args: object) -> bytes:
            raise AssertionError("the body was read")

    kiosk = api(survey_officer, write=True)
    response = kiosk.generic(
        "POST",
        f"{V1}/services/{service.slug}/responses",
        content_type="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_it_answers_405_with_the_allowed_methods(people, api):
    response = api(people["planner"], write=True).delete(f"{V1}/plans")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_it_records_activities_through_the_registry_rules(people, api):
    group = make_group("RT-01", date(2015, 1, 1))
    make_group("RT-09", date(2015, 1, 1), kelurahan="kel-pakistaji")
    operator = api(people["operator"], write=True)
    body = {"date": "2024-03-05", "type": "facilitation", "title": "Pelatihan", "groups": ["RT-01"]}
    created = post(operator, f"{V1}/activities", body)
    assert created.status_code == 201, created.content
    assert Activity.objects.get().groups.get() == group
    # A group of another kelurahan: refused by do_save_activity, nothing stored.
    other = post(operator, f"{V1}/activities", {**body, "groups": ["RT-09"]})
    assert other.status_code in (400, 403)
    early = post(operator, f"{V1}/activities", {**body, "date": "2010-01-01"})
    assert early.status_code == 400 and "date" in early.json()["fields"]
    assert Activity.objects.count() == 1
    groups = api(people["operator"]).get(f"{V1}/units/kel-wonoasih/groups").json()
    assert [g["code"] for g in groups["results"]] == ["RT-01"]


def test_it_stores_manual_values_for_units_the_user_may_edit(people, api, wonoasih):
    wonoasih.manual_measures = [{"name": "posyandu_aktif", "label": "Posyandu aktif"}]
    wonoasih.save()
    planner = api(people["planner"], write=True)
    url = f"{V1}/plans/wonoasih-2020-2024/manual-values"
    body = {"name": "posyandu_aktif", "unit": "kel-wonoasih", "period": "2023", "value": "12,5"}
    stored = post(planner, url, body)
    assert stored.status_code == 201, stored.content
    assert ManualValue.objects.get().value == 12.5
    assert planner.get(url).json()["results"][0]["value"] == "12.500000"
    wrong = post(planner, url, {**body, "name": "nope", "value": "1e999999"})
    assert wrong.status_code == 400 and set(wrong.json()["fields"]) == {"value"}
    unknown_measure = post(planner, url, {**body, "name": "nope"})
    assert unknown_measure.status_code == 400
    outsider_unit = make_user(
        "perencana-kademangan", Role.PLANNER, OrgUnit.objects.get(code="kec-kademangan")
    )
    refused = post(api(outsider_unit, write=True), url, body)
    assert refused.status_code == 403


def test_it_gives_an_indicators_series_across_the_plans_of_a_chain(people, api):
    from django.conf import settings

    from kinerja.plan.actions import do_load_plan_text
    from kinerja.results.series import series

    text = (settings.BASE_DIR / "plans" / "wonoasih-2025-2029.yaml").read_text(encoding="utf-8")
    plan = do_load_plan_text(text)
    planner = api(people["planner"])
    body = planner.get(f"{V1}/plans/wonoasih-2025-2029/indicators/T1.1/series").json()
    expected = series(plan, "T1.1")
    assert expected is not None and body == expected.as_json()
    assert [p["plan"] for p in body["points"]][:5] == ["wonoasih-2020-2024"] * 5
    assert [p["year"] for p in body["points"] if p["break"]] == [2025]
    missing = planner.get(f"{V1}/plans/wonoasih-2025-2029/indicators/X9/series")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    outsider = api(people["outsider"])
    refused = outsider.get(f"{V1}/plans/wonoasih-2025-2029/indicators/T1.1/series")
    assert refused.status_code == 403
