"""The dashboard's status poll: the cards' figures as the page prints them, with the page's
access rule, and the page's hooks for its script (docs/rules.md#live-results)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kinerja.db import heartbeat
from kinerja.lib.models import StaleMark
from kinerja.results import live
from kinerja.results.models import Result
from kinerja.results.tests.plans import put

PAGE = "/?plan=uji&unit=kec-uji&year=2021"
STATUS = "/hasil/dasbor/status/?plan=uji&unit=kec-uji&year=2021"


@pytest.fixture
def uji(uji: Any) -> Any:
    """The results tests' plan, with the marks its load left for the years not recomputed gone."""
    StaleMark.objects.all().delete()
    return uji


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def region(page: str, code: str) -> str:
    """The card's part the script rewrites, as the page has it."""
    found = re.search(
        rf'data-live-card="{re.escape(code)}"[^>]*>\n  (.*?)</div>\n  <figure', page, re.S
    )
    assert found is not None
    return found.group(1)


def card(answer: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in answer["cards"] if c["code"] == code)


@pytest.mark.django_db
def test_the_status_sends_each_card_as_the_page_prints_it(
    uji: Any, staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_of(staff["planner"])
    page = client.get(PAGE).content.decode()
    # Session, user, scope, plan, indicators, targets, results, marks: none per card.
    with django_assert_max_num_queries(8):
        answer = client.get(STATUS).json()
    assert (answer["plan"], answer["unit"], answer["year"]) == ("uji", "kec-uji", 2021)
    assert [c["code"] for c in answer["cards"]] == ["I1", "I2", "I3"]
    i1 = card(answer, "I1")
    # (25 + 15) of 80 served: 50,00% against a target of 50: 100,00%.
    assert (i1["value"], i1["achievement"], i1["stale"]) == ("50,00%", "100,00%", False)
    stored = Result.objects.get(
        plan=uji, unit__code="kec-uji", indicator__code="I1", period_key="2021"
    )
    assert re.fullmatch(r"diperbarui \d\d\.\d\d", i1["updated"])
    assert i1["state"] == f"fresh:{stored.pk}@{stored.computed_at.isoformat()}"
    for each in answer["cards"]:
        assert each["html"] == region(page, each["code"])  # as the page prints them, byte for byte
        assert f'data-live-state="{each["state"]}"' in page
    assert not answer["updating"]


@pytest.mark.django_db
def test_the_status_follows_a_write_and_the_background_recompute(uji: Any, staff: Any) -> None:
    client = client_of(staff["planner"])
    put(uji, "served", "kel-dua", "2021", 12)
    answer = client.get(STATUS).json()
    i1 = card(answer, "I1")
    assert answer["updating"] and i1["stale"] and i1["value"] == "50,00%"
    assert 'class="badge updating">sedang diperbarui</span>' in i1["html"]
    live.recompute_stale()
    answer = client.get(STATUS).json()
    i1 = card(answer, "I1")
    # (25 + 12) of 80: 46,25%, 92,50% of the target.
    assert not answer["updating"] and not i1["stale"]
    assert (i1["value"], i1["achievement"]) == ("46,25%", "92,50%")
    assert "sedang diperbarui" not in i1["html"] and "46,25%" in i1["html"]
    assert i1["html"] == region(client.get(PAGE).content.decode(), "I1")


@pytest.mark.django_db
def test_the_status_refuses_whom_the_dashboard_shows_nothing_of_the_plan(
    uji: Any, staff: Any
) -> None:
    # Anonymous: the page's refusal, the way to the log-in.
    for url in (PAGE, STATUS):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # A planner of another kecamatan and the operator of a kelurahan under the plan's unit do
    # not see the plan on the dashboard; its status is not found for them.
    for name in ("outsider", "operator"):
        client = client_of(staff[name])
        page = client.get(PAGE).content.decode()
        assert 'id="iku-I1"' not in page and "Rencana uji" not in page
        assert client.get(STATUS).status_code == 404
    # A unit outside the plan: not found on the page, nor in the status.
    client = client_of(staff["planner"])
    assert client.get(PAGE.replace("kec-uji", "kec-lain")).status_code == 404
    assert client.get(STATUS.replace("kec-uji", "kec-lain")).status_code == 404
    assert client.get(STATUS.replace("plan=uji", "plan=")).status_code == 404


@pytest.mark.django_db
def test_only_a_page_with_results_being_updated_loads_the_script(
    uji: Any, staff: Any, settings: Any
) -> None:
    settings.KINERJA_LIVE_POLL_SECONDS = 2.5
    heartbeat.beat()  # a worker is running: the notice says the update comes by itself
    client = client_of(staff["planner"])
    page = client.get(PAGE).content.decode()
    assert "results/live.js" not in page and 'id="updating"' not in page
    put(uji, "served", "kel-dua", "2021", 12)
    page = client.get(PAGE).content.decode()
    assert "results/live.js" in page
    # Polled at the configured interval (a dot: read by the script, not a reader).
    assert 'data-live-poll="2.5"' in page
    assert 'data-live-url="/hasil/dasbor/status/?plan=uji&amp;unit=kec-uji&amp;year=2021"' in page
    # Without the script the notice says to reload; the script puts its own words.
    assert "Muat ulang halaman sebentar lagi" in page
    assert (
        'data-live-text="Hasil ini sedang diperbarui: entri terbaru sedang dihitung. Halaman ini akan menampilkannya sendiri sebentar lagi."'
        in page
    )
    assert page.count('aria-live="polite"') == 3  # one region per card


def test_the_poll_interval_is_five_seconds_unless_set(tmp_path: Path) -> None:
    def read(**extra: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "KINERJA_LIVE_POLL_SECONDS"}
        env.update(KINERJA_VAR_DIR=str(tmp_path), **extra)
        code = "import kinerja.settings as s; print(s.KINERJA_LIVE_POLL_SECONDS)"
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert read() == "5.0"
    assert read(KINERJA_LIVE_POLL_SECONDS="12") == "12.0"
