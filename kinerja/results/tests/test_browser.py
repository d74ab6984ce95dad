from __future__ import annotations

import pytest

from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, put
from kinerja.test import PASSWORD, make_user

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
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "camat")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#iku-I1")
    card = page.locator("#iku-I1")
    assert "50,00%" in card.inner_text() and card.locator("svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    card.locator("a", has_text="50,00%").click()
    page.wait_for_selector("#inputs")
    assert "Warga dilayani" in page.locator("#inputs").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
