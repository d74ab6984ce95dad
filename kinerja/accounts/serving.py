"""How ``kinerja serve`` runs gunicorn: the worker count from the CPU count, safe defaults."""

from __future__ import annotations

import os
import sys

MAX_WORKERS = 12  # beyond this a single machine's database, not the web tier, is the limit


def default_workers(cpus: int | None = None) -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped."""
    cores = cpus if cpus is not None else (os.cpu_count() or 1)
    return min(2 * max(cores, 1) + 1, MAX_WORKERS)


def gunicorn_argv(
    bind: str,
    workers: int,
    timeout: int = 60,
    access_log: bool = True,
    extra: list[str] | None = None,
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "kinerja.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        # Large PDF reports take a few seconds; a slow client must not pin a worker forever.
        "--graceful-timeout",
        "30",
        # Restart workers now and then so a slow leak never grows without bound. The app is
        # loaded once in the master (--preload) and each worker is a fork of it: otherwise every
        # restart imported Django and Kinerja again (~0.9 s of CPU each time), and the workers
        # share that memory.
        "--preload",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--forwarded-allow-ips",
        os.environ.get("KINERJA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv + list(extra or [])
