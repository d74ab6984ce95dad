"""Counts on web pages carry Indonesian thousands dots (1.200; 5.000), as the documents do
(docs/rules.md#document-format)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db


def page(name: str, **context: object) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("id"):
        return render_to_string(name, context, request=request)


def test_the_community_drilldown_totals_have_thousands_dots() -> None:
    unit = SimpleNamespace(code="kec-x", name="Kecamatan X")
    total = {"total": 1200, "facilitated": 5000, "fostered": 1500}
    row = {"unit": unit, **total, "facilitated_percent": None, "fostered_percent": None}
    text = page(
        "community/drilldown.html",
        unit=unit,
        year=2025,
        period=SimpleNamespace(kind="year"),
        filters={},
        sum=row,
        rows=[row, row],
        blocks=None,
    )
    summary = text[text.find('id="summary"') :]
    assert '<div class="big">1.200</div>' in summary
    assert summary.count(">1.200<") >= 3 and ">5.000 <small>" in summary
    assert ">1200<" not in text and ">5000" not in text


def test_survey_suggestions_and_import_outcomes_have_thousands_dots() -> None:
    groups = [{"text": "Ruang tunggu sempit.", "count": 1200, "latest": None}]
    assert '<td class="num">1.200</td>' in page("surveys/_suggestions.html", groups=groups)
    result = {"dry_run": True, "rows": 5000, "inserted": 1200, "skipped": 3800}
    outcome = page("surveys/_import_outcome.html", result=result)
    assert "5.000" in outcome and "1.200" in outcome and "3.800" in outcome
