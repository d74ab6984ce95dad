"""kinerja jobs run: run background jobs (large survey imports, the live recompute) from the
database queue."""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.conf import settings
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker
from django_tasks_db.models import DBTaskResult

from kinerja.db import heartbeat, stale
from kinerja.lib.commands import NounCommand
from kinerja.surveys import batches, jobs


class Command(NounCommand):
    summary = gettext_lazy("Background jobs (large survey imports) from the database queue.")

    def add_verbs(self, verbs: Any) -> None:
        parser = verbs.add_parser("run", help=_("run the queued jobs as they come, until stopped"))
        parser.add_argument(
            "--batch", action="store_true", help=_("run the jobs waiting now, then stop")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help=_("seconds between looks at an empty queue (default KINERJA_WORKER_POLL_SECONDS)"),
        )

    def handle_run(self, options: dict[str, Any]) -> None:
        if not options["batch"]:  # a worker beside the web server, not a one-off by hand
            lower_priority()
        # What a worker killed mid-job left: its jobs are failed, its import batch's rows go.
        failed = jobs.fail_orphans()
        cleaned = batches.clean_abandoned()
        if failed or cleaned:
            self.stdout.write(f"failed {failed} interrupted jobs, removed {cleaned} imports")
        log_tasks(options["verbosity"], self.stdout)
        worker = Worker(interval=poll_seconds(options["interval"]), once=options["batch"])
        worker.configure_signals()
        worker.run()


class Worker(QueueWorker):
    """django_tasks_db's worker (``db_worker``) with the chores of Kinerja's worker, done when
    it starts and then every ``KINERJA_WORKER_SWEEP_SECONDS`` between tasks and while the queue
    is empty (docs/rules.md#live-results):

    - it records that it is alive (``kinerja/db/heartbeat.py``): the dashboard says when results
      wait for a worker nobody runs;
    - it queues a recompute for stale marks that no queued task will read: those a worker killed
      mid-run left, and those of a write whose process died between its commit and the queuing
      of its recompute (``kinerja/db/stale.py``).
    """

    def __init__(self, interval: float, once: bool = False) -> None:
        # Each look at the queue is a batch: every task ready now, then back to ``run``.
        super().__init__(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        self.once = once
        self.chores_due = time.monotonic()

    def run(self) -> None:
        """Look at the queue every ``interval`` seconds until stopped (``once``: one look)."""
        while self.running:
            self.poll()
            if self.once or not self.running:
                return
            time.sleep(self.interval)

    def poll(self) -> None:
        """The chores when due, then the tasks ready now, if any.

        The queue is read before the library's look, which claims in an exclusive transaction:
        on SQLite that takes the database's one write lock, and a citizen's post that met it
        slept in SQLite's busy handler (1 ms at least, then 2, 5, 10 …) several times a second
        while the queue was empty. A plain read takes no lock in WAL mode.
        """
        self.chores()
        if self.ready_tasks().exists():
            super().run()

    def ready_tasks(self) -> Any:
        """The tasks of this worker's queues that may start now, as ``db_worker`` selects them
        (its ``run`` builds the query inline, so it is written again here, exclusions too)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        self.chores()  # tasks back to back keep the worker seen too
        super().run_task(db_task_result)

    def chores(self) -> None:
        now = time.monotonic()
        if now < self.chores_due:
            return
        self.chores_due = now + settings.KINERJA_WORKER_SWEEP_SECONDS
        heartbeat.beat()
        stale.requeue()


def log_tasks(verbosity: int, out: Any) -> None:
    """Each task's start and end (verbosity 1 and up), as ``db_worker`` logs them: through the
    project's LOGGING (its console), else on ``out``; the lines about each look at the queue only
    from verbosity 2."""
    tasks = logging.getLogger(TASKS_LOGGER)
    queue = logging.getLogger("django_tasks_db")
    tasks.setLevel(logging.INFO if verbosity else logging.CRITICAL)
    queue.setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)
    for logger in (tasks, queue):
        if not logger.hasHandlers():  # the project's LOGGING prints them already
            logger.addHandler(logging.StreamHandler(out))


def poll_seconds(given: float | None) -> float:
    """``--interval``, else ``KINERJA_WORKER_POLL_SECONDS``: how long a job queued into an empty
    queue (the live recompute a survey post queued) may wait before the worker sees it."""
    return settings.KINERJA_WORKER_POLL_SECONDS if given is None else given


def lower_priority() -> int:
    """Lower this process's CPU priority by ``KINERJA_WORKER_NICE`` (the web server's requests
    go first on the cores they share, docs/rules.md#live-results); the niceness now."""
    return os.nice(settings.KINERJA_WORKER_NICE)
