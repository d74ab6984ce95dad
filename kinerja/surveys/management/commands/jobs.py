"""kinerja jobs run: run background jobs (large survey imports) from the database queue."""

from __future__ import annotations

from typing import Any

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
            default=1.0,
            help=_("seconds between looks at an empty queue"),
        )

    def handle_run(self, options: dict[str, Any]) -> None:
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
            interval=options["interval"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
