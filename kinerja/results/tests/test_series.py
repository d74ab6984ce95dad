"""One indicator's series across a chain of plans, and the one default-year rule
(docs/rules.md#plans-series-across-plans, docs/rules.md#default-year)."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.lib.default_year import default_year
from kinerja.plan.actions import do_load_plan_text
from kinerja.results.actions import do_recompute
from kinerja.results.default_year import plan_default_year
from kinerja.results.queries import iku_json
from kinerja.results.series import plan_series, series
from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, plan_text, put

pytestmark = pytest.mark.django_db

CROSSWALK = "continues: uji\ncrosswalk:\n  I1: {%s: I1, reason: Rumus baru}\n"


def next_plan(kind: str = "redefined", *indicators: str) -> str:
    """Plan "uji-baru" (2024–2026) continuing "uji" (2021–2023), its I1 linked by ``kind``."""
    text = plan_text(*(indicators or (COVERAGE,)), code="uji-baru", extra=CROSSWALK % kind)
    text = text.replace("{start: 2021, end: 2023, baseline: 2020}", "{start: 2024, end: 2026}")
    text = text.replace("{2021: 50, 2022: 60, 2023: 70}", "{2024: 75, 2025: 80, 2026: 85}")
    text = text.replace("{2021: 10, 2022: 10, 2023: 10}", "{2024: 10, 2025: 10, 2026: 10}")
    text = text.replace(
        "{2021: 7, 2022: {low: 3, high: 5}, 2023: 0}", "{2024: 5, 2025: 4, 2026: 3}"
    )
    return re.sub(r"\n *quarter_targets: .*", "", text)


@pytest.fixture
def chain():
    old = load(COVERAGE)
    new = do_load_plan_text(next_plan())
    # manual values belong to a plan: each plan is fed for its own years
    for plan, year, served in (
        (old, "2021", 25), (old, "2022", 33), (old, "2023", 36), (new, "2024", 40), (new, "2025", 45)
    ):  # fmt: skip
        put(plan, "served", "kec-uji", year, served)
        put(plan, "registered", "kec-uji", year, 60)
    do_recompute(old)
    do_recompute(new)
    return old, new


def run(*args: str) -> str:
    out = StringIO()
    call_command("results", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_runs_from_the_oldest_plan_to_the_newest_with_each_years_own_values(chain) -> None:
    old, new = chain
    found = json.loads(run("series", "uji-baru", "I1", "--json"))
    assert (found["plan"], found["indicator"]) == ("uji-baru", "I1")
    points = found["points"]
    assert [p["year"] for p in points] == [2021, 2022, 2023, 2024, 2025, 2026]
    assert [p["plan"] for p in points] == ["uji"] * 3 + ["uji-baru"] * 3
    assert [p["break"] for p in points] == [False, False, False, True, False, False]
    for point in points:
        plan = old if point["plan"] == "uji" else new
        (row,) = [i for i in iku_json(plan, point["year"])["indicators"] if i["code"] == "I1"]
        expected = {k: row[k] for k in ("target", "realisation", "achievement")}
        assert {k: point[k] for k in expected} == expected, point["year"]
    # 2023 is read from the old plan, 2024 from the new one: each with its own target
    assert (points[2]["target"], points[2]["realisation"]) == (70.0, 60.0)
    assert (points[3]["target"], points[3]["realisation"]) == (75.0, 66.67)
    assert found["breaks"] == [{"year": 2024, "kind": "redefined", "reason": "Rumus baru"}]


def test_it_stops_at_the_year_asked_and_this_year(chain) -> None:
    _old, new = chain
    short, shorter = series(new, "I1", until=2024), series(new, "I1", until=2022)
    assert short is not None and shorter is not None
    assert short.years == [2021, 2022, 2023, 2024]
    assert shorter.years == [2021, 2022]
    assert series(new, "I9") is None
    with pytest.raises(CommandError, match="has no indicator 'I9'"):
        run("series", "uji-baru", "I9")


def test_a_same_indicator_runs_on_without_a_break(db) -> None:
    load(COVERAGE)
    new = do_load_plan_text(next_plan("same"))
    found = series(new, "I1", until=2026)
    assert found is not None
    assert found.breaks == [] and found.redefinitions() == []
    assert [p.plan.code for p in found.points][:3] == ["uji"] * 3
    table = run("series", "uji-baru", "I1")
    assert "‖" not in table and "2021" in table and "2026" in table


def test_it_reads_a_chain_in_a_fixed_number_of_queries(db) -> None:
    def count(plan) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert plan_series(plan, until=2026)
        return len(queries)

    load(COVERAGE)
    small = count(do_load_plan_text(next_plan("same")))
    load(COVERAGE, GROWTH, WAITING)
    crosswalk = CROSSWALK % "same" + "  I2: {same: I2}\n  I3: {same: I3}\n"
    big = do_load_plan_text(
        next_plan("same", COVERAGE, GROWTH, WAITING).replace(CROSSWALK % "same", crosswalk)
    )
    assert len(plan_series(big, until=2026)) == 3
    assert count(big) == small


def test_the_dashboard_marks_the_break_and_says_why(chain, staff, login) -> None:
    page = login(staff["head"]).get(reverse("home"), {"plan": "uji-baru"}).content.decode()
    card = page.split('id="iku-I1"')[1].split("</section>")[0]
    assert card.count('class="series-break"') == 1
    for year in range(2021, 2027):
        assert f">{year}</text>" in card
    assert "Rumus baru" in card and "uji" in card


def test_the_dashboard_series_runs_from_the_oldest_baseline_to_the_newest_plans_end(
    chain, staff, login
) -> None:
    page = login(staff["head"]).get(reverse("home"), {"plan": "uji-baru"}).content.decode()
    card = page.split('id="iku-I1"')[1].split("</section>")[0]
    # the old plan's baseline year first, the new plan's future target (85 % in 2026) last
    years = re.findall(r'text-anchor="middle" fill="#1d2433">(\d{4})</text>', card)
    assert years == [str(y) for y in range(2020, 2027)]
    assert "2026 85" in card.split("<desc>")[1].split("</desc>")[0]


def test_years_after_the_measured_one_carry_their_targets_only(chain) -> None:
    found = plan_series(chain[1], until=2024, outlook=2026)["I1"]
    assert found.years == [2021, 2022, 2023, 2024, 2025, 2026]
    points = {p.year: p for p in found.points}
    # 2025 has a stored value (45 / 60) but is not measured yet as of 2024: its target only
    assert points[2024].realisation is not None and points[2025].realisation is None
    assert [points[y].target for y in (2025, 2026)] == [80, 85]
    assert found.baseline is not None and found.baseline.year == 2020


def test_the_default_year_is_the_latest_with_data_not_after_today(chain) -> None:
    old, new = chain
    assert plan_default_year(new, today=2026) == 2025  # no result yet in 2026
    assert plan_default_year(new, today=2024) == 2024
    assert plan_default_year(old, today=2026) == 2023  # its own years only
    # before any result of the new plan: the plan's first year, never a year after today
    assert plan_default_year(new, today=2023) == 2024
    kec = OrgUnit.objects.get(code="kec-uji")
    kel = OrgUnit.objects.get(code="kel-satu")
    # the pages' entry point: the plan in force for the unit (or its kecamatan) this year
    assert default_year(kec) == default_year(kel) == default_year(None)
    assert default_year(kec) == plan_default_year(new)


def revised(effective: int, **changes: str):
    """Plan "uji" with I1 reported 2021–2023, then revised from ``effective`` on (the text
    replacements in ``changes``), results recomputed."""
    from kinerja.plan.actions import Revision

    plan = load(COVERAGE)
    for year, served in (("2021", 25), ("2022", 33), ("2023", 36)):
        put(plan, "served", "kec-uji", year, served)
        put(plan, "registered", "kec-uji", year, 60)
    do_recompute(plan)
    text = plan_text(COVERAGE)
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    plan = do_load_plan_text(text, None, Revision(effective, "Reviu IKU 2023"))
    do_recompute(plan)
    return plan


def test_a_revision_within_a_plan_breaks_the_series_where_it_redefines(db) -> None:
    plan = revised(
        2023,
        **{"served / registered * 100": "(registered - served) / registered * 100"},
    )
    found = series(plan, "I1", until=2023)
    assert found is not None
    # each year reads the definition in force that year: 2021–2022 the old row, 2023 the new one
    rows = [p.cell.indicator for p in found.points]
    assert [r.valid_until for r in rows] == [2022, 2022, None]
    assert found.breaks == [2023]
    for point in found.as_json()["points"]:
        (row,) = [i for i in iku_json(plan, point["year"])["indicators"] if i["code"] == "I1"]
        assert point["realisation"] == row["realisation"], point["year"]
    assert [p["realisation"] for p in found.as_json()["points"]] == [41.67, 55.0, 40.0]
    assert found.as_json()["breaks"] == [
        {"year": 2023, "kind": "redefined", "reason": "Reviu IKU 2023"}
    ]
    assert [d["formula"] for d in found.as_json()["definitions"]] == [
        "served / registered * 100",
        "(registered - served) / registered * 100",
    ]
    (note,) = found.footnotes()
    assert "2023" in note and "Reviu IKU 2023" in note and "redefined" in note


def test_a_revision_that_renames_only_keeps_one_line(db) -> None:
    plan = revised(2022, **{"name: Cakupan layanan": "name: Cakupan layanan terpadu"})
    found = series(plan, "I1", until=2023)
    assert found is not None
    assert found.breaks == [] and found.footnotes() == []
    assert [d["name"] for d in found.as_json()["definitions"]] == [
        "Cakupan layanan",
        "Cakupan layanan terpadu",
    ]
    assert [p.cell.indicator.valid_from for p in found.points] == [None, 2022, 2022]


@pytest.fixture
def redefined_from_2023(db):
    return revised(
        2023, **{"served / registered * 100": "(registered - served) / registered * 100"}
    )


def test_the_dashboard_of_a_revised_plan_reads_each_year_from_its_own_definition(
    redefined_from_2023, staff, login
) -> None:
    asked = {"plan": redefined_from_2023.code, "year": "2023"}
    page = login(staff["head"]).get(reverse("home"), asked)
    card = page.content.decode().split('id="iku-I1"')[1].split("</section>")[0]
    assert card.count('class="series-break"') == 1 and "Reviu IKU 2023" in card
    # 2021 and 2022 were reported against the old definition: their values are still drawn
    assert "41,67" in card and "55,00" in card
