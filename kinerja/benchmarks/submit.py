"""Scenario ``submit``: public form submissions through gunicorn, against a trivial view.

Both are served by the same gunicorn command on loopback in the same run, by the same client, in
alternating windows: the phones (GET the form, POST it; the redirect to the thank-you page is not
followed), then plain GETs of ``/healthz``, and again. The ratio is the median of each pair's, so
a change in what else the machine is doing weighs on both sides of it alike. Stored submissions
are counted in the database, not from the answers.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.lib.models import StaleMark
from kinerja.results.live import recompute_stale
from kinerja.surveys.models import Response, Service

from .generate import city_code
from .loadgen import LoadResult, run_gets, run_submissions
from .measure import Measurement, ms, percentile
from .server import Server, free_port

LOCKED = "database is locked"


def bench_service(code: str = "bench-load", name: str = "Kelurahan Uji Beban") -> Service:
    """A dedicated unit and service, so load and crash runs never mix with generated data.

    The unit sits under the generated city's first kecamatan, inside the plans of that city, so
    each post marks their results stale and the live recompute has work, as a real kelurahan's
    post gives it (docs/rules.md#live-results). Without generated data it has no parent.
    """
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        parent = OrgUnit.objects.filter(code=f"{city_code(0)}-k01").first()
        unit = OrgUnit(code=code, name=name, level=OrgUnit.Level.KELURAHAN, parent=parent)
        unit.save()
    service, _created = Service.objects.get_or_create(
        unit=unit, code="uji", defaults={"name": "Layanan Uji", "slug": code.replace("bench-", "u")}
    )
    return service


def drain(rounds: int = 5) -> int:
    """Work off every stale mark there is now, in this process; returns the plans recomputed.

    Set-up, not timed: loading the generated plan marked all its results stale and queued the
    live recompute, which the job worker beside gunicorn would otherwise run during the first
    timed window.
    """
    recomputed = 0
    for _ in range(rounds):
        if not StaleMark.objects.exists():
            break
        recomputed += len(recompute_stale())
    return recomputed


def form_path(service: Service) -> str:
    return reverse("surveys_public:form", args=[service.slug])


def stored_with(marker: str) -> int:
    return Response.objects.filter(suggestion__startswith=f"bench {marker}-").count()


def run(
    engine: str, *, windows: int, seconds: float, concurrency: int, workers: int
) -> Measurement:
    service = bench_service()
    drain()
    path = form_path(service)
    port = free_port()
    rates: list[float] = []
    request_rates: list[float] = []
    p95s: list[float] = []
    base_rates: list[float] = []
    base_p95s: list[float] = []
    ratios: list[float] = []
    loads: list[LoadResult] = []
    stamp = time.strftime("%H%M%S")
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        with log_path.open("w") as log, Server(port, workers, log):
            run_submissions(port, path, concurrency=concurrency, marker=f"warm{stamp}", duration=2)
            for w in range(windows):
                marker = f"s{stamp}w{w}"
                load = run_submissions(
                    port,
                    path,
                    concurrency=concurrency,
                    marker=marker,
                    duration=seconds,
                    first=w * 10**6,
                )
                loads.append(load)
                rates.append(stored_with(marker) / load.seconds)
                request_rates.append(load.requests / load.seconds)
                p95s.append(percentile([s.latency for s in load.acknowledged], 0.95))
                base = run_gets(
                    port, "/healthz", concurrency=concurrency, duration=min(seconds, 10)
                )
                base_rates.append(base.requests / base.seconds)
                base_p95s.append(percentile([s.latency for s in base.submissions], 0.95))
                ratios.append(request_rates[-1] / base_rates[-1] if base_rates[-1] else 0.0)
        locked = log_path.read_text(errors="replace").count(LOCKED)
    rate = statistics.median(rates)
    req_rate, base_rate = statistics.median(request_rates), statistics.median(base_rates)
    p95 = statistics.median(p95s)
    errors = sum(load.server_errors for load in loads)
    ratio = round(statistics.median(ratios), 3)
    return Measurement(
        scenario="submit",
        engine=engine,
        rows=sum(len(load.submissions) for load in loads),
        value=round(rate, 1),
        unit="stored submissions/s (median window)",
        baseline="GET /healthz (trivial Django view), requests/s",
        baseline_value=round(base_rate, 1),
        ratio=ratio,
        goals={
            "stored/s>=200": rate >= 200,
            "p95_ms<=150": ms(p95) <= 150,
            "server_errors==0": errors == 0,
            "database_locked==0": locked == 0,
            "requests_ratio>=0.4": ratio >= 0.4,
        },
        windows={
            "value": [round(r, 1) for r in rates],
            "baseline_value": [round(r, 1) for r in base_rates],
            "ratio": [round(r, 3) for r in ratios],
        },
        details={
            "windows": windows,
            "seconds_per_window": seconds,
            "concurrency": concurrency,
            "gunicorn_workers": workers,
            "form_requests_per_s": round(req_rate, 1),
            "submission_p95_ms": ms(p95),
            "healthz_p95_ms": ms(statistics.median(base_p95s)),
            "server_errors": errors,
            "database_locked": locked,
            "statuses": dict(sum((load.statuses for load in loads), Counter())),
            "window_ratios": [round(r, 3) for r in ratios],
            "ratio_is": "form requests/s (GET + POST) ÷ /healthz requests/s, median of the "
            "alternating windows' pairs",
        },
    )
