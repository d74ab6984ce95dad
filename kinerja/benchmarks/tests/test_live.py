"""The live-results scenarios in their short form: posts mark results, the worker freshens them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kinerja.db.scratch import scratch_database

KINERJA = str(Path(sys.executable).parent / "kinerja")


@pytest.fixture
def bench_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """``kinerja bench`` on a database of its own (a SQLite file, or a scratch PostgreSQL one)."""
    with scratch_database(tmp_path) as env:
        yield env


def kinerja(env: dict[str, str], *args: str) -> None:
    subprocess.run([KINERJA, *args], env=env, check=True, timeout=300)


def test_the_posts_mark_results_and_every_sample_is_seen_fresh(
    bench_env: dict[str, str], tmp_path: Path
) -> None:
    kinerja(bench_env, "migrate", "--no-input", "-v", "0", "--skip-checks")
    kinerja(bench_env, "bench", "generate", "--scale", "small", "--responses", "2000")
    output = tmp_path / "live.json"
    kinerja(
        bench_env,
        *("bench", "run", "--scenarios", "live", "--live-windows", "2", "--live-seconds", "2"),
        *("--live-rate", "10", "--workers", "2", "--concurrency", "4", "--output", str(output)),
    )
    fresh, cost = json.loads(output.read_text())
    assert (fresh["scenario"], cost["scenario"]) == ("freshness", "write_cost")
    details = fresh["details"]
    # Each window without the worker left marks of the bench unit; the worker worked them off.
    assert len(details["marks_after_windows_without_worker"]) == 2
    assert all(n > 0 for n in details["marks_after_windows_without_worker"])
    # The bench unit, its kecamatan and the city: every unit up to the plan's.
    assert details["affected_units"] == "bench-c01, bench-c01-k01, bench-load"
    assert details["samples"] == fresh["rows"] >= 4 and details["never_fresh"] == 0
    # Without the worker nothing freshened the results: the samples' check can fail.
    assert details["fresh_without_worker"] == 0
    assert len(fresh["windows"]["value"]) == 2 and 0 < fresh["value"] < 30
    assert len(cost["windows"]["ratio"]) == 2 and cost["value"] > 0 and cost["baseline_value"] > 0
    assert details["server_errors"] == 0 and cost["goals"]["server_errors==0"]
