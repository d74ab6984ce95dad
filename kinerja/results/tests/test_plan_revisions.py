"""A plan file that would destroy stored results is refused; a revision keeps earlier years
exactly as they were reported (docs/rules.md#plan-revisions)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from kinerja.plan.models import Indicator, PlanVersion
from kinerja.plan.planfile import dump_plan, parse_plan
from kinerja.plan.tests.test_diff import without
from kinerja.results.actions import do_recompute
from kinerja.results.models import Result, YearLock
from kinerja.test import WONOASIH_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(wonoasih):
    """The seed plan with results of 2022 (locked) and 2024."""
    for step in ("kinerja.demo.community.load", "kinerja.demo.surveys.load"):
        import_string(step)(wonoasih)
    do_recompute(wonoasih, years=[2022, 2024])
    YearLock.objects.create(plan=wonoasih, year=2022, locked_at=timezone.now())
    return wonoasih


def stored_results() -> list[tuple[Any, ...]]:
    return list(
        Result.objects.order_by("pk").values_list(
            "pk", "indicator_id", "unit_id", "period_key", "realisation", "achievement", "status"
        )
    )


def iku(year: int) -> str:
    out = StringIO()
    call_command("results", "iku", "--year", str(year), "--json", stdout=out)
    return out.getvalue()


def without_t11(tmp_path: Path) -> Path:
    path = tmp_path / "tanpa-t11.yaml"
    seed = parse_plan(WONOASIH_PLAN.read_text(encoding="utf-8"))
    path.write_text(dump_plan(without(seed, "T1.1")), encoding="utf-8")
    return path


def test_the_plan_without_t11_is_refused_by_load_and_upload_and_revises(
    reported, tmp_path, people, login
) -> None:
    path = without_t11(tmp_path)
    before = stored_results()
    assert any(Indicator.objects.get(pk=r[1]).code == "T1.1" for r in before)
    iku_2022 = iku(2022)

    with pytest.raises(CommandError) as refused:
        call_command("plan", "load", str(path))
    assert "T1.1" in str(refused.value) and "2022" in str(refused.value)
    assert stored_results() == before

    response = login(people["planner"]).post(
        reverse("plan:upload"),
        {"file": SimpleUploadedFile("p.yaml", path.read_bytes()), "store": "on"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "T1.1" in errors and "2022" in errors
    assert stored_results() == before
    assert Indicator.objects.filter(code="T1.1").count() == 1

    call_command(
        "plan",
        "load",
        str(path),
        "--revise",
        "--effective",
        "2024",
        "--reason",
        "Reviu IKU 2023",
        "--decree",
        "800/12/2023, 2 Januari 2024",
    )
    assert stored_results() == before  # nothing deleted, nothing recomputed
    assert iku(2022) == iku_2022
    assert "T1.1" in iku(2023)
    assert "T1.1" not in iku(2024)

    out = StringIO()
    call_command("plan", "history", "wonoasih-2020-2024", "--json", stdout=out)
    versions = json.loads(out.getvalue())["versions"]
    assert [(v["number"], v["effective_from"]) for v in versions] == [(1, 2020), (2, 2024)]
    assert versions[1]["reason"] == "Reviu IKU 2023"
    assert versions[1]["decree"] == "800/12/2023, 2 Januari 2024"
    assert versions[1]["summary"]["removed"] == 1
    # times in local time (WIB), the JSON with its +07:00 offset
    assert versions[1]["at"].endswith("+07:00")
    out = StringIO()
    call_command("plan", "history", "wonoasih-2020-2024", stdout=out)
    assert out.getvalue().count(" WIB ") == 2

    # The 2024 results of the dropped definition are not that year's figures any more.
    do_recompute(reported, years=[2024])
    assert "T1.1" not in iku(2024) and iku(2022) == iku_2022


def test_a_revision_of_a_locked_year_or_without_a_reason_is_refused(reported, tmp_path) -> None:
    path = without_t11(tmp_path)
    before = stored_results()
    versions = list(PlanVersion.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError) as locked:
        call_command("plan", "load", str(path), "--revise", "--effective", "2022", "--reason", "x")
    assert "effective" in str(locked.value) and "2022" in str(locked.value)
    with pytest.raises(CommandError) as no_reason:
        call_command("plan", "load", str(path), "--revise", "--effective", "2024")
    assert "reason" in str(no_reason.value)
    with pytest.raises(CommandError) as outside:
        call_command("plan", "load", str(path), "--revise", "--effective", "2031", "--reason", "x")
    assert "effective" in str(outside.value) and "2031" in str(outside.value)
    assert stored_results() == before
    assert list(PlanVersion.objects.values_list("pk", flat=True)) == versions
    assert Indicator.objects.filter(code="T1.1", valid_until__isnull=True).exists()


def test_plan_diff_prints_the_difference_without_loading(reported, tmp_path) -> None:
    path = without_t11(tmp_path)
    out = StringIO()
    with pytest.raises(SystemExit) as refused:  # exits 1 as the load would be refused
        call_command("plan", "diff", str(path), "--json", stdout=out)
    assert refused.value.code == 1
    report = json.loads(out.getvalue())
    assert [(c["indicator"], c["kind"]) for c in report["changes"]] == [("T1.1", "removed")]
    assert report["refused"] and "T1.1" in report["refused"][0]
    out = StringIO()
    call_command("plan", "diff", str(path), "--effective", "2024", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["changes"][0]["years"] == [2024] and report["refused"] == []
    assert Indicator.objects.filter(code="T1.1", valid_until__isnull=True).exists()


def test_a_redefined_indicator_keeps_its_old_definition_before_the_effective_year(
    reported, tmp_path
) -> None:
    text = WONOASIH_PLAN.read_text(encoding="utf-8")
    old = Indicator.objects.get(code="S1.1")
    renamed = text.replace(old.name, "Persentase kelompok yang dibina (definisi baru)", 1)
    assert renamed != text
    path = tmp_path / "baru.yaml"
    path.write_text(renamed, encoding="utf-8")
    with pytest.raises(CommandError):  # a rename touches the locked 2022
        call_command("plan", "load", str(path))
    call_command("plan", "load", str(path), "--revise", "--effective", "2023", "--reason", "x")
    rows = Indicator.objects.filter(code="S1.1").order_by("pk")
    assert [(r.valid_from, r.valid_until) for r in rows] == [(None, 2022), (2023, None)]
    assert json.loads(iku(2022))["indicators"][1]["name"] == old.name
    assert json.loads(iku(2023))["indicators"][1]["name"].endswith("(definisi baru)")
    # The new definition has targets from its first year only; the old one keeps its own.
    assert sorted(rows[1].targets.filter(quarter=0).values_list("year", flat=True)) == [2023, 2024]
    assert rows[0].targets.filter(quarter=0).count() == 5


def test_the_reason_and_decree_of_a_revision_are_bounded(wonoasih, tmp_path, settings) -> None:
    path = without_t11(tmp_path)
    assert django_settings.KINERJA_PLAN_REVISION_REASON_MAX_CHARS == 2000
    settings.KINERJA_PLAN_REVISION_REASON_MAX_CHARS = 20
    args = ["plan", "load", str(path), "--revise", "--effective", "2024"]
    with pytest.raises(CommandError) as long_reason:
        call_command(*args, "--reason", "x" * 21)
    assert "reason" in str(long_reason.value)
    with pytest.raises(CommandError) as long_decree:
        call_command(*args, "--reason", "x" * 20, "--decree", "d" * 301)
    assert "decree" in str(long_decree.value)
    assert PlanVersion.objects.count() == 1  # the first load only
    call_command(*args, "--reason", "x" * 20, "--decree", "d" * 300)
    assert PlanVersion.objects.count() == 2


def test_the_upload_stores_a_revision_once_confirmed_and_names_a_missing_reason(
    wonoasih, tmp_path, people, login
) -> None:
    client = login(people["planner"])
    text = without_t11(tmp_path).read_text(encoding="utf-8")
    response = client.post(
        reverse("plan:upload"),
        {"file": SimpleUploadedFile("p.yaml", text.encode()), "store": "on", "effective": "2024"},
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert response.status_code == 200 and "reason" in errors
    assert PlanVersion.objects.count() == 1
    posted = {"store": "on", "effective": "2024", "reason": "Reviu IKU"}
    response = client.post(
        reverse("plan:upload"), {**posted, "file": SimpleUploadedFile("p.yaml", text.encode())}
    )
    assert response.status_code == 200 and response.context["confirm"]
    assert [(c.code, c.kind, c.years) for c in response.context["diff"].changes] == [
        ("T1.1", "removed", (2024,))
    ]
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("plan:upload"),
        {**posted, "text": confirm["text"].value(), "digest": confirm["digest"].value()},
    )
    assert response.status_code == 302
    version = PlanVersion.objects.get(number=2)
    assert (version.effective_from, version.reason, version.created_by) == (
        2024,
        "Reviu IKU",
        people["planner"],
    )
    page = client.get(reverse("plan:detail", args=[wonoasih.code])).content.decode()
    assert "Reviu IKU" in page and "T1.1" in page  # the versions table and their difference
    url = reverse("plan:detail", args=[wonoasih.code])
    html = client.get(url + "?year=2024&from=2&to=2").content.decode()
    assert '<span class="code">T1.1</span>' not in html  # 2024 has no T1.1 (the notes name it)
    html = client.get(url + "?year=2023").content.decode()
    assert '<span class="code">T1.1</span>' in html
