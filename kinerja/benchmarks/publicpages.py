"""Scenario ``public_pages``: the anonymous results page and IKM posters at the bench's scale.

The pages anyone may ask for without logging in, rendered by Django's test client in-process (no
network): the whole city's results for the year (the largest sum over the daily rollup), one
kelurahan's for a quarter, the city's poster as PDF and PNG, and the city's results for the
current year (its live days, yesterday and today, are summed on every request). Each page is asked for once to
render it (its "cold" time: WeasyPrint for the posters), then again and again as citizens would,
each request from its own client address (so the per-client page limit is counted but never
reached); every SQL statement is captured to check that none reads raw responses. The baseline is
what the page used to read on every request: ``survey_report_data`` of the city's year (its
profile breakdowns and suggestions scan every response of the year), timed once.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.surveys.models import Response
from kinerja.surveys.reports import survey_report_data
from kinerja_core.periods import Period

from .generate import city_code
from .measure import WINDOWS, Measurement, faster, merged_stats, ms, percentile

GOAL_MS = 50


def address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def page_stats(url: str, requests: int, first_client: int) -> dict[str, Any]:
    """The cold request's time, then ``requests`` more, each from another client address."""
    raw = Response._meta.db_table
    client = Client(HTTP_HOST="localhost")
    started = time.perf_counter()
    cold = client.get(url, REMOTE_ADDR=address(first_client))
    cold_s = time.perf_counter() - started
    if cold.status_code != 200:
        raise RuntimeError(f"{url} answered {cold.status_code}")
    times: list[float] = []
    queries: set[int] = set()
    reads_raw = False
    for n in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=address(first_client + 1 + n))
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries.add(len(captured))
        reads_raw |= any(raw in q["sql"] for q in captured.captured_queries)
    return {
        "url": url,
        "p95_ms": ms(percentile(times, 0.95)),
        "median_ms": ms(statistics.median(times)),
        "queries": sorted(queries),
        "cold_ms": ms(cold_s),
        "reads_raw_responses": reads_raw,
    }


def run(engine: str, requests: int, year: int = 2024) -> Measurement:
    city = OrgUnit.objects.get(code=city_code(0))
    kelurahan = (
        OrgUnit.objects.filter(path__startswith=city.path, level=OrgUnit.Level.KELURAHAN)
        .order_by("path")
        .first()
    )
    assert kelurahan is not None
    whole_year, quarter = Period(year), Period(year, "quarter", 2)
    this_year = Period(timezone.localdate().year)
    urls = [
        reverse("surveys_public:results", args=[city.code, whole_year.key]),
        reverse("surveys_public:results", args=[kelurahan.code, quarter.key]),
        reverse("surveys_public:poster_pdf", args=[city.code, whole_year.key]),
        reverse("surveys_public:poster_png", args=[city.code, whole_year.key]),
        reverse("surveys_public:results", args=[city.code, this_year.key]),
    ]
    # Alternating windows: every page, then the baseline, and again; a window's figure is its
    # slowest page's p95, the scenario's the median window's. Each request has its own client.
    per_window = max(1, -(-requests // WINDOWS))
    windows: list[tuple[list[dict[str, Any]], float]] = []
    for w in range(WINDOWS):
        first = w * len(urls) * (per_window + 1)
        stats = [
            page_stats(url, per_window, first + i * (per_window + 1)) for i, url in enumerate(urls)
        ]
        started = time.perf_counter()
        survey_report_data(city, whole_year)
        windows.append((stats, time.perf_counter() - started))
    worsts = [max(s["p95_ms"] for s in stats) for stats, _ in windows]
    bases = [base for _, base in windows]
    worst, base = statistics.median(worsts), statistics.median(bases)
    stats = merged_stats([stats for stats, _ in windows])
    return Measurement(
        scenario="public_pages",
        engine=engine,
        rows=Response.objects.count(),
        value=worst,
        unit="ms p95 (slowest public page, anonymous)",
        baseline="the data the page read before: survey_report_data of the city's year, once a window",
        baseline_value=ms(base),
        ratio=faster(worst / 1000, base),
        goals={
            f"p95_ms<={GOAL_MS}": worst <= GOAL_MS,
            "no_raw_responses": not any(s["reads_raw_responses"] for s in stats),
            "fixed_query_count": all(len(s["queries"]) == 1 for s in stats),
        },
        windows={
            "value": worsts,
            "baseline_value": [ms(b) for b in bases],
            "ratio": [faster(w / 1000, b) for w, b in zip(worsts, bases, strict=True)],
        },
        details={
            "pages": stats,
            "requests_per_page": per_window * WINDOWS,
            "slowest_median_ms": max(s["median_ms"] for s in stats),
            "slowest_first_ms": max(s["cold_ms"] for s in stats),
        },
    )
