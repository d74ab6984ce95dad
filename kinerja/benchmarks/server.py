"""Start, kill and restart the real web stack (gunicorn + kinerja.wsgi) on loopback.

``kinerja server run`` is preferred when another app provides it; otherwise gunicorn is started
directly with the same WSGI application. Each server runs in its own process group so a crash can
be simulated with SIGKILL to the master and every worker at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from django.core.management import get_commands

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def command(port: int, workers: int, job_worker: bool = True) -> list[str]:
    """The web server's command; ``job_worker=False`` leaves out the background job worker
    ``kinerja server run`` starts beside gunicorn (a scenario then runs one of its own)."""
    if "server" in get_commands():
        # The project's own entry point, if it is there; same gunicorn underneath.
        return [
            str(BIN / "kinerja"),
            "server",
            "run",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *([] if job_worker else ["--no-worker"]),
        ]
    return [
        str(BIN / "gunicorn"),
        "kinerja.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--graceful-timeout",
        "2",
        "--log-level",
        "warning",
    ]


class Server:
    def __init__(
        self,
        port: int,
        workers: int,
        log: IO[str],
        env: dict[str, str] | None = None,
        job_worker: bool = True,
    ) -> None:
        self.port, self.workers, self.log = port, workers, log
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.argv = command(port, workers, job_worker)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, stdout=self.log, stderr=self.log, env=self.env, start_new_session=True
        )
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request, like a crash."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.process = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class JobWorker:
    """``kinerja jobs run`` on its own, as ``kinerja server run`` starts it beside gunicorn: the
    worker that runs the live-results recompute (kinerja/results/live.py)."""

    def __init__(self, log: IO[str]) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "kinerja"), "jobs", "run"], stdout=self.log, stderr=self.log
        )

    def stop(self) -> None:
        """SIGTERM, as ``kinerja server run`` stops it: the job under way finishes first."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
