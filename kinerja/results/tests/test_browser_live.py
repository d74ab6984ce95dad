"""The done-when of live results, as a user meets it: ``kinerja server run`` (gunicorn and the
background worker, as ``make run`` starts them) on a SQLite file; the Kasi Pemberdayaan records an
activity and S1.1 on the dashboard changes by itself, with the time it was updated."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kinerja.test import PASSWORD

KINERJA = str(Path(sys.executable).parent / "kinerja")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        bool(os.environ.get("KINERJA_DATABASE_URL")), reason="the server's own SQLite file"
    ),
]

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
"""


def environ(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
    env.update(KINERJA_VAR_DIR=str(var), KINERJA_ALLOWED_HOSTS="127.0.0.1")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    env = environ(tmp_path)
    subprocess.run([KINERJA, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([KINERJA, "shell", "-v", "0", "-c", SETUP], env=env, check=True)
    url = f"http://127.0.0.1:{free_port()}"
    bind = url.removeprefix("http://")
    command = [KINERJA, "server", "run", "--bind", bind, "--workers", "1", "--no-access-log"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
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


def test_an_activity_changes_s11_on_the_dashboard_without_a_recompute_button(
    server: str, phone: Any
) -> None:
    page = phone
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "pemas")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{server}/")
    dashboard = f"{server}/?year=2024"
    page.goto(dashboard)
    value, _ = s11(page)
    assert value.startswith("0,00")
    assert page.locator("form[action*=hitung-ulang]").count() == 0  # no button for pemas

    page.goto(f"{server}/komunitas/kegiatan/baru/")
    page.select_option("#k-pick", label="Wonoasih")
    page.wait_for_url("**kelurahan=kel-wonoasih**")
    page.get_by_label("KUBE Sejahtera (KUBE)").check()
    page.fill("#id_date", "2024-05-02")
    page.select_option("#id_type", "facilitation")
    page.fill("#id_title", "Pelatihan pembukuan KUBE")
    page.click("#activity-form button.primary")
    page.wait_for_url("**/komunitas/kegiatan/*/")

    # 1 of the 2 groups existing in 2024 was facilitated: within a few seconds, nobody pressing.
    deadline = time.monotonic() + 15
    while True:
        page.goto(dashboard)
        value, freshness = s11(page)
        if value.startswith("50,00") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert value.startswith("50,00")
    assert re.fullmatch(r"diperbarui \d\d\.\d\d", freshness.strip())
