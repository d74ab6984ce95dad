from __future__ import annotations

import pytest

from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, put
from kinerja.test import log_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_it_shows_the_dashboard_without_sideways_scrolling(device, request, live_server) -> None:
    from kinerja.accounts.models import Role
    from kinerja.results.actions import do_recompute

    plan = load(COVERAGE, GROWTH, WAITING)
    put(plan, "served", "kec-uji", "2021", 30)
    put(plan, "registered", "kec-uji", "2021", 60)
    do_recompute(plan, years=[2021])
    make_user("camat", Role.PLANNER, plan.unit)  # heads need a second factor
    page = request.getfixturevalue(device)
    log_in(page, f"{live_server.url}/", "camat")
    page.wait_for_selector("#iku-I1")
    card = page.locator("#iku-I1")
    assert "50,00%" in card.inner_text() and card.locator("svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    card.locator("a", has_text="50,00%").click()
    page.wait_for_selector("#inputs")
    assert "Warga dilayani" in page.locator("#inputs").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_demo_dashboard_draws_one_ikm_line_across_plans_and_a_coverage_break(
    desktop, live_server, demo
) -> None:
    """The 2025–2029 draft continues 2020–2024: S2.1 (same) is one line from the old plan's
    baseline (2019) to the last year with data, then the targets to 2029; T1.1 (redefined) is cut
    and marked where the definition changed."""
    from kinerja.demo.loader import DEMO_PASSWORD
    from kinerja.demo.period import data_end

    last = min(data_end().year, 2029)
    log_in(desktop, f"{live_server.url}/", "perencana", DEMO_PASSWORD)
    desktop.wait_for_selector("#iku-S2\\.1")
    assert "wonoasih-2025-2029" in desktop.locator("#id_plan").input_value()
    ikm = desktop.locator("#iku-S2\\.1 svg")
    years = ikm.locator("text").all_text_contents()
    # eleven years: every second one labelled, counted back from 2029; the description has all
    assert [str(y) for y in range(2019, 2030, 2)] == [
        t for t in years if t.isdigit() and len(t) == 4
    ]
    desc = ikm.locator("desc").text_content() or ""
    assert all(f"{y} " in desc for y in range(2019, 2030))
    realisation = ikm.locator("polyline").first.get_attribute("points").split()
    # one unbroken line through every measured year (from the baseline, when it has a value)
    assert len(realisation) in (last - 2020 + 1, last - 2019 + 1)
    assert ikm.locator(".series-break").count() == 0
    coverage = desktop.locator("#iku-T1\\.1")
    assert coverage.locator("svg .series-break").count() == 1
    assert "2025" in coverage.locator("figcaption").inner_text()
    # the two stretches of the realisation: 2020–2024 and from 2025, not joined across the break
    lines = coverage.locator("svg polyline").all()
    assert sorted(len(p.get_attribute("points").split()) for p in lines[:2]) == [
        last - 2025 + 1,
        5,
    ]
    # the plan page lists the crosswalk (axe checks this page too)
    desktop.goto(f"{live_server.url}/rencana/wonoasih-2025-2029/")
    crosswalk = desktop.locator("#crosswalk").inner_text()
    assert "wonoasih-2020-2024" in crosswalk and "didefinisikan ulang" in crosswalk
