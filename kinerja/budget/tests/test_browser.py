"""A planner, on a phone, adds a program and its kegiatan and sees the tree and its total."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import OrgUnit, Role
from kinerja.budget.models import BudgetLine
from kinerja.test import log_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_adds_a_program_and_a_kegiatan(phone, live_server, wonoasih) -> None:
    make_user("perencana.anggaran", Role.PLANNER, OrgUnit.objects.get(code="kec-wonoasih"))
    page = phone
    log_in(page, f"{live_server.url}/accounts/login/", "perencana.anggaran")
    for code, name, budget, spent in [
        ("7.01.03", "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "500000", "450000"),
        ("7.01.03.2.01", "Pemberdayaan Kelompok Masyarakat", "500000", "450000"),
    ]:
        page.goto(f"{live_server.url}/anggaran/kec-wonoasih/2024/baru/")
        page.fill("#id_code", code)
        page.fill("#id_name", name)
        page.fill("#id_budget", budget)
        page.fill("#id_spent", spent)
        page.click("button.primary")
        page.wait_for_url("**/anggaran/?unit=kec-wonoasih&year=2024")
    total = page.locator("#lines tfoot").inner_text()
    assert "500.000" in total and "90,00 %" in total
    page.goto(f"{live_server.url}/anggaran/kec-wonoasih/2024/impor/")
    assert page.locator("dl.columns").is_visible()
    assert BudgetLine.objects.count() == 2
