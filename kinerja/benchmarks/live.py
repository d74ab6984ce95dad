"""Scenarios ``freshness`` and ``write_cost``: live results under a steady flow of survey posts.

One gunicorn (``kinerja server run --no-worker``) serves the public form; the bench's phones post
it at a fixed rate (``loadgen.run_submissions(rate=...)``) into the bench unit, which sits inside
the generated city (``submit.bench_service``). Windows alternate: without the job worker (the
posts mark results stale, nothing works the marks off), then with it (``kinerja jobs run``, as
``kinerja server run`` starts it beside gunicorn), and again.

- ``write_cost``: the public POST's p95 with the worker running against without, per pair of
  windows (docs/rules.md#live-results: the recompute must not slow the posts down).
- ``freshness``: in every window a sample phone posts every ``SAMPLE_EVERY`` seconds besides
  the flow (in both kinds, so the bench's own reading weighs on both sides of ``write_cost``;
  with no worker no sample may become fresh, which checks the check). Once its POST is answered (the write has committed) the bench reads
  the year-to-date respondents of every affected unit (the bench unit and each unit above it up
  to the plan's unit, ``results.live.affected_units``); a poller reads the stored results of the
  plan's "respondents" indicator every ``POLL`` seconds, and the sample is fresh when every one
  of them counts at least that many. A recompute that read before the write committed cannot
  count that many (respondents only grow), so the time is never too short; it may be late by
  the poll interval and by the posts committed between the answer and the count.

The generated plan covers 2020–2024, and a post made today touches this year only, so the
scenario loads the same 50 indicators as the city's next plan, from 2025 to this year
(``live_plan``). Before the windows every mark there is (both plans' loads marked all
their results) is worked off in this process, so the worker's runs are the posts' own.
A window with no marks, or no sample, raises: the scenario would have measured nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.lib.models import StaleMark
from kinerja.plan.actions import do_load_plan_text
from kinerja.plan.models import Indicator, Plan
from kinerja.results.live import affected_units
from kinerja.results.models import Result
from kinerja.surveys.rollup import tally_for
from kinerja_core.periods import Period

from .generate import PLAN_YEARS, city_code, group_kinds, plan_text
from .loadgen import LoadResult, Phone, run_submissions
from .measure import Measurement, ms, percentile
from .server import JobWorker, Server, free_port
from .submit import bench_service, drain, form_path

SAMPLE_EVERY = 0.5  # seconds between sample posts in a window with the worker
POLL = 0.05  # seconds between reads of the stored results
FRESH_WAIT = 30.0  # seconds after a window a sample may still become fresh
CATCH_UP = 120.0  # seconds the worker may take to work off a window's marks before the next
FRESHNESS_GOAL_S = 2.0
WRITE_COST_GOAL = 1.1  # p95 with the worker ≤ 1.1 × without


def live_plan() -> Plan:
    """The generated city's plan from the year after the generated plan's to this year, with its
    last year as the baseline (plans of one unit may not overlap); loaded once."""
    first = PLAN_YEARS[1] + 1
    code = f"{city_code(0)}-live"
    if not Plan.objects.filter(code=code).exists():
        city = OrgUnit.objects.get(code=city_code(0))
        last = max(first, timezone.localdate().year)
        do_load_plan_text(plan_text(city, group_kinds(), (first, last), PLAN_YEARS[1], code))
    return Plan.objects.select_related("unit").get(code=code)


@dataclass
class Sample:
    answered: float  # time.perf_counter() of the POST's answer
    needed: dict[int, int]  # unit pk → respondents its stored result must count
    fresh_after: float | None = None
    waited: float = 0.0  # fresh_after, or how long it was watched in vain


@dataclass
class Sampler:
    """Sample posts and the poller of their freshness, in two threads of this process."""

    port: int
    path: str
    indicator: Indicator
    units: list[OrgUnit]
    period: Period
    first: int
    wait: float = FRESH_WAIT  # seconds the poller keeps looking once the posts stopped
    samples: list[Sample] = field(default_factory=list)
    posts: LoadResult = field(default_factory=LoadResult)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.posting = threading.Event()
        self.stop_at: float | None = None  # the poller's last look, once posting stopped

    def needed(self) -> dict[int, int]:
        start, end = date(self.period.year, 1, 1), self.period.end
        return {u.pk: tally_for(u, start, end).respondents for u in self.units}

    def post(self) -> None:
        phone = Phone(self.port, self.path, self.posts, self.lock, lambda: True)
        n = self.first
        try:
            while not self.posting.is_set():
                sub = phone.submit(n, f"sample-{n:07d}")
                n += 1
                if sub.acknowledged:
                    sample = Sample(sub.answered, self.needed())
                    with self.lock:
                        self.samples.append(sample)
                self.posting.wait(SAMPLE_EVERY)
        finally:
            connection.close()

    def stored(self) -> dict[int, float]:
        return {
            unit_id: float(value if value is not None else -1)
            for unit_id, value in Result.objects.filter(
                indicator=self.indicator, unit__in=self.units, period_key=self.period.key
            ).values_list("unit_id", "realisation")
        }

    def poll(self) -> None:
        try:
            while True:
                with self.lock:
                    waiting = [s for s in self.samples if s.fresh_after is None]
                now = time.perf_counter()
                if self.stop_at is not None and (not waiting or now > self.stop_at):
                    for s in waiting:
                        s.waited = now - s.answered
                    return
                if waiting:
                    stored = self.stored()
                    now = time.perf_counter()
                    for s in waiting:
                        if all(stored.get(pk, -1) >= n for pk, n in s.needed.items()):
                            s.fresh_after = s.waited = now - s.answered
                time.sleep(POLL)
        finally:
            connection.close()

    def __enter__(self) -> Sampler:
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.post, self.poll)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop posting; wait up to ``wait`` seconds for the samples still stale."""
        self.posting.set()
        self.threads[0].join()
        self.stop_at = time.perf_counter() + self.wait
        self.threads[1].join()


def post_p95(load: LoadResult) -> float:
    return percentile([s.post_latency for s in load.acknowledged], 0.95)


def wait_for_no_marks(plan: Plan, timeout: float) -> float:
    """Seconds until the worker has worked off every mark of ``plan``."""
    started = time.perf_counter()
    while StaleMark.objects.filter(plan=plan).exists():
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the job worker left marks of {plan.code} for {timeout:.0f} s")
        time.sleep(POLL)
    return time.perf_counter() - started


def run(
    engine: str,
    *,
    windows: int,
    seconds: float,
    rate: float,
    concurrency: int,
    workers: int,
) -> list[Measurement]:
    """Both scenarios from one run of ``windows`` pairs (without the worker, then with it)."""
    service = bench_service()
    plan = live_plan()
    unit = service.unit
    if not unit.path.startswith(plan.unit.path):
        raise RuntimeError(f"the bench unit {unit.path} is outside the plan's {plan.unit.path}")
    started = time.perf_counter()
    drained = drain()
    set_up = time.perf_counter() - started
    units = affected_units(plan, {unit.pk})
    period = Period(timezone.localdate().year)
    indicator = Indicator.objects.get(plan=plan, formula="respondents")
    path = form_path(service)
    port = free_port()
    stamp = time.strftime("%H%M%S")
    without: list[LoadResult] = []
    with_worker: list[LoadResult] = []
    marks: list[int] = []
    catch_up: list[float] = []
    sampled: list[list[Sample]] = []
    sample_errors = 0
    fresh_without = 0  # samples seen fresh with no worker running: must stay 0
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log, Server(port, workers, log, job_worker=False):
            run_submissions(
                port, path, concurrency=concurrency, marker=f"lw{stamp}", duration=2, rate=rate
            )

            def window(n: int, wait: float) -> tuple[LoadResult, list[Sample]]:
                """One window of posts, its samples watched (as much reading either way)."""
                nonlocal sample_errors
                first = 9 * 10**6 + n * 10**5
                with Sampler(port, path, indicator, units, period, first, wait) as sampler:
                    load = run_submissions(
                        port,
                        path,
                        concurrency=concurrency,
                        marker=f"l{stamp}w{n}",
                        duration=seconds,
                        rate=rate,
                        first=(n + 1) * 10**5,  # the warm-up's addresses are below
                    )
                sample_errors += sampler.posts.server_errors
                if not sampler.samples:
                    raise RuntimeError("no sample post was answered: freshness measured nothing")
                return load, sampler.samples

            for w in range(windows):
                load, idle = window(2 * w, 0.0)
                without.append(load)
                fresh_without += sum(s.fresh_after is not None for s in idle)
                marks.append(StaleMark.objects.filter(plan=plan, unit=unit).count())
                if not marks[-1]:
                    raise RuntimeError("the posts marked no result stale: nothing to measure")
                worker = JobWorker(log)
                worker.start()
                try:
                    catch_up.append(wait_for_no_marks(plan, CATCH_UP))
                    load, samples = window(2 * w + 1, FRESH_WAIT)
                    with_worker.append(load)
                    sampled.append(samples)
                finally:
                    worker.stop()
    loads = without + with_worker
    errors = sum(x.server_errors for x in loads) + sample_errors
    fresh = freshness(engine, sampled, rate, seconds, units, marks, catch_up, errors)
    fresh.details |= {
        "fresh_without_worker": fresh_without,
        "set_up_recomputed_plans": drained,
        "set_up_s": round(set_up, 1),
    }
    return [fresh, write_cost(engine, without, with_worker, rate, seconds, workers, errors)]


def freshness(
    engine: str,
    sampled: list[list[Sample]],
    rate: float,
    seconds: float,
    units: list[OrgUnit],
    marks: list[int],
    catch_up: list[float],
    errors: int,
) -> Measurement:
    # A sample never fresh counts with the time it was watched: the p95 shows it, not drops it.
    waits = [[s.waited for s in w] for w in sampled]
    p95s = [percentile(w, 0.95) for w in waits]
    value = statistics.median(p95s)
    never = sum(s.fresh_after is None for w in sampled for s in w)
    return Measurement(
        scenario="freshness",
        engine=engine,
        rows=sum(len(w) for w in sampled),
        value=round(value, 3),
        unit="s, p95 from a POST's answer to every affected result (median window)",
        baseline="the goal, s",
        baseline_value=FRESHNESS_GOAL_S,
        ratio=round(FRESHNESS_GOAL_S / value, 3) if value else 0.0,
        goals={"p95_s<=2": value <= FRESHNESS_GOAL_S and never == 0},
        windows={"value": [round(x, 3) for x in p95s]},
        details={
            "windows": len(sampled),
            "seconds_per_window": seconds,
            "posts_per_s": rate,
            "samples": sum(len(w) for w in sampled),
            "never_fresh": never,
            "median_s": round(statistics.median(x for w in waits for x in w), 3),
            "affected_units": ", ".join(u.code for u in units),
            "marks_after_windows_without_worker": marks,
            "worker_catch_up_s": [round(x, 2) for x in catch_up],
            "server_errors": errors,
        },
    )


def write_cost(
    engine: str,
    without: list[LoadResult],
    with_worker: list[LoadResult],
    rate: float,
    seconds: float,
    workers: int,
    errors: int,
) -> Measurement:
    base = [post_p95(x) for x in without]
    ours = [post_p95(x) for x in with_worker]
    ratios = [b / o if o else 0.0 for b, o in zip(base, ours, strict=True)]
    ratio = statistics.median(ratios)
    return Measurement(
        scenario="write_cost",
        engine=engine,
        rows=sum(len(x.submissions) for x in (*without, *with_worker)),
        value=ms(statistics.median(ours)),
        unit="ms, public POST p95 with the job worker (median window)",
        baseline="the same without the worker, alternating windows",
        baseline_value=ms(statistics.median(base)),
        ratio=round(ratio, 3),
        goals={
            "p95_with_worker<=1.1x": ratio >= 1 / WRITE_COST_GOAL,
            "server_errors==0": not errors,
        },
        windows={
            "value": [ms(x) for x in ours],
            "baseline_value": [ms(x) for x in base],
            "ratio": [round(x, 3) for x in ratios],
        },
        details={
            "windows": len(ours),
            "seconds_per_window": seconds,
            "posts_per_s": rate,
            "gunicorn_workers": workers,
            "stored_per_s": round(
                statistics.median(len(x.acknowledged) / x.seconds for x in with_worker), 1
            ),
            "server_errors": errors,
            "statuses": dict(sum((x.statuses for x in (*without, *with_worker)), Counter())),
        },
    )
