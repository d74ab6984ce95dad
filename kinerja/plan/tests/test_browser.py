from __future__ import annotations

import pytest

from kinerja.test import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_it_logs_in_and_reads_the_iku_table(device, request, live_server, people) -> None:
    page = request.getfixturevalue(device)
    log_in(page, f"{live_server.url}/rencana/wonoasih-2020-2024/", "perencana")
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


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_plan_page_lists_versions_and_compares_two(
    device, request, live_server, people, wonoasih
) -> None:
    from kinerja.plan.actions import Revision, do_load_plan
    from kinerja.plan.planfile import parse_plan
    from kinerja.plan.tests.test_diff import without
    from kinerja.test import WONOASIH_PLAN

    doc = without(parse_plan(WONOASIH_PLAN.read_text(encoding="utf-8")), "T1.1")
    do_load_plan(doc, None, Revision(2024, "Reviu IKU 2023"))
    page = request.getfixturevalue(device)
    log_in(page, f"{live_server.url}/rencana/wonoasih-2020-2024/?from=1&to=2", "perencana")
    versions = page.locator("#versions").inner_text()
    assert "Reviu IKU 2023" in versions and "T1.1" in versions and "dihapus" in versions
    assert "T1.1" not in page.locator("#targets").inner_text()  # the current version
    page.select_option("#id_from", "1")
    page.select_option("#id_to", "1")
    page.click("#versions button")
    page.goto(f"{live_server.url}/rencana/wonoasih-2020-2024/?year=2023")
    assert "T1.1" in page.locator("#targets").inner_text()  # the version in force in 2023
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_upload_shows_the_difference_and_stores_on_confirmation(
    desktop, live_server, people, tmp_path
) -> None:
    from kinerja.plan.models import Target
    from kinerja.test import WONOASIH_PLAN

    path = tmp_path / "rencana.yaml"
    text = WONOASIH_PLAN.read_text(encoding="utf-8")
    path.write_text(text.replace("        2024: 40\n", "        2024: 45\n", 1), encoding="utf-8")
    page = desktop
    log_in(page, f"{live_server.url}/rencana/unggah/", "perencana")
    page.set_input_files("#id_file", str(path))
    page.check("input[name=store]")
    page.click("form.card button.primary")
    page.wait_for_selector("#diff-title")
    assert "S1.1" in page.inner_text("main") and "45" in page.inner_text("main")
    assert Target.objects.get(indicator__code="S1.1", year=2024, quarter=0).value == 40
    page.click("text=Simpan perubahan ini")
    page.wait_for_url("**/rencana/wonoasih-2020-2024/")
    assert Target.objects.get(indicator__code="S1.1", year=2024, quarter=0).value == 45
