"""Concurrent recomputes of one plan: on PostgreSQL three parallel POSTs gave 302, 500, 500
(UniqueViolation: each inserted the same new results). One recompute per plan runs at a time;
a second waits for it, or is told that one is running."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from kinerja.accounts.models import Role
from kinerja.db import peek
from kinerja.results import actions
from kinerja.results.models import Result
from kinerja.results.recompute_lock import RecomputeBusy
from kinerja.results.tests.plans import COVERAGE, GROWTH, WAITING, load, put
from kinerja.results.tests.race import race, slowed
from kinerja.test import make_user

# 3 indicators × 3 units × (baseline year + 3 years × 5 periods)
RESULTS = 3 * 3 * (1 + 3 * 5)
BUSY_ID = "Penghitungan ulang rencana uji sedang berjalan. Tunggu sampai selesai"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a server database (the SQLite test database lives in memory)",
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


def small_plan() -> Any:
    plan = load(COVERAGE, GROWTH, WAITING)
    for unit in ("kel-satu", "kel-dua"):
        for year in ("2020", "2021"):
            put(plan, "served", unit, year, 20)
            put(plan, "registered", unit, year, 40)
    return plan


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_it_runs_parallel_recompute_posts_one_after_the_other(monkeypatch):
    plan = small_plan()
    planner = make_user("perencana", Role.PLANNER, plan.unit)
    monkeypatch.setattr(actions, "compute_outcomes", slowed(0.2))
    url = reverse("results:recompute", args=[plan.code])
    statuses: list[Any] = []
    start = threading.Barrier(3)

    def post() -> None:
        client = Client()
        client.force_login(planner)
        start.wait()
        try:
            statuses.append(client.post(url).status_code)
        except BaseException as exc:  # noqa: BLE001 - the test client re-raises a view's exception; the test reports it
            statuses.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302, 302]
    assert Result.objects.filter(plan=plan).count() == RESULTS


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_it_tells_a_second_recompute_that_one_is_running(monkeypatch, settings):
    plan = small_plan()
    settings.KINERJA_RECOMPUTE_WAIT_SECONDS = 0.3
    monkeypatch.setattr(actions, "compute_outcomes", slowed(1))
    outcomes = race(plan.code, 3)
    assert sorted(outcomes) == ["busy", "busy", "ok"]
    assert Result.objects.filter(plan=plan).count() == RESULTS


def race_in_child(tmp_path: Any, code: str, *races: str) -> tuple[list[Any], int]:
    """The committed test database copied to a file, raced on by a child process."""
    var = tmp_path / "var"
    var.mkdir()
    connection.ensure_connection()
    copy = sqlite3.connect(var / "kinerja.sqlite3")
    connection.connection.backup(copy)
    copy.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.update(KINERJA_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="kinerja.settings")
    done = subprocess.run(
        [sys.executable, "-m", "kinerja.results.tests.race", code, *races],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    return results, peek.count_rows(Result, var / "kinerja.sqlite3")


@pytest.mark.django_db(transaction=True)
@sqlite_only
def test_it_queues_recomputes_on_sqlite_and_bounds_the_wait(tmp_path):
    plan = small_plan()
    # threads:slow:wait — first a wait longer than the recomputes, then a shorter one, with
    # which the others are told at once (not after SQLite's 20 s busy timeout, not with
    # "database is locked").
    (queued, bounded), count = race_in_child(tmp_path, plan.code, "3:0.2:10", "3:1:0.2")
    assert queued["outcomes"] == ["ok", "ok", "ok"] and count == RESULTS
    assert sorted(bounded["outcomes"]) == ["busy", "busy", "ok"]
    assert bounded["seconds"] < 5


@pytest.mark.django_db
def test_it_shows_the_message_on_the_page(monkeypatch, login) -> None:
    plan = small_plan()
    planner = make_user("perencana", Role.PLANNER, plan.unit)

    def busy(*args: Any, **kwargs: Any) -> Any:
        from kinerja.results.recompute_lock import BUSY

        raise RecomputeBusy(BUSY % {"plan": plan.code})

    from kinerja.results import views

    monkeypatch.setattr(views, "do_recompute", busy)
    response = login(planner).post(reverse("results:recompute", args=[plan.code]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(BUSY_ID)


@pytest.mark.django_db
def test_it_says_so_on_the_command_line(monkeypatch) -> None:
    from django.core.management import CommandError, call_command

    from kinerja.results.management.commands import results as recompute
    from kinerja.results.recompute_lock import BUSY

    plan = small_plan()

    def busy(*args: Any, **kwargs: Any) -> Any:
        raise RecomputeBusy(BUSY % {"plan": plan.code})

    monkeypatch.setattr(recompute, "do_recompute", busy)
    with pytest.raises(CommandError, match=BUSY_ID):
        call_command("results", "recompute", "--plan", plan.code)
