"""Live results: writes mark results stale in their transaction; the background recompute
works off exactly the marks it read, for the marked units and those above them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from kinerja.accounts.models import OrgUnit
from kinerja.db import heartbeat, stale
from kinerja.db.routing import REPLICA
from kinerja.db.scratch import scratch_database
from kinerja.lib.models import StaleMark
from kinerja.results import live
from kinerja.results.actions import compare_outcomes, do_lock_year, do_recompute
from kinerja.results.dashboard import updated_text
from kinerja.results.models import PendingChange, Result, YearLock
from kinerja.results.tests.plans import approve, put
from kinerja.surveys.management.commands import jobs as jobs_command
from kinerja.test import statements

KINERJA = str(Path(sys.executable).parent / "kinerja")


@pytest.fixture
def uji(uji: Any) -> Any:
    """The results tests' plan, with the marks its load left for the years not recomputed gone."""
    StaleMark.objects.all().delete()
    return uji


def marks(plan: Any) -> set[tuple[str, int]]:
    return {
        (m.unit.code, m.year) for m in StaleMark.objects.filter(plan=plan).select_related("unit")
    }


def snapshot(plan: Any) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    return {
        (r.indicator.code, r.unit.code, r.period_key): (r.realisation, r.achievement, r.status)
        for r in Result.objects.filter(plan=plan).select_related("indicator", "unit")
    }


def times(plan: Any) -> dict[str, datetime]:
    """When each unit's I1 of 2021 was stored."""
    rows = Result.objects.filter(plan=plan, indicator__code="I1", period_key="2021")
    return {r.unit.code: r.computed_at for r in rows.select_related("unit")}


def realisation(plan: Any, unit: str, year: int) -> Any:
    return Result.objects.get(
        plan=plan, indicator__code="I1", unit__code=unit, period_key=str(year)
    ).realisation


@pytest.mark.django_db
def test_a_manual_value_marks_its_unit_in_its_year_and_the_next(uji: Any) -> None:
    put(uji, "served", "kel-satu", "2021", 30)
    assert marks(uji) == {("kel-satu", 2021), ("kel-satu", 2022)}


@pytest.mark.django_db
def test_a_plan_load_marks_every_unit_and_year_of_the_plan(uji: Any) -> None:
    stale.mark_plan(uji)
    units = {u.code for u in uji.unit.subtree()}
    assert marks(uji) == {(u, y) for u in units for y in [2020, 2021, 2022, 2023]}


@pytest.mark.django_db
def test_the_recompute_updates_the_marked_unit_and_those_above_only(uji: Any) -> None:
    before = times(uji)
    put(uji, "served", "kel-satu", "2021", 40)
    [summary] = live.recompute_stale()
    assert realisation(uji, "kel-satu", 2021) == 100  # 40 of 40 registered
    assert realisation(uji, "kec-uji", 2021) == 68.75  # (40 + 15) of 80
    # kel-dua was not read nor written: its rows keep their time.
    after = times(uji)
    assert after["kel-dua"] == before["kel-dua"]
    assert after["kel-satu"] > before["kel-satu"]
    assert after["kec-uji"] > before["kec-uji"]
    assert marks(uji) == set()
    assert summary.updated > 0
    # Equal to what a full recompute stores: it finds nothing left to change in what it stored
    # (the fixture never computed 2022: the full recompute adds kel-dua's rows of that year).
    stored = snapshot(uji)
    full = do_recompute(uji, years=[2020, 2021, 2022])
    assert (full.updated, full.deleted) == (0, 0)
    assert {k: v for k, v in snapshot(uji).items() if k in stored} == stored


@pytest.mark.django_db
def test_a_write_during_the_recompute_keeps_its_mark(uji: Any) -> None:
    put(uji, "served", "kel-satu", "2021", 40)
    read = list(
        StaleMark.objects.filter(plan=uji).values_list("pk", "unit_id", "year", "marked_at")
    )
    # Another entry for the same unit and year commits while the recompute reads.
    put(uji, "served", "kel-satu", "2021", 35)
    live.recompute_plan_marks(uji, read, lambda: None)
    assert marks(uji) == {("kel-satu", 2021), ("kel-satu", 2022)}
    live.recompute_stale()
    assert marks(uji) == set()
    assert realisation(uji, "kel-satu", 2021) == 87.5


@pytest.mark.django_db
def test_a_locked_year_gets_pending_changes_not_new_values(uji: Any, staff: Any) -> None:
    approve(uji, 2021, staff["planner"], staff["head"])
    do_lock_year(uji, 2021, staff["head"])
    put(uji, "served", "kel-satu", "2021", 40)
    live.recompute_stale()
    assert realisation(uji, "kel-satu", 2021) == 62.5  # 25 of 40, as locked
    assert PendingChange.objects.filter(plan=uji, unit__code="kel-satu", year=2021).exists()
    assert marks(uji) == set()


@pytest.mark.django_db
def test_a_year_locked_while_the_run_compared_gets_pending_changes_from_the_next_run(
    uji: Any, staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    approve(uji, 2021, staff["planner"], staff["head"])
    put(uji, "served", "kel-satu", "2021", 40)
    real = compare_outcomes

    def then_locked(*args: Any) -> Any:
        changes = real(*args)  # before the run's transaction
        if not YearLock.objects.filter(plan=uji).exists():
            do_lock_year(uji, 2021, staff["head"])
        return changes

    monkeypatch.setattr(live, "compare_outcomes", then_locked)
    [summary] = live.recompute_stale()
    # What it compared is out of date: nothing written, the marks left for the next run.
    assert (summary.updated, summary.pending) == (0, 0)
    assert realisation(uji, "kel-satu", 2021) == 62.5
    assert marks(uji) == {("kel-satu", 2021), ("kel-satu", 2022)}
    live.recompute_stale()
    assert realisation(uji, "kel-satu", 2021) == 62.5  # 25 of 40, as locked
    assert PendingChange.objects.filter(plan=uji, unit__code="kel-satu", year=2021).exists()
    assert marks(uji) == set()


@pytest.mark.django_db
def test_a_run_whose_marks_a_full_recompute_worked_off_meanwhile_writes_nothing(
    uji: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(uji, "served", "kel-satu", "2021", 40)
    real = compare_outcomes

    def then_newer(*args: Any) -> Any:
        changes = real(*args)  # 40 of 40, before the run's transaction
        put(uji, "served", "kel-satu", "2021", 30)  # a later value, stored by a full recompute
        do_recompute(uji, years=[2021, 2022])  # that works off the marks
        return changes

    monkeypatch.setattr(live, "compare_outcomes", then_newer)
    [summary] = live.recompute_stale()
    assert (summary.updated, summary.created) == (0, 0)
    assert realisation(uji, "kel-satu", 2021) == 75  # the later value stays
    assert marks(uji) == set()


@pytest.mark.django_db
def test_a_run_recomputes_only_the_indicators_that_read_the_kinds_written(uji: Any) -> None:
    kel = OrgUnit.objects.get(code="kel-satu")
    before = times(uji)
    stale.mark_units([(kel.pk, 2021)], kind="surveys")  # no indicator of "uji" reads surveys
    [summary] = live.recompute_stale()
    assert (summary.unchanged, summary.updated, summary.deleted) == (0, 0, 0)
    assert marks(uji) == set()
    assert times(uji) == before
    # A manual value (which all three indicators read) and a survey post: the manual ones.
    put(uji, "served", "kel-satu", "2021", 40)
    stale.mark_units([(kel.pk, 2021)], kind="surveys")
    [summary] = live.recompute_stale()
    assert summary.updated > 0
    assert realisation(uji, "kel-satu", 2021) == 100


@pytest.mark.django_db
def test_a_survey_write_reads_no_registry_data(wonoasih: Any) -> None:
    """A survey post's run computes the survey indicators only: the community registry's
    queries (groups, activities) are not made; a registry write's run makes them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kel = OrgUnit.objects.get(code="kel-wonoasih")
    do_recompute(wonoasih, years=[2023, 2024])
    StaleMark.objects.all().delete()
    ran: dict[str, tuple[bool, int]] = {}
    for kind in ("surveys", "community"):
        stale.mark_units([(kel.pk, 2023)], kind=kind)
        with CaptureQueriesContext(connection) as queries:
            [summary] = live.recompute_stale()
        ran[kind] = (any("community_" in q["sql"] for q in queries), summary.unchanged)
        assert (summary.updated, summary.created, summary.deleted) == (0, 0, 0)
    assert not ran["surveys"][0] and ran["community"][0]
    assert ran["surveys"][1] > 0 and ran["community"][1] > 0


@pytest.mark.django_db
def test_a_task_that_finds_no_marks_does_nothing(uji: Any) -> None:
    before = snapshot(uji)
    assert live.recompute_stale() == []
    assert snapshot(uji) == before


@pytest.mark.django_db
def test_the_dashboard_says_updating_while_marked_and_when_it_was_updated(
    uji: Any, staff: Any
) -> None:
    client = Client()
    client.force_login(staff["planner"])
    url = "/?plan=uji&unit=kec-uji&year=2021"
    page = client.get(url).content.decode()
    assert "sedang diperbarui" not in page
    stored = Result.objects.get(
        plan=uji, unit__code="kec-uji", indicator__code="I1", period_key="2021"
    )
    shown = updated_text(stored.computed_at)
    assert f"diperbarui {shown}" in page
    put(uji, "served", "kel-dua", "2021", 12)
    page = client.get(url).content.decode()
    assert "sedang diperbarui" in page
    live.recompute_stale()
    assert "sedang diperbarui" not in client.get(url).content.decode()


WAITS = "Hasil ini menunggu pekerja latar belakang"
START = "Administrator: jalankan dengan <code>kinerja jobs run</code>"
COMING = "Hasil ini sedang diperbarui: entri terbaru sedang dihitung."


@pytest.mark.django_db
def test_the_dashboard_says_when_results_wait_for_a_worker_nobody_runs(
    uji: Any, staff: Any, settings: Any
) -> None:
    settings.KINERJA_WORKER_SILENT_SECONDS = 120
    client = Client()
    client.force_login(staff["planner"])
    url = "/?plan=uji&unit=kec-uji&year=2021"
    page = client.get(url).content.decode()
    assert WAITS not in page and COMING not in page  # nothing waits: no notice, worker or not
    put(uji, "served", "kel-dua", "2021", 12)
    # No worker has ever run: the results wait for one, and the page says how to start it.
    page = client.get(url).content.decode()
    assert "belum pernah berjalan" in page and START in page and COMING not in page
    assert 'id="updating"' in page and "data-live-text" not in page  # the script keeps it
    assert "sedang diperbarui" in page  # each card still says it is being updated
    # A worker seen within KINERJA_WORKER_SILENT_SECONDS: the update comes by itself.
    now = timezone.now()
    heartbeat.beat(now - timedelta(seconds=100))
    page = client.get(url).content.decode()
    assert WAITS not in page and START not in page and COMING in page
    # Seen, but longer ago: it waits again, saying when a worker was last seen.
    heartbeat.beat(now - timedelta(seconds=150))
    page = client.get(url).content.decode()
    seen = updated_text(now - timedelta(seconds=150))
    assert f"terakhir terlihat berjalan pada {seen}" in page and START in page
    live.recompute_stale()
    page = client.get(url).content.decode()
    assert WAITS not in page and 'id="updating"' not in page


def test_a_worker_is_silent_only_when_not_seen_for_the_setting(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.KINERJA_WORKER_SILENT_SECONDS = 60
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(heartbeat, "last_beat", lambda: None)
    assert live.worker_silence(now) == ""
    monkeypatch.setattr(heartbeat, "last_beat", lambda: now - timedelta(seconds=59))
    assert live.worker_silence(now) is None
    monkeypatch.setattr(heartbeat, "last_beat", lambda: now - timedelta(seconds=60))
    assert live.worker_silence(now) == "14.59"  # 15.00 WIB, a minute earlier


def test_the_updated_time_is_local_and_names_the_day_when_not_today() -> None:
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert updated_text(now - timedelta(minutes=55), now) == "14.05"
    assert updated_text(now - timedelta(days=2), now) == "5 Desember 2026 15.00"


@pytest.mark.django_db
def test_a_refused_write_leaves_no_mark(uji: Any) -> None:
    with pytest.raises(ValidationError):
        put(uji, "served", "kel-satu", "2030", 40)
    assert marks(uji) == set()


def waiting() -> int:
    """Recompute tasks queued and not started, due now or later."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=live.TASK_PATH).count()


class QueueBackend(DatabaseBackend):
    """A project's own database backend under another name: still the database queue."""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "known"),
    [
        ("django_tasks_db.DatabaseBackend", True),
        ("kinerja.results.tests.test_live.QueueBackend", True),
        ("django_tasks.backends.immediate.ImmediateBackend", False),
    ],
)
def test_a_waiting_run_is_looked_for_in_the_database_queue_only(
    settings: Any, backend: str, known: bool
) -> None:
    from django_tasks_db.models import DBTaskResult

    live.recompute_stale_task.using(run_after=datetime.now(UTC) + timedelta(hours=1)).enqueue()
    assert DBTaskResult.objects.filter(status="READY", task_path=live.TASK_PATH).exists()
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
    # Whatever the class is called: a subclass of the database backend reads the same queue.
    assert live.recompute_waiting() is known


@pytest.mark.django_db
def test_a_run_that_leaves_marks_queues_the_next_and_the_last_queues_none(
    uji: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(uji, "served", "kel-satu", "2021", 40)
    real = live.recompute_stale

    def with_a_write_meanwhile(before_commit: Any = lambda: None) -> Any:
        summaries = real(before_commit)
        put(uji, "served", "kel-dua", "2021", 12)  # after the run read its marks
        return summaries

    monkeypatch.setattr(live, "recompute_stale", with_a_write_meanwhile)
    assert live.recompute_stale_task.call() == 1
    assert marks(uji) == {("kel-dua", 2021), ("kel-dua", 2022)}
    assert waiting() == 1  # the next run, for kel-dua's marks
    monkeypatch.setattr(live, "recompute_stale", real)
    assert live.recompute_stale_task.call() == 1
    assert marks(uji) == set()
    assert waiting() == 1  # nothing more queued


@pytest.mark.django_db
@pytest.mark.parametrize("interval", [2.5, 0.0])
def test_a_run_that_leaves_marks_queues_the_next_no_sooner_than_the_minimum_interval(
    uji: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    interval: float,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.KINERJA_LIVE_MIN_INTERVAL_SECONDS = interval
    put(uji, "served", "kel-satu", "2021", 40)
    DBTaskResult.objects.all().delete()  # as if the worker took the post's run
    real = live.recompute_stale
    started: list[datetime] = []

    def with_a_write_meanwhile(before_commit: Any = lambda: None) -> Any:
        started.append(datetime.now(UTC))
        summaries = real(before_commit)
        put(uji, "served", "kel-dua", "2021", 12)  # after the run read its marks
        return summaries

    monkeypatch.setattr(live, "recompute_stale", with_a_write_meanwhile)
    before = datetime.now(UTC)
    assert live.recompute_stale_task.call() == 1
    (task,) = DBTaskResult.objects.filter(task_path=live.TASK_PATH)
    assert task.status == "READY"
    if interval:
        # Due an interval after the run's start (not after its end), and not ready before.
        step = timedelta(seconds=interval)
        assert before + step <= task.run_after <= started[0] + step
        assert not DBTaskResult.objects.ready().exists()
    else:
        assert DBTaskResult.objects.ready().count() == 1
    # A run queued for later still reads every mark committed before it starts: a write that
    # creates a mark meanwhile queues no second one.
    transaction.get_connection().run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        put(uji, "served", "kel-dua", "2023", 3)
    assert hooks.count(stale.run_hooks) == 1  # it created a mark
    assert waiting() == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_mark_queues_a_run_a_moved_one_none_and_a_new_worker_one(uji: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    put(uji, "served", "kel-satu", "2021", 40)  # committed: creates marks, queues a run
    assert waiting() == 1
    DBTaskResult.objects.all().delete()  # as if a worker took it and was killed
    put(uji, "served", "kel-satu", "2021", 41)  # moves the waiting marks only
    assert waiting() == 0
    # The worker that starts next queues a run for the marks left, and works them off.
    call_command("jobs", "run", "--batch", verbosity=0)
    assert marks(uji) == set()
    assert realisation(uji, "kel-satu", 2021) == 102.5


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_picks_up_marks_whose_recompute_was_never_queued(
    uji: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process died between its write's commit and the queuing of the recompute: the worker
    already running finds the marks on its next sweep, queues the run and computes them."""
    settings.KINERJA_WORKER_SWEEP_SECONDS = 30
    worker = jobs_command.Worker(interval=0.01)
    worker.poll()  # the worker has started: it swept once, nothing waited
    with monkeypatch.context() as dying:
        dying.setattr(stale, "hooks", [])  # the write commits, its process dies before queuing
        put(uji, "served", "kel-satu", "2021", 40)
    assert marks(uji) and waiting() == 0
    worker.poll()  # the next sweep is not due yet: the marks wait
    assert marks(uji) and realisation(uji, "kel-satu", 2021) == 62.5
    worker.chores_due = time.monotonic()  # KINERJA_WORKER_SWEEP_SECONDS later
    worker.poll()
    assert marks(uji) == set()
    assert realisation(uji, "kel-satu", 2021) == 100


@pytest.mark.django_db
def test_the_worker_says_it_is_alive_when_it_starts_and_every_sweep(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.KINERJA_WORKER_SWEEP_SECONDS = 30
    assert heartbeat.last_beat() is None
    worker = jobs_command.Worker(interval=0.01)
    monkeypatch.setattr(QueueWorker, "run", lambda self: None)  # an empty queue
    worker.poll()
    first = heartbeat.last_beat()
    assert first is not None
    worker.poll()
    assert heartbeat.last_beat() == first  # not at every look at the queue
    worker.chores_due = time.monotonic()
    worker.poll()
    last = heartbeat.last_beat()
    assert last is not None and last > first


@pytest.mark.django_db
def test_the_worker_takes_no_lock_to_look_at_an_empty_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The library's look claims in an exclusive transaction (SQLite's write lock): the worker
    enters it only when a task may start now."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    looks: list[int] = []
    monkeypatch.setattr(QueueWorker, "run", lambda self: looks.append(1))
    worker = jobs_command.Worker(interval=0.01)
    worker.poll()
    assert looks == []
    live.enqueue_recompute(timezone.now() + timedelta(seconds=60))  # due in a minute
    worker.poll()
    assert looks == []
    live.recompute_stale_task.enqueue()  # due now
    worker.poll()
    assert looks == [1]
    worker.excluded_queue_names = [live.recompute_stale_task.queue_name]  # as db_worker's option
    worker.poll()
    assert looks == [1]


# -- a worker killed mid-recompute, across processes sharing a scratch database ----------------


def shell(env: dict[str, str], code: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KINERJA, "shell", "-v", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


SETUP = """
from kinerja.results.tests.plans import COVERAGE, GROWTH, load, put
from kinerja.results.actions import do_recompute
plan = load(COVERAGE, GROWTH)
for unit, served in [("kel-satu", 20), ("kel-dua", 10)]:
    for year in ("2020", "2021"):
        put(plan, "served", unit, year, served)
        put(plan, "registered", unit, year, 40)
do_recompute(plan)
put(plan, "served", "kel-satu", "2021", 40)
"""

KILLED = """
import os, signal
from kinerja.results import live
live.recompute_stale(lambda: os.kill(os.getpid(), signal.SIGKILL))
"""

STATE = """
from kinerja.lib.models import StaleMark
from kinerja.results.models import Result
print(StaleMark.objects.count())
print(float(Result.objects.get(indicator__code="I1", unit__code="kec-uji", period_key="2021").realisation))
"""

FULL = """
from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute
s = do_recompute(Plan.objects.get(code="uji"))
print(s.created, s.updated, s.deleted)
"""


@pytest.fixture
def children(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of ``kinerja`` processes sharing a migrated database of their own."""
    with scratch_database(tmp_path, KINERJA_ALLOWED_HOSTS="testserver") as env:
        migrate = [KINERJA, "migrate", "--no-input", "-v", "0", "--skip-checks"]
        subprocess.run(migrate, env=env, check=True)
        yield env


def test_a_killed_worker_leaves_its_marks_and_the_next_run_finishes(
    children: dict[str, str],
) -> None:
    shell(children, SETUP)
    killed = shell(children, KILLED, check=False)
    assert killed.returncode == -signal.SIGKILL
    # Nothing of the run is stored, its marks wait: 2021 and 2022 of kel-satu.
    assert shell(children, STATE).stdout.split() == ["2", "37.5"]
    # The worker as `make run` starts it: the task queued when the value was saved.
    subprocess.run([KINERJA, "worker", "--batch"], env=children, check=True, capture_output=True)
    assert shell(children, STATE).stdout.split() == ["0", "62.5"]
    assert shell(children, FULL).stdout.split() == ["0", "0", "0"]


@pytest.mark.django_db
def test_a_write_that_creates_a_mark_queues_one_recompute_until_a_worker_starts_it(
    uji: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    def queued() -> int:
        return DBTaskResult.objects.ready().filter(task_path=live.TASK_PATH).count()

    @contextmanager
    def committed() -> Iterator[list[Any]]:
        """A transaction of its own that commits: the test's one never does, and the hooks its
        earlier writes queued stay in it, so they go first."""
        transaction.get_connection().run_on_commit.clear()
        with django_capture_on_commit_callbacks(execute=True) as hooks:
            yield hooks

    with committed() as hooks:
        put(uji, "served", "kel-satu", "2021", 40)
        put(uji, "served", "kel-dua", "2021", 12)
    assert hooks.count(stale.run_hooks) == 1 and queued() == 1  # one hook per transaction
    # A waiting task will read the next marks too: no second one.
    with committed():
        put(uji, "served", "kel-dua", "2021", 13)
    assert queued() == 1
    # Once the worker has taken it, a write that only moves marks queues nothing: the running
    # task queues the next when it ends with marks left (kinerja/db/stale.py).
    DBTaskResult.objects.update(status="RUNNING")
    with committed() as hooks:
        put(uji, "served", "kel-dua", "2021", 14)
    assert stale.run_hooks not in hooks and queued() == 0
    # A write that creates a mark (kel-dua 2023) queues a new one.
    with committed():
        put(uji, "served", "kel-dua", "2022", 14)
    assert queued() == 1
    # A refused write queues nothing.
    DBTaskResult.objects.update(status="RUNNING")
    with committed() as hooks, pytest.raises(ValidationError):
        put(uji, "served", "kel-satu", "2030", 40)
    assert stale.run_hooks not in hooks and queued() == 0


@pytest.mark.django_db
def test_an_activity_and_a_group_move_mark_their_kelurahan(wonoasih: Any) -> None:
    from datetime import date

    from kinerja.accounts.models import OrgUnit
    from kinerja.community.actions import do_delete_activity, do_save_activity, do_save_group
    from kinerja.community.models import Activity
    from kinerja.community.tests.factories import make_group

    group = make_group("WNS-KUBE1", date(2023, 3, 1), kind="kube")
    StaleMark.objects.all().delete()
    activity = Activity(date=date(2023, 5, 2), type="facilitation", title="Pelatihan")
    do_save_activity(None, activity, [group])
    # Its year and the next (prev() formulas), in the plan of 2020–2024.
    assert marks(wonoasih) == {("kel-wonoasih", 2023), ("kel-wonoasih", 2024)}
    StaleMark.objects.all().delete()
    do_delete_activity(None, activity)
    assert marks(wonoasih) == {("kel-wonoasih", 2023), ("kel-wonoasih", 2024)}
    StaleMark.objects.all().delete()
    before = group.kelurahan
    group.kelurahan = OrgUnit.objects.get(code="kel-pakistaji")
    do_save_group(None, group, previous_kelurahan=before)
    years = range(2019, 2025)  # the baseline year and the plan's years
    assert marks(wonoasih) == {(k, y) for k in ("kel-wonoasih", "kel-pakistaji") for y in years}


@pytest.mark.django_db
def test_an_activity_moved_to_another_year_marks_the_year_it_left(wonoasih: Any) -> None:
    from datetime import date

    from kinerja.community.actions import do_save_activity
    from kinerja.community.models import Activity
    from kinerja.community.tests.factories import make_group

    group = make_group("WNS-KUBE1", date(2020, 3, 1), kind="kube")
    activity = do_save_activity(
        None, Activity(date=date(2021, 5, 2), type="facilitation", title="Pelatihan"), [group]
    )
    StaleMark.objects.all().delete()
    activity.date = date(2023, 5, 2)
    do_save_activity(None, activity, [group])
    # 2021 lost the activity (and 2022 reads 2021 through prev()); 2023 gained it.
    years = {2021, 2022, 2023, 2024}
    assert marks(wonoasih) == {("kel-wonoasih", y) for y in years}


@pytest.mark.django_db
def test_a_group_taken_off_an_activity_marks_its_kelurahan(wonoasih: Any) -> None:
    from datetime import date

    from kinerja.community.actions import do_delete_activity, do_save_activity
    from kinerja.community.models import Activity
    from kinerja.community.tests.factories import make_group

    here = make_group("WNS-KUBE1", date(2020, 3, 1), kind="kube")
    there = make_group("PKS-KUBE1", date(2020, 3, 1), kind="kube", kelurahan="kel-pakistaji")
    activity = do_save_activity(
        None, Activity(date=date(2023, 5, 2), type="facilitation", title="Pelatihan"), [here, there]
    )
    StaleMark.objects.all().delete()
    do_save_activity(None, activity, [here])
    both = {(k, y) for k in ("kel-wonoasih", "kel-pakistaji") for y in (2023, 2024)}
    assert marks(wonoasih) == both
    # Deleting marks the kelurahan it still reaches, in the year it was stored with.
    StaleMark.objects.all().delete()
    activity.date = date(2021, 1, 1)  # an edit not saved: the stored year counts
    do_delete_activity(None, activity)
    assert marks(wonoasih) == {("kel-wonoasih", 2023), ("kel-wonoasih", 2024)}


# -- the worker beside the web server ------------------------------------------------------------


def test_the_worker_settings_have_defaults_and_bounds(tmp_path: Path) -> None:
    names = (
        "KINERJA_LIVE_MIN_INTERVAL_SECONDS",
        "KINERJA_WORKER_POLL_SECONDS",
        "KINERJA_WORKER_NICE",
        "KINERJA_WORKER_SWEEP_SECONDS",
        "KINERJA_WORKER_SILENT_SECONDS",
    )

    def read(**extra: str) -> list[str]:
        env = {k: v for k, v in os.environ.items() if k not in names}
        env.update(KINERJA_VAR_DIR=str(tmp_path), **extra)
        code = "import kinerja.settings as s; print(" + ", ".join(f"s.{n}" for n in names) + ")"
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    assert read() == ["1.0", "0.2", "10", "30.0", "120.0"]
    given = dict(zip(names, ("0.5", "0.05", "3", "5", "600"), strict=True))
    assert read(**given) == ["0.5", "0.05", "3", "5.0", "600.0"]
    # Out of range: no negative interval, no busy loop, niceness within what os.nice allows, no
    # negative sweep (0: at every look at the queue), a worker silent after a second at least.
    low = dict(zip(names, ("-1", "0", "-5", "-1", "0"), strict=True))
    assert read(**low) == ["0.0", "0.01", "0", "0.0", "1.0"]
    assert read(KINERJA_WORKER_NICE="40")[2] == "19"


def test_the_worker_polls_as_set_unless_told(settings: Any) -> None:
    settings.KINERJA_WORKER_POLL_SECONDS = 0.3
    assert jobs_command.poll_seconds(None) == 0.3
    assert jobs_command.poll_seconds(2.0) == 2.0


def test_the_worker_lowers_its_own_priority_but_a_batch_run_does_not(
    children: dict[str, str],
) -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    env = {**children, "KINERJA_WORKER_NICE": "7"}
    child = subprocess.Popen([KINERJA, "jobs", "run"], env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while os.getpriority(os.PRIO_PROCESS, child.pid) == base:
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == min(19, base + 7)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
    # A one-off `--batch` run by hand keeps the caller's priority.
    code = (
        "import os; from django.core.management import call_command; "
        "call_command('jobs', 'run', '--batch', verbosity=0); print(os.getpriority(os.PRIO_PROCESS, 0))"
    )
    assert shell(env, code).stdout.split() == [str(base)]


@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_recompute_reads_from_the_primary_when_a_replica_is_configured(uji: Any) -> None:
    """The run is queued by the write it must see; a replica may not have that write yet."""
    put(uji, "served", "kel-satu", "2021", 40)
    sent = statements(live.recompute_stale)
    assert sent[REPLICA] == [] and len(sent["default"]) > 5, sent
    assert realisation(uji, "kel-satu", 2021) == 100
