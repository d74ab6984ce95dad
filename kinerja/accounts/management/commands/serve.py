"""kinerja serve: run Kinerja under gunicorn (production web server)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.accounts.checks import startup_problems
from kinerja.accounts.serving import default_workers, gunicorn_argv


class Command(BaseCommand):
    help = "Serve Kinerja with gunicorn: workers from the CPU count (2 × cores + 1, capped), 127.0.0.1:8000 by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port or unix:PATH")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"worker processes (default {default_workers()})",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck worker restarts"
        )
        parser.add_argument("--no-access-log", action="store_true", help="do not log each request")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the gunicorn command only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = startup_problems()
        if problems:
            raise CommandError(
                "Kinerja will not start in production (KINERJA_DEBUG off) with an unsafe key:\n- "
                + "\n- ".join(problems)
            )
        workers = options["workers"] or default_workers()
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        argv = gunicorn_argv(
            options["bind"], workers, options["timeout"], not options["no_access_log"]
        )
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        self.stdout.write(f"Kinerja on http://{options['bind']} with {workers} workers (gunicorn)")
        self.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - gunicorn replaces this process; signals reach it
