"""kinerja server run: Kinerja under gunicorn (production web server), its job worker beside."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.checks import startup_problems
from kinerja.lib.commands import NounCommand
from kinerja.ops.serving import (
    default_workers,
    gunicorn_argv,
    serve_with_worker,
    worker_argv,
)


class Command(NounCommand):
    summary = gettext_lazy("Serve Kinerja with gunicorn and the background job worker beside it.")

    def add_verbs(self, verbs: Any) -> None:
        parser = verbs.add_parser(
            "run",
            help=_(
                "serve Kinerja until stopped: workers from the CPU count (2 × cores + 1, capped), "
                "127.0.0.1:8000 by default, the background job worker beside them"
            ),
        )
        parser.add_argument("--bind", default="127.0.0.1:8000", help=_("address:port or unix:PATH"))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("worker processes (default %(workers)s)") % {"workers": default_workers()},
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help=_("seconds before a stuck worker restarts")
        )
        parser.add_argument(
            "--no-access-log", action="store_true", help=_("do not log each request")
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("do not start the background job worker (run kinerja jobs run elsewhere)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("print the commands only"))

    def handle_run(self, options: dict[str, Any]) -> None:
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
        worker = None if options["no_worker"] else worker_argv()
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            if worker:
                self.stdout.write(" ".join(worker))
            return
        self.stdout.write(f"Kinerja on http://{options['bind']} with {workers} workers (gunicorn)")
        self.stdout.flush()
        if worker is None:
            os.execv(argv[0], argv)  # noqa: S606 - gunicorn replaces this process; signals reach it
        self.stdout.write("Background jobs: kinerja jobs run")
        self.stdout.flush()
        sys.exit(serve_with_worker(argv, worker))
