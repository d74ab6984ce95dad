from __future__ import annotations

import pytest

from kinerja.test import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_planner_enters_quarter_targets_and_a_narrative(device, request, live_server) -> None:
    from kinerja.plan.models import Indicator
    from kinerja.test import load_wonoasih, personas

    plan = load_wonoasih()
    personas()
    page = request.getfixturevalue(device)
    log_in(
        page,
        f"{live_server.url}/hasil/rencana/{plan.code}/triwulan/renaksi/?year=2024",
        "perencana",
    )
    form = page.locator("#targets-S1\\.1")
    for q, value in enumerate(["10", "20", "30", "40"], start=1):
        form.locator(f"[name=q{q}]").fill(value)
    form.locator("button").click()
    s11 = Indicator.objects.get(plan=plan, code="S1.1")
    page.wait_for_selector(f"#ind-{s11.pk} .target-q4")
    assert page.locator(f"#ind-{s11.pk} .target-q4").inner_text().strip() == "40,00%"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("text=Laporan TW 1")
    page.fill(f"#drivers-{s11.pk}", "Kader aktif")
    page.locator("#row-S1\\.1 button").click()
    page.wait_for_selector("#quarter-report")
    assert page.locator(f"#drivers-{s11.pk}").input_value() == "Kader aktif"
    page.click("text=Belum lapor")
    page.wait_for_selector("#positions")
    assert "Kasi Pelayanan" in page.locator("#positions").inner_text()
