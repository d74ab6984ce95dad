"""The Wonoasih plan with the community and survey demo data: the figures it must reproduce."""

from __future__ import annotations

import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.module_loading import import_string
from openpyxl import load_workbook

from kinerja.accounts.models import Membership, Role
from kinerja.results.actions import do_recompute
from kinerja.results.models import Result
from kinerja_core.numbers import format_decimal

pytestmark = pytest.mark.django_db

FIELDS = {
    "code",
    "name",
    "level",
    "iku",
    "unit",
    "target",
    "realisation",
    "achievement",
    "status",
    "computable",
    "published",
    "reason",
}


def test_it_reports_the_four_indicators_alike_everywhere(
    wonoasih, client, django_user_model
) -> None:
    for step in ("kinerja.demo.community.load", "kinerja.demo.surveys.load"):
        import_string(step)(wonoasih)
    summary = do_recompute(wonoasih, years=[2020, 2023])  # the years read below: keeps it fast
    assert summary.created == 4 * 7 * 2 * 5  # 4 indicators, 7 units, 2 × (year + 4 quarters)
    assert do_recompute(wonoasih, years=[2023]).unchanged == summary.created / 2  # idempotent

    out = StringIO()
    call_command("results", "iku", "--year", "2023", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["plan"] == "wonoasih-2020-2024" and report["year"] == 2023
    assert [i["code"] for i in report["indicators"]] == ["T1.1", "S1.1", "T2.1", "S2.1"]
    for item in report["indicators"]:
        assert set(item) == FIELDS
        assert item["computable"] and item["realisation"] is not None, item
        assert item["published"] is False  # the demo's IKM comes from its answers
        assert isinstance(item["achievement"], float)
    assert report["indicators"][2]["target"] == 87.6
    assert report["indicators"][2]["realisation"] == report["indicators"][3]["realisation"]

    # the same numbers on the dashboard ...
    user = django_user_model.objects.create(username="camat-uji")
    Membership.objects.create(user=user, unit=wonoasih.unit, role=Role.HEAD)
    client.force_login(user)
    page = client.get(reverse("home"), {"year": "2023"}).content.decode()
    for item in report["indicators"]:
        card = page.split(f'id="iku-{item["code"]}"')[1].split("</section>")[0]
        assert format_decimal(item["realisation"], 2) in card
        assert format_decimal(item["achievement"], 2) + "%" in card

    # ... and in the capaian workbook
    from kinerja.reports.registry import render

    sheet = load_workbook(io.BytesIO(render("capaian", "xlsx", wonoasih, 2023))).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    for item in report["indicators"]:
        assert rows[item["code"]][4:7] == (item["target"], item["realisation"], item["achievement"])

    # T1.1 2020 reads its year N−1 from the baseline year 2019
    first = Result.objects.get(indicator__code="T1.1", unit=wonoasih.unit, period_key="2020")
    assert first.inputs["prev(cakupan_pemas)"]["period"] == "2019"
