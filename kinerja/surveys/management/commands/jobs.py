"""kinerja jobs run: run background jobs (large survey imports) from the database queue."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.db import stale
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
        # Marks a killed worker's recompute left: a run for them is queued (kinerja/db/stale.py).
        stale.requeue()
        call_command(
            "db_worker",
            batch=options["batch"],
            interval=poll_seconds(options["interval"]),
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )


def poll_seconds(given: float | None) -> float:
    """``--interval``, else ``KINERJA_WORKER_POLL_SECONDS``: how long a job queued into an empty
    queue (the live recompute a survey post queued) may wait before the worker sees it."""
    return settings.KINERJA_WORKER_POLL_SECONDS if given is None else given


def lower_priority() -> int:
    """Lower this process's CPU priority by ``KINERJA_WORKER_NICE`` (the web server's requests
    go first on the cores they share, docs/rules.md#live-results); the niceness now."""
    return os.nice(settings.KINERJA_WORKER_NICE)
