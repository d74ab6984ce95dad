from __future__ import annotations

import pytest

from kinerja.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_it_logs_in_and_reads_the_iku_table(device, request, live_server, people) -> None:
    page = request.getfixturevalue(device)
    page.goto(f"{live_server.url}/rencana/wonoasih-2020-2024/")
    page.fill("#id_username", "perencana")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/rencana/wonoasih-2020-2024/")
    table = page.locator("#iku")
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert (
        "Persentase Kelompok dan Lembaga Kemasyarakatan yang Difasilitasi"
        in rows.nth(0).inner_text()
    )
    assert "Dokumen SKM" in rows.nth(1).inner_text()
    targets = page.locator("#targets").inner_text()
    assert "84,60" in targets and "88,60" in targets
    # the page fits the viewport: no sideways scrolling of the whole page on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
