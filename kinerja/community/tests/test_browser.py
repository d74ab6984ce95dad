from __future__ import annotations

from datetime import date

import pytest

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.test import log_in, make_user

from .factories import make_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_group_kinds"),
]


def test_it_adds_a_group_and_an_activity_and_sees_the_indicator_change(
    phone, live_server, wonoasih
) -> None:
    """The Kasi Pemas, on a phone: S1.1 for 2024 goes from 0 % to 50 % after a recompute."""
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    kasi = make_user("kasi.pemas", Role.REGISTRY_OFFICER, kec)
    Membership.objects.create(user=kasi, unit=kec, role=Role.PLANNER)  # may recompute
    make_group("WNS-RW01", date(2010, 1, 1), kind="rw", name="RW 01 Wonoasih")
    page = phone
    log_in(page, f"{live_server.url}/accounts/login/", "kasi.pemas")
    dashboard = f"{live_server.url}/?year=2024"

    def recompute_and_read() -> str:
        page.goto(dashboard)
        page.click("form[action*=hitung-ulang] button")
        page.wait_for_load_state()
        shown: str = page.locator('[id="iku-S1.1"] .realisation').inner_text()
        return shown

    assert recompute_and_read().startswith("0,00")

    # a new group, through the form
    page.goto(f"{live_server.url}/komunitas/kelompok/baru/")
    page.fill("#id_code", "WNS-KUBE1")
    page.fill("#id_name", "KUBE Sejahtera")
    page.select_option("#id_kind", label="KUBE")
    page.select_option("#id_kelurahan", label="Kelurahan Wonoasih")
    page.fill("#id_established", "2023-03-01")
    page.click("form.stacked button.primary")
    page.wait_for_url("**/komunitas/kelompok/*/")
    assert "KUBE Sejahtera" in page.locator("h1").inner_text()

    # an activity reaching it: choose the kelurahan (auto-submits), tick the group, save
    page.goto(f"{live_server.url}/komunitas/kegiatan/baru/")
    page.select_option("#k-pick", label="Wonoasih")
    page.wait_for_url("**kelurahan=kel-wonoasih**")
    page.get_by_label("KUBE Sejahtera (KUBE)").check()
    page.fill("#id_date", "2024-05-02")
    page.select_option("#id_type", "facilitation")
    page.fill("#id_title", "Pelatihan pembukuan KUBE")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("#activity-form button.primary")
    page.wait_for_url("**/komunitas/kegiatan/*/")

    # 1 of the 2 groups existing in 2024 was facilitated
    assert recompute_and_read().startswith("50,00")

    # and the drill-down names the group and the activity that made it count
    page.goto(f"{live_server.url}/komunitas/cakupan/?unit=kec-wonoasih&year=2024")
    counted = page.locator("#kel-kel-wonoasih .counted").inner_text()
    assert "KUBE Sejahtera" in counted and "Pelatihan pembukuan KUBE" in counted
    assert "RW 01 Wonoasih" in page.locator("#kel-kel-wonoasih .not-counted").inner_text()
