"""The screenshots of the user guide (docs/panduan/img/), taken from the pages as they are.

Each demo user logs in through the log-in form and opens the pages their guide page names; a
picture of each is written to docs/panduan/img/ when it differs from the one there, so running
the suite after a page changes refreshes the guide's pictures (commit them with the change).
Two show a time of day (the history and a result's computation time) and so differ on every run;
the others change only with their page or the date.
Every page visited is also checked by axe-core through the `browser` fixture.
test_guide.py checks that the guide shows exactly these pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from kinerja.site.tests.test_browser_accessibility import KEC, PLAN, YEAR, _group, _service
from kinerja.site.tests.test_browser_accessibility import _user as _user_page
from kinerja.test import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_group_kinds"),
]

IMAGES = Path(settings.BASE_DIR) / "docs" / "panduan" / "img"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PUBLIC_URL = "https://kinerja.contoh.go.id"


def _result_of_the_year() -> str:
    """The kecamatan's first indicator in the demo's last year (the first year has no baseline)."""
    from kinerja.results.models import Result

    found = Result.objects.filter(plan__code=PLAN, unit__code=KEC, period_key=YEAR)
    result = found.order_by("indicator__pk").first()
    assert result is not None
    return reverse("results:detail", args=[result.pk])


Shot = tuple[str, Callable[[], str]]  # (picture name, the page's address once the demo is loaded)

# Demo user → the screen they work on and the pictures of their guide page, in the guide's order.
SHOTS: dict[str, tuple[dict[str, int], list[Shot]]] = {
    "camat": (
        DESKTOP,
        [
            ("camat-dasbor.png", lambda: f"{reverse('home')}?year={YEAR}"),
            ("camat-hasil-indikator.png", _result_of_the_year),
            (
                "triwulan.png",
                lambda: f"{reverse('results:quarterly', args=[PLAN])}?unit={KEC}&year={YEAR}",
            ),
            (
                "camat-persetujuan.png",
                lambda: f"{reverse('results:locks', args=[PLAN])}#year-{YEAR}",
            ),
            ("bantuan.png", lambda: reverse("guide")),
        ],
    ),
    "perencana": (
        DESKTOP,
        [
            ("perencana-rencana.png", lambda: reverse("plan:detail", args=[PLAN])),
            ("perencana-unggah.png", lambda: reverse("plan:upload")),
            ("perencana-nilai-manual.png", lambda: reverse("results:manual", args=[PLAN])),
            ("perencana-kunci.png", lambda: f"{reverse('results:locks', args=[PLAN])}#year-{YEAR}"),
            ("laporan.png", lambda: f"{reverse('reports:index')}?plan={PLAN}&year={YEAR}"),
        ],
    ),
    "pelayanan": (
        DESKTOP,
        [
            ("pelayanan-survei.png", lambda: reverse("surveys:staff_home")),
            (
                "pelayanan-layanan.png",
                lambda: f"{reverse('surveys:service_list', args=[KEC])}?tahun={YEAR}",
            ),
            (
                "pelayanan-poster.png",
                lambda: reverse("surveys:service_poster", args=[_service().pk]),
            ),
            (
                "pelayanan-entri-kertas.png",
                lambda: reverse("surveys:paper_entry", args=[_service().pk]),
            ),
            ("pelayanan-impor.png", lambda: reverse("surveys:import", args=[KEC])),
            ("pelayanan-hasil.png", lambda: reverse("surveys:results", args=[KEC, YEAR])),
            ("pelayanan-tindak-lanjut.png", lambda: reverse("surveys:followup", args=[KEC, YEAR])),
            ("pelayanan-ikm-terbit.png", lambda: reverse("surveys:published_ikm", args=[KEC])),
        ],
    ),
    "pemas": (
        DESKTOP,
        [
            ("pemas-kelembagaan.png", lambda: f"{reverse('community:group_list')}?year={YEAR}"),
            ("pemas-jenis.png", lambda: reverse("community:kind_list")),
            ("pemas-kelompok.png", _group),
            ("pemas-kegiatan-baru.png", lambda: reverse("community:activity_create")),
            ("pemas-kegiatan.png", lambda: reverse("community:activity_list")),
            ("pemas-impor.png", lambda: reverse("community:import")),
            (
                "pemas-cakupan.png",
                lambda: f"{reverse('community:drilldown')}?unit={KEC}&year={YEAR}",
            ),
        ],
    ),
    "operator.wonoasih": (
        PHONE,
        [
            ("operator-kelembagaan.png", lambda: reverse("community:group_list")),
            ("operator-kelompok-baru.png", lambda: reverse("community:group_create")),
            ("operator-kegiatan-baru.png", lambda: reverse("community:activity_create")),
        ],
    ),
    "admin": (
        DESKTOP,
        [
            ("admin-peran.png", lambda: reverse("accounts:roles")),
            ("admin-pengguna.png", lambda: _user_page("camat")),
            ("admin-keamanan.png", lambda: reverse("accounts:security")),
            ("admin-riwayat.png", lambda: reverse("accounts:audit_log")),
        ],
    ),
}


def save(name: str, picture: bytes) -> None:
    """Write a picture only when it changed, so an unchanged page leaves the file alone."""
    path = IMAGES / name
    if not path.exists() or path.read_bytes() != picture:
        path.write_bytes(picture)


def test_the_guide_pictures_are_taken_from_each_roles_pages(
    browser: Any, live_server: Any, axe: Any, demo: None, settings: Any
) -> None:
    from kinerja.demo.loader import DEMO_PASSWORD

    # Links and QR codes in the pictures show a site's address, not the test server's port.
    settings.KINERJA_PUBLIC_URL = PUBLIC_URL

    IMAGES.mkdir(parents=True, exist_ok=True)
    for username, (viewport, shots) in SHOTS.items():
        context = browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        log_in(page, f"{live_server.url}{reverse('login')}", username, DEMO_PASSWORD)
        for name, address in shots:
            response = page.goto(f"{live_server.url}{address()}")
            assert response is not None and response.status == 200, (username, name, page.url)
            save(name, page.screenshot(animations="disabled", caret="hide"))
