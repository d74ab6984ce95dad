"""The done-when of live results, as a user meets it: ``kinerja server run`` (gunicorn, as ``make
run`` starts it) on a database of its own; the Kasi Pemberdayaan records an activity and S1.1 on
the open dashboard changes by itself, in place, with the time it was updated.

The background worker (``kinerja jobs run``, which ``make run`` starts beside gunicorn) is started
once the dashboard shows "sedang diperbarui": started with the server it may finish before the
page is first shown, and the test would not see the page update itself."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kinerja.db.scratch import scratch_database
from kinerja.test import log_in

KINERJA = str(Path(sys.executable).parent / "kinerja")

pytestmark = pytest.mark.browser

SETUP = """
from datetime import date
from kinerja.accounts.models import OrgUnit, Role
from kinerja.community.tests.factories import make_group
from kinerja.results.actions import do_recompute
from kinerja.test import load_wonoasih, make_user
plan = load_wonoasih()
make_user("pemas", Role.REGISTRY_OFFICER, OrgUnit.objects.get(code="kec-wonoasih"))
make_group("WNS-RW01", date(2010, 1, 1), kind="rw", name="RW 01 Wonoasih")
make_group("WNS-KUBE1", date(2023, 3, 1), kind="kube", name="KUBE Sejahtera")
do_recompute(plan)
from kinerja.db import heartbeat
heartbeat.beat()  # a worker was seen a moment ago, as `make run` starts one: no worker hint
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def children(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of the server and the worker: a database of their own, the plan loaded
    and computed; the dashboard polls every second."""
    with scratch_database(
        tmp_path, KINERJA_ALLOWED_HOSTS="127.0.0.1", KINERJA_LIVE_POLL_SECONDS="1"
    ) as env:
        subprocess.run([KINERJA, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([KINERJA, "shell", "-v", "0", "-c", SETUP], env=env, check=True)
        yield env


@pytest.fixture
def server(children: dict[str, str]) -> Iterator[str]:
    url = f"http://127.0.0.1:{free_port()}"
    bind = url.removeprefix("http://")
    command = [KINERJA, "server", "run", "--bind", bind, "--workers", "1", "--no-access-log"]
    child = subprocess.Popen([*command, "--no-worker"], env=children, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our own server
                break
            except OSError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)


def s11(page: Any) -> tuple[str, str]:
    card = page.locator('[id="iku-S1.1"]')
    return card.locator(".realisation").inner_text(), card.locator(".freshness").inner_text()


@contextmanager
def worker(env: dict[str, str]) -> Iterator[None]:
    """The background worker, as ``kinerja server run`` starts it beside gunicorn."""
    child = subprocess.Popen([KINERJA, "jobs", "run"], env=env, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)


def test_an_activity_changes_s11_on_the_open_dashboard_by_itself(
    server: str, children: dict[str, str], phone: Any
) -> None:
    page = phone
    log_in(page, f"{server}/accounts/login/", "pemas")
    dashboard = f"{server}/?year=2024"
    page.goto(dashboard)
    value, _ = s11(page)
    assert value.startswith("0,00")
    assert page.locator("form[action*=hitung-ulang]").count() == 0  # no button for pemas
    assert page.locator("#updating").count() == 0  # nothing being updated: no polling

    page.goto(f"{server}/komunitas/kegiatan/baru/")
    page.select_option("#k-pick", label="Wonoasih")
    page.wait_for_url("**kelurahan=kel-wonoasih**")
    page.get_by_label("KUBE Sejahtera (KUBE)").check()
    page.fill("#id_date", "2024-05-02")
    page.select_option("#id_type", "facilitation")
    page.fill("#id_title", "Pelatihan pembukuan KUBE")
    page.click("#activity-form button.primary")
    page.wait_for_url("**/komunitas/kegiatan/*/")

    page.goto(dashboard)
    value, freshness = s11(page)
    assert value.startswith("0,00") and freshness.startswith("sedang diperbarui")
    notice = page.locator("#updating")
    assert "menampilkannya sendiri" in notice.inner_text()  # the script's words, not "muat ulang"
    assert page.locator('[id="iku-S1.1"] [aria-live="polite"]').count() == 1
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/dasbor/status/" in r.url else None)
    page.evaluate("window.liveMarker = 'the same page'")

    # 1 of the 2 groups existing in 2024 was facilitated: within a few seconds, nobody pressing.
    with worker(children):
        page.wait_for_function(
            """() => document.querySelector('[id="iku-S1.1"] .realisation')
                .innerText.startsWith("50,00")""",
            timeout=20_000,
        )
    value, freshness = s11(page)
    assert value.startswith("50,00")
    assert re.fullmatch(r"diperbarui \d\d\.\d\d", freshness.strip())
    assert notice.is_hidden()
    # Updated in place: no reload, no navigation (the page's own variable is still there).
    assert page.evaluate("window.liveMarker") == "the same page"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    # The page as updated is as accessible as when loaded (axe checks pages at their load only).
    blocking = page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations
            .filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => v.id))"""
    )
    assert blocking == []
    # Once nothing is being updated, the page stops asking.
    asked = len(polls)
    assert asked >= 1
    page.wait_for_timeout(2500)
    assert len(polls) == asked
