from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kinerja.accounts.models import OrgUnit
from kinerja.community.measures import (
    groups_facilitated,
    groups_fostered_cumulative,
    groups_total,
)
from kinerja.community.models import Activity, ActivityGroup, Group
from kinerja.demo import community as demo
from kinerja.demo.period import data_end
from kinerja.lib.default_year import default_year
from kinerja.plan.models import Plan
from kinerja.surveys.models import Response
from kinerja_core.periods import Period

pytestmark = pytest.mark.django_db


def test_it_loads_a_believable_registry_once(wonoasih) -> None:
    summary = demo.load(wonoasih)
    assert "DATA CONTOH" in summary
    groups, activities, links = (
        Group.objects.count(),
        Activity.objects.count(),
        ActivityGroup.objects.count(),
    )
    assert 100 <= groups <= 200
    assert Group.objects.filter(dissolved__isnull=False).exists()
    assert Group.objects.filter(established__year__gte=2020).exists()
    assert set(Group.objects.values_list("kelurahan__code", flat=True)) == {
        u.code for u in wonoasih.unit.subtree().filter(level="kelurahan")
    }
    assert Activity.objects.filter(date__year=2019).exists()
    assert Activity.objects.filter(date__year=2024).exists()
    demo.load(wonoasih)  # idempotent
    assert (Group.objects.count(), Activity.objects.count(), ActivityGroup.objects.count()) == (
        groups,
        activities,
        links,
    )


def test_it_makes_coverage_rise_year_on_year(wonoasih) -> None:
    demo.load(wonoasih)
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    facilitated, cumulative = [], []
    for year in range(2019, 2025):
        total = groups_total(kec, Period(year))
        facilitated.append(groups_facilitated(kec, Period(year)) / total)
        cumulative.append(groups_fostered_cumulative(kec, Period(year)) / total)
    assert cumulative == sorted(cumulative) and cumulative[0] < cumulative[-1]
    assert facilitated[-1] > facilitated[0]
    assert 0.1 < facilitated[0] < 0.35 and 0.3 < facilitated[-1] < 0.55


def run(*args: str) -> Any:
    out = StringIO()
    call_command("results", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_it_loads_both_plans_and_data_through_the_last_complete_quarter(db) -> None:
    from kinerja.demo.loader import run_demo

    run_demo(say=lambda _line: None)
    end = data_end()
    assert list(Plan.objects.order_by("code").values_list("code", "continues")) == [
        ("wonoasih-2020-2024", ""),
        ("wonoasih-2025-2029", "wonoasih-2020-2024"),
    ]
    assert Response.objects.filter(submitted_at__date__gt=end).count() == 0
    assert Response.objects.filter(submitted_at__year=end.year).exists()
    assert Activity.objects.filter(date__gt=end).count() == 0
    # every page opens on the year of the last complete quarter, which has data
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    assert default_year(kec) == default_year(None) == min(end.year, 2029)
    # the series of the IKM runs 2020 to that year; its 2020–2024 values are the old plan's table
    last = min(end.year, 2029)
    found = run("series", "wonoasih-2025-2029", "S2.1", "--json")
    points = {p["year"]: p for p in found["points"]}
    assert list(points) == list(range(2020, last + 1))
    assert not any(p["break"] for p in found["points"])
    for year in range(2020, 2025):
        table = run("iku", "--plan", "wonoasih-2020-2024", "--year", str(year), "--json")
        (ikm,) = [row for row in table["indicators"] if row["code"] == "S2.1"]
        assert points[year]["plan"] == "wonoasih-2020-2024"
        assert {k: points[year][k] for k in ("target", "realisation", "achievement")} == {
            k: ikm[k] for k in ("target", "realisation", "achievement")
        }
        assert ikm["realisation"] is not None
    assert points[2025]["target"] == 88.6 and points[2025]["plan"] == "wonoasih-2025-2029"
    coverage = run("series", "wonoasih-2025-2029", "T1.1", "--json")
    assert [p["year"] for p in coverage["points"] if p["break"]] == [2025]
    # The Renaksi of 2024 names lines of the demo budget, its reports entered on time.
    from kinerja.budget.models import BudgetLine
    from kinerja.monitoring.models import QuarterNarrative, QuarterReport, RenaksiAction

    codes = set(
        RenaksiAction.objects.filter(renaksi__year=2024).values_list("budget_code", flat=True)
    )
    lines = BudgetLine.objects.filter(unit=kec, year=2024, code__in=codes)
    assert codes and set(lines.values_list("code", flat=True)) == codes
    assert QuarterNarrative.objects.exists()
    assert not QuarterNarrative.objects.filter(late=True).exists()
    assert not QuarterReport.objects.filter(late=True).exists()


def test_the_data_ends_with_the_last_complete_quarter() -> None:
    assert data_end(date(2026, 12, 7)) == date(2026, 9, 30)
    assert data_end(date(2026, 10, 1)) == date(2026, 9, 30)
    assert data_end(date(2026, 9, 30)) == date(2026, 6, 30)
    assert data_end(date(2027, 1, 5)) == date(2026, 12, 31)
