"""The crash test: SIGKILL the server again and again under load; nothing acknowledged is lost.

Phones submit N forms (each with a unique marker) while the whole gunicorn process group is
killed K times, spread over the load, and restarted. A POST whose connection breaks is resent
with its one-time token. Afterwards:

- every submission that got a success answer (the redirect to the thank-you page) is stored
  exactly once, and no marker is stored twice;
- the database is intact: ``PRAGMA integrity_check`` and ``foreign_key_check`` on SQLite;
  amcheck's ``bt_index_check`` on every index of the survey tables on PostgreSQL (when the
  extension can be created), plus a foreign-key consistency query;
- the daily rollup of the crash service equals its raw responses.

The database's checks are in ``kinerja/db/integrity.py``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Count, Sum

from kinerja.db.integrity import integrity_problems
from kinerja.surveys.models import SCORE_FIELDS, TOTAL_FIELDS, DailyTally, Response

from .loadgen import run_submissions
from .server import Server, free_port
from .submit import bench_service, form_path


@dataclass
class CrashReport:
    engine: str
    submissions: int
    kills: int
    acknowledged: int = 0
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unacknowledged_stored: int = 0
    broken_connections: int = 0
    retried_posts: int = 0
    server_errors: int = 0
    integrity: list[str] = field(default_factory=list)
    rollup_equal: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.lost
            and not self.duplicated
            and self.integrity == ["ok"]
            and self.rollup_equal
            and self.acknowledged > 0
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def rollup_equals_raw(service_id: int) -> bool:
    # Any: the stubs type .values() rows by the named fields only, not the annotations.
    grouped: Any = (
        Response.objects.filter(service_id=service_id)
        .values("day")
        .annotate(n=Count("id"), **{f: Sum(f) for f in SCORE_FIELDS})
        .order_by()
    )
    raw = {row["day"]: (row["n"], *(row[f] for f in SCORE_FIELDS)) for row in grouped}
    rollup = {
        d["day"]: (d["respondents"], *(d[t] for t in TOTAL_FIELDS))
        for d in DailyTally.objects.filter(service_id=service_id).values(
            "day", "respondents", *TOTAL_FIELDS
        )
    }
    return raw == rollup


def run(
    engine: str, *, submissions: int, kills: int, concurrency: int = 8, workers: int = 2
) -> CrashReport:
    service = bench_service("bench-crash", "Kelurahan Uji Crash")
    path = form_path(service)
    port = free_port()
    marker = "c" + time.strftime("%m%d%H%M%S")
    report = CrashReport(engine, submissions, kills)
    done = 0
    lock = threading.Lock()

    def progress(n: int) -> None:
        nonlocal done
        with lock:
            done += n

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="kinerja-crash-") as tmp,
        (Path(tmp) / "gunicorn.log").open("w") as log,
    ):
        server = Server(port, workers, log)
        server.start()
        outcome: dict[str, Any] = {}
        load = threading.Thread(
            target=lambda: outcome.setdefault(
                "load",
                run_submissions(
                    port,
                    path,
                    concurrency=concurrency,
                    marker=marker,
                    count=submissions,
                    progress=progress,
                ),
            )
        )
        load.start()
        try:
            for k in range(kills):
                # Spread the kills evenly over the load.
                threshold = submissions * (k + 1) // (kills + 1)
                while done < threshold and load.is_alive():
                    time.sleep(0.01)
                server.kill()
                time.sleep(0.1)
                server.start()
            load.join()
        finally:
            server.stop()
    result = outcome["load"]
    report.seconds = round(time.perf_counter() - started, 2)
    report.broken_connections = result.broken
    report.retried_posts = sum(s.attempts - 1 for s in result.submissions if s.attempts > 1)
    report.server_errors = result.server_errors
    acknowledged = {s.marker for s in result.acknowledged}
    report.acknowledged = len(acknowledged)
    stored = Counter(
        text.removeprefix("bench ")
        for text in Response.objects.filter(suggestion__startswith=f"bench {marker}-").values_list(
            "suggestion", flat=True
        )
    )
    report.stored = sum(stored.values())
    report.lost = sorted(m for m in acknowledged if stored[m] == 0)
    report.duplicated = sorted(m for m, n in stored.items() if n > 1)
    report.unacknowledged_stored = sum(1 for m in stored if m not in acknowledged)
    report.integrity = integrity_problems()
    report.rollup_equal = rollup_equals_raw(service.pk)
    return report
