from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.results.actions import do_recompute
from kinerja.results.models import Result
from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, put

pytestmark = pytest.mark.django_db


def test_it_shows_each_iku_with_realisation_target_achievement_and_trend(uji, staff, login) -> None:
    page = login(staff["head"]).get(reverse("home")).content.decode()
    # I1 in 2021: (25 + 15) / (40 + 40) = 50 % against a target of 50 %
    assert 'id="iku-I1"' in page and "Cakupan layanan" in page
    card = page.split('id="iku-I1"')[1].split("</section>")[0]
    assert "50,00%" in card and "100,00%" in card and "<svg" in card
    assert ">50%<" in card  # the target as the document prints it
    # the lower-is-better indicator: 6,5 days against 7 → 107,14 %
    waiting = page.split('id="iku-I3"')[1].split("</section>")[0]
    assert "6,5" in waiting and "107,14%" in waiting
    # every number links to where it comes from
    result = Result.objects.get(indicator__code="I1", unit__code="kec-uji", period_key="2021")
    assert reverse("results:detail", args=[result.pk]) in card


def test_it_compares_the_units_under_the_plan_unit(uji, staff, login) -> None:
    page = login(staff["head"]).get(reverse("home")).content.decode()
    table = page.split('id="units"')[1].split("</table>")[0]
    assert "Satu" in table and "Dua" in table
    assert "62,50%" in table  # Satu 25/40
    assert "37,50%" in table  # Dua 15/40


def test_it_shows_a_chosen_unit_and_year(uji, staff, login) -> None:
    client = login(staff["head"])
    page = client.get(reverse("home"), {"unit": "kel-satu", "year": "2020"}).content.decode()
    card = page.split('id="iku-I1"')[1].split("</section>")[0]
    assert "50,00%" in card  # Satu 2020: 20 / 40
    assert client.get(reverse("home"), {"unit": "kec-lain"}).status_code == 404


def test_it_defaults_to_the_latest_year_with_results(uji, staff, login) -> None:
    page = login(staff["head"]).get(reverse("home")).content.decode()
    assert "<option selected>2021</option>" in page


def test_it_issues_a_constant_number_of_queries(db, staff_factory, client) -> None:
    def count(plan) -> int:
        client.force_login(staff_factory(plan))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    small = load(COVERAGE, code="kecil")
    put(small, "served", "kec-uji", "2021", 1)
    put(small, "registered", "kec-uji", "2021", 2)
    do_recompute(small, years=[2021])
    small_count = count(small)
    Result.objects.all().delete()

    # the same plan with three times the indicators, five more units and results every year
    kec = OrgUnit.objects.get(code="kec-uji")
    for i in range(5):
        OrgUnit.objects.create(code=f"kel-x{i}", name=f"X{i}", level="kelurahan", parent=kec)
    big = load(COVERAGE, GROWTH, WAITING, code="kecil")
    for year in ("2020", "2021", "2022", "2023"):
        put(big, "served", "kec-uji", year, 3)
        put(big, "registered", "kec-uji", year, 4)
    do_recompute(big)
    assert Result.objects.count() == 3 * 8 * 16
    # session, user, roles, plans, default year, definitions, targets, sub-units, results,
    # stale marks, demo marker, unread notifications: the early warnings read nothing more
    assert count(big) == small_count == 12


def test_every_trend_runs_from_the_baseline_with_range_targets_as_two_lines(
    db, staff_factory, client
) -> None:
    plan = load(COVERAGE, GROWTH, WAITING)
    do_recompute(plan)
    client.force_login(staff_factory(plan))
    page = client.get(reverse("home")).content.decode()
    waiting = page.split('id="iku-I3"')[1].split("</section>")[0]
    # the baseline year 2020 and every year of the plan, its range target of 2022 as two lines
    for year in (2020, 2021, 2022, 2023):
        assert f">{year}</text>" in waiting
    desc = waiting.split("<desc>")[1].split("</desc>")[0]
    assert re.search(r"Target \(batas bawah\): [^;]*2022 3", desc)
    assert re.search(r"Target \(batas atas\): [^;]*2022 5", desc)
    dashed = r'<polyline[^>]*stroke-dasharray="6 4"'
    # a plain target is one line
    coverage = page.split('id="iku-I1"')[1].split("</section>")[0]
    assert "batas bawah" not in coverage and len(re.findall(dashed, coverage)) == 1


def test_it_shows_no_plan_to_an_outsider(uji, staff, login) -> None:
    page = login(staff["outsider"]).get(reverse("home")).content.decode()
    assert "Cakupan layanan" not in page


def test_it_refuses_anonymous_users(client, uji) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_links_every_compared_cell_to_its_own_result(uji, staff, login) -> None:
    page = login(staff["head"]).get(reverse("home")).content.decode()
    table = page.split('id="units"')[1].split("</table>")[0]
    rows = Result.objects.filter(
        plan=uji, period_key="2021", unit__code__in=["kel-satu", "kel-dua"]
    )
    assert rows.count() == 6  # three indicators of two kelurahan
    for row in rows:
        link = f'href="{reverse("results:detail", args=[row.pk])}"'
        assert table.count(link) == 1, row
        if row.realisation is None:  # a dash with the reason, no number
            assert f'<a class="muted" {link} title="{row.reason}">–</a>' in table
    # a kelurahan's waiting days are not measured: a dash with the reason as the link's title
    assert 'title="belum diukur">–</a>' in table


def row_of(table: str, unit_code: str) -> str:
    row = table[table.index(f"unit={unit_code}&") :]
    return row[: row.index("</tr>")]


def test_it_labels_units_without_targets_of_their_own_as_contributions(uji, staff, login) -> None:
    client = login(staff["head"])
    page = client.get(reverse("home")).content.decode()
    table = page.split('id="units"')[1].split("</table>")[0]
    # The kecamatan is scored against its targets: 40 / 80 = 50 % of 50 % → 100 %.
    assert "100,00% · Tercapai" in row_of(table, "kec-uji")
    # Its kelurahan have no targets of their own: Dua's 37,50 % is a contribution, not 75 %
    # of the kecamatan's target ("Tidak tercapai").
    dua = row_of(table, "kel-dua")
    assert "37,50%" in dua and "kontribusi" in dua
    assert "Tidak tercapai" not in dua and "75,00%" not in dua
    assert "Tercapai" not in row_of(table, "kel-satu")
    assert "belum diukur" in dua  # a contribution not measured still says so
    assert "Kontribusi: satuan di bawah Kecamatan Uji tanpa target sendiri" in page
    # A kelurahan's own dashboard: its value, no target, no achievement, no target line.
    own = client.get(reverse("home"), {"unit": "kel-dua", "year": "2021"}).content.decode()
    card = own.split('id="iku-I1"')[1].split("</section>")[0]
    assert "37,50%" in card and "kontribusi" in card and "Tidak tercapai" not in card
    assert "Tanpa target sendiri" in card and ">50%<" not in card
    assert "stroke-dasharray" not in card.split("<svg")[1]
