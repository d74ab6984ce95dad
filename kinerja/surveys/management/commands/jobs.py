"""kinerja worker: run background jobs (large survey imports) from the database queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kinerja.surveys import batches, jobs


class Command(BaseCommand):
    help = (
        "Run background jobs (large survey imports) from the database queue; kinerja serve "
        "starts one beside the web server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs waiting now, then stop"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # What a worker killed mid-job left: its jobs are failed, its import batch's rows go.
        failed = jobs.fail_orphans()
        cleaned = batches.clean_abandoned()
        if failed or cleaned:
            self.stdout.write(f"failed {failed} interrupted jobs, removed {cleaned} imports")
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
