"""Scenarios ``recompute`` (a whole city plan) and ``dashboard`` (pages with that data).

Recompute: stored results are deleted before each run, so every run computes and stores all of
them. Its baseline is the data-reading part of the work: the same measure values (every distinct
measure, filter, unit and period the engine asked for) read directly through the measures' batch
readers, without formulas, targets, achievement or storage; the ratio is then the share of a
recompute spent reading data.

Dashboard: the results pages of the city plan rendered by Django's test client in-process (no
network), for the city and for one kelurahan, counting SQL queries; the baseline is /healthz.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.plan.models import Plan
from kinerja.results.actions import (
    compute_outcomes,
    do_recompute,
    no_progress,
    recompute_periods,
    recompute_units,
)
from kinerja.results.engine import Evaluator
from kinerja.results.models import Result
from kinerja_core.periods import Period

from .measure import WINDOWS, Measurement, faster, median_seconds, merged_stats, ms, percentile

PLAN = "bench-c01-plan"


def measure_requests(plan: Plan, years: list[int]) -> list[tuple[Any, ...]]:
    """Every (measure, filters, unit, period) the engine reads in a recompute of ``years``."""
    evaluator = Evaluator(plan)
    periods = recompute_periods(plan, years)
    for _ in compute_outcomes(evaluator, recompute_units(plan), periods, no_progress):
        pass
    units = {u.pk: u for u in recompute_units(plan)}
    return [
        (name, {k: list(v) for k, v in filters}, units[unit_id], Period.parse(period_key))
        for name, filters, unit_id, period_key in evaluator.cache
        if name in evaluator.specs and unit_id in units
    ]


def read_measures(plan: Plan, requests: list[tuple[Any, ...]]) -> int:
    """Read ``requests`` as a recompute does (batch readers for all units); returns the calls."""
    evaluator = Evaluator(plan)
    evaluator.batch_over(recompute_units(plan))
    for name, filters, unit, period in requests:
        evaluator.measure(name, filters, unit, period)
    return evaluator.calls


def empty_years(plan: Plan, years: list[int]) -> None:
    """Delete the stored results of ``years``: set-up, not timed.

    A plain DELETE, without the history row and audit entry that deleting each result through
    the ORM writes (for a whole city's 47 000 results on PostgreSQL that took over ten minutes).
    The benchmark's own synthetic results are the only rows touched.
    """
    rows = Result.objects.filter(plan=plan, year__in=years)
    rows._raw_delete(rows.db)


def run_recompute(engine: str, repeats: int, years: list[int] | None = None) -> Measurement:
    """Recompute ``years`` of the city plan (all its years when None) from scratch."""
    plan = Plan.objects.get(code=PLAN)
    all_years = sorted({p.year for p in recompute_periods(plan)})
    chosen = years or all_years

    requests = measure_requests(plan, chosen)
    calls: list[int] = []

    def direct() -> None:
        calls.append(read_measures(plan, requests))

    # Alternating: a recompute, then the baseline, and again.
    times: list[float] = []
    bases: list[float] = []
    for _ in range(max(repeats, 1)):
        empty_years(plan, chosen)
        started = time.perf_counter()
        do_recompute(plan, years=chosen)
        times.append(time.perf_counter() - started)
        bases.append(median_seconds(direct, 1)[0])
    value, base = statistics.median(times), statistics.median(bases)
    stored = Result.objects.filter(plan=plan, year__in=chosen).count()
    return Measurement(
        scenario="recompute",
        engine=engine,
        rows=stored,
        value=round(value, 3),
        unit=f"s per recompute of {len(chosen)} of the plan's {len(all_years)} years (median)",
        baseline="the same measure values read directly (batch readers; no formulas, no storage)",
        baseline_value=round(base, 3),
        ratio=faster(value, base),
        # The goal is for all years; a partial run is scaled by its share of the periods.
        goals={
            "seconds<=10": value
            * len(recompute_periods(plan))
            / len(recompute_periods(plan, chosen))
            <= 10
        },
        windows={
            "value": [round(t, 3) for t in times],
            "baseline_value": [round(t, 3) for t in bases],
            "ratio": [faster(t, b) for t, b in zip(times, bases, strict=True)],
        },
        details={
            "years": chosen,
            "estimated_all_years_s": round(
                value * len(recompute_periods(plan)) / len(recompute_periods(plan, chosen)), 1
            ),
            "runs_s": [round(t, 2) for t in times],
            "results_stored": stored,
            "measure_values": len(requests),
            "reader_calls": calls[-1],
            "units": len(recompute_units(plan)),
            "periods": len(recompute_periods(plan, chosen)),
            "indicators": plan.indicators.count(),
        },
    )


def viewer(plan: Plan) -> User:
    """A viewer of the plan's unit (no two-factor step, unlike administrators)."""
    user, _created = User.objects.get_or_create(username="bench-viewer")
    Membership.objects.get_or_create(user=user, unit=plan.unit, role=Role.VIEWER)
    return user


def page_stats(client: Client, url: str, requests: int) -> dict[str, Any]:
    times: list[float] = []
    queries: set[int] = set()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries.add(len(captured))
    return {
        "url": url,
        "p95_ms": ms(percentile(times, 0.95)),
        "median_ms": ms(statistics.median(times)),
        "queries": sorted(queries),
    }


def run_dashboard(engine: str, requests: int) -> Measurement:
    plan = Plan.objects.get(code=PLAN)
    if not Result.objects.filter(plan=plan).exists():
        do_recompute(plan)
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer(plan))
    kelurahan = (
        OrgUnit.objects.filter(path__startswith=plan.unit.path, level=OrgUnit.Level.KELURAHAN)
        .order_by("path")
        .first()
    )
    assert kelurahan is not None
    home = reverse("home")
    result = Result.objects.filter(plan=plan, unit=plan.unit).order_by("pk").first()
    pages = [
        f"{home}?plan={plan.code}",
        f"{home}?plan={plan.code}&unit={kelurahan.code}",
        reverse("results:quarterly", args=[plan.code]),
    ]
    if result is not None:
        pages.append(reverse("results:detail", args=[result.pk]))
    # Alternating windows: every page, then /healthz, and again; a window's figure is its
    # slowest page's p95, the scenario's the median window's.
    per_window = max(1, -(-requests // WINDOWS))
    windows = [
        (
            [page_stats(client, url, per_window) for url in pages],
            page_stats(client, reverse("healthz"), per_window),
        )
        for _ in range(WINDOWS)
    ]
    worsts = [max(s["p95_ms"] for s in stats) for stats, _ in windows]
    bases = [base["p95_ms"] for _, base in windows]
    worst, base_p95 = statistics.median(worsts), statistics.median(bases)
    stats = merged_stats([stats for stats, _ in windows])
    city, kel = stats[0]["queries"], stats[1]["queries"]
    # Fixed: every page runs the same queries on every request, and the city page (36 units'
    # data) runs no more than the page of one kelurahan.
    fixed = all(len(s["queries"]) == 1 for s in stats) and city[0] <= kel[0]
    return Measurement(
        scenario="dashboard",
        engine=engine,
        rows=Result.objects.filter(plan=plan).count(),
        value=worst,
        unit="ms p95 (slowest page)",
        baseline="GET /healthz through the same test client, p95",
        baseline_value=base_p95,
        ratio=faster(worst, base_p95),
        goals={"p95_ms<=150": worst <= 150, "fixed_query_count": fixed},
        windows={
            "value": worsts,
            "baseline_value": bases,
            "ratio": [faster(w, b) for w, b in zip(worsts, bases, strict=True)],
        },
        details={"pages": stats, "requests_per_page": per_window * WINDOWS},
    )
