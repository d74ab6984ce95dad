"""A Kasi Pemberdayaan of a kecamatan of a regency keeps the registry of its desa in a browser."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import OrgUnit, Role
from kinerja.plan.actions import do_load_plan_text
from kinerja.results.tests.test_regency_example import DRINGU_PLAN
from kinerja.test import log_in, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_group_kinds"),
]


def test_it_adds_a_group_to_a_desa_and_drills_down_by_desa(desktop, live_server) -> None:
    do_load_plan_text(DRINGU_PLAN.read_text(encoding="utf-8"))
    make_user("kasi.dringu", Role.REGISTRY_OFFICER, OrgUnit.objects.get(code="kec-dringu"))
    page = desktop
    log_in(page, f"{live_server.url}/accounts/login/", "kasi.dringu")

    page.goto(f"{live_server.url}/komunitas/kelompok/baru/")
    assert page.locator("label[for=id_kelurahan]").inner_text().startswith("Desa")
    page.fill("#id_code", "PBN-KWT1")
    page.fill("#id_name", "KWT Mawar")
    page.select_option("#id_kind", label="RT")
    page.select_option("#id_kelurahan", label="Desa Pabean")
    page.fill("#id_established", "2023-03-01")
    page.click("form.stacked button.primary")
    page.wait_for_url("**/komunitas/kelompok/*/")
    assert "KWT Mawar" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/komunitas/kegiatan/baru/")
    assert page.locator("label[for=k-pick]").inner_text() == "1. Desa kelompok yang dijangkau"

    page.goto(f"{live_server.url}/komunitas/cakupan/?unit=kec-dringu&year=2024")
    table = page.locator("#by-kelurahan")
    assert table.locator("thead th").first.inner_text() == "Desa"
    assert "Pabean" in table.inner_text()
    assert page.get_by_role("heading", name="Per desa").is_visible()
