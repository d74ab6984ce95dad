"""How ``kinerja server run`` runs gunicorn and the background worker beside it, safe defaults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

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
        # Its hooks keep the master's objects shared with the workers (kinerja/ops/forking.py).
        "--config",
        "python:kinerja.ops.forking",
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


def worker_argv() -> list[str]:
    """``kinerja jobs run``: background jobs (large imports) from the database queue."""
    return [sys.executable, "-m", "kinerja.cli", "jobs", "run"]


# Signals gunicorn's master acts on (reload, more/fewer workers, reopen logs, stop).
FORWARDED = (
    signal.SIGTERM,
    signal.SIGINT,
    signal.SIGQUIT,
    signal.SIGHUP,
    signal.SIGTTIN,
    signal.SIGTTOU,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGWINCH,
)
STOPPING = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
WORKER_RESTART_SECONDS = 5.0
WORKER_STOP_SECONDS = 30.0


def serve_with_worker(web: list[str], worker: list[str]) -> int:
    """Run gunicorn and the background worker until gunicorn exits; returns its exit code.

    Signals sent to this process go to gunicorn (so a reload or a stop works as if it were
    gunicorn itself); a stop also stops the worker, which finishes its job if it can within
    WORKER_STOP_SECONDS (an import cut short is never visible; the next worker cleans it up).
    A worker that dies is started again, at most every WORKER_RESTART_SECONDS.
    """
    server = subprocess.Popen(web)
    jobs = subprocess.Popen(worker)
    started = time.monotonic()
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        server.send_signal(signum)
        if signum in STOPPING:
            stopping = True
            if jobs.poll() is None:
                jobs.send_signal(signal.SIGTERM)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        while True:
            try:
                code = server.wait(timeout=min(1.0, WORKER_RESTART_SECONDS))
                break
            except subprocess.TimeoutExpired:
                pass
            restart_due = time.monotonic() - started >= WORKER_RESTART_SECONDS
            if not stopping and jobs.poll() is not None and restart_due:
                jobs, started = subprocess.Popen(worker), time.monotonic()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if jobs.poll() is None:
        jobs.terminate()
        try:
            jobs.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            jobs.kill()
            jobs.wait()
    return code
