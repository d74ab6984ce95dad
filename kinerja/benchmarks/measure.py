"""One benchmark measurement and the timing helpers every scenario uses."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

WINDOWS = 3  # alternating windows of a scenario against its baseline, at least


@dataclass
class Measurement:
    """One row of bench/results.json: a value, its baseline from the same run, their ratio.

    ``ratio`` is always "how many times better than the baseline" (>1 is better): baseline time
    over our time for durations, our rate over the baseline's for throughputs.
    """

    scenario: str
    engine: str
    rows: int
    value: float
    unit: str
    baseline: str
    baseline_value: float
    ratio: float
    equal_to_full_recompute: bool | None = None
    goals: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    # Per window (or run) figures behind ``value``, ``baseline_value`` and ``ratio``, whose
    # medians those are: BENCHMARKS.md shows their spread.
    windows: dict[str, list[float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def median_seconds(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0–1) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[rank]


def faster(ours: float, baseline: float) -> float:
    """Baseline time over ours: 5.0 means five times faster."""
    return round(baseline / ours, 3) if ours > 0 else float("inf")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def merged_stats(windows: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each page's figures over the windows (a list of pages' figures per window): the medians
    of its p95s and medians, every query count seen, whether any window read raw responses;
    the rest (e.g. the cold first request) as the first window has them."""
    merged = []
    for runs in zip(*windows, strict=True):
        page = dict(runs[0])
        page["p95_ms"] = statistics.median(r["p95_ms"] for r in runs)
        page["median_ms"] = statistics.median(r["median_ms"] for r in runs)
        page["queries"] = sorted({q for r in runs for q in r["queries"]})
        if "reads_raw_responses" in page:
            page["reads_raw_responses"] = any(r["reads_raw_responses"] for r in runs)
        merged.append(page)
    return merged
