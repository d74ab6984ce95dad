"""BENCHMARKS.md's goals: medians with their spread, met only in two complete runs in a row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import COMPLETE_AT_LEAST, complete_run
from bench.report import write_outputs


def freshness(p95s: list[float]) -> dict[str, Any]:
    value = sorted(p95s)[len(p95s) // 2]
    return {
        "scenario": "freshness",
        "engine": "sqlite",
        "rows": 30,
        "value": value,
        "unit": "s",
        "baseline": "the goal, s",
        "baseline_value": 2.0,
        "ratio": round(2.0 / value, 3),
        "goals": {"p95_s<=2": value <= 2},
        "details": {},
        "windows": {"value": p95s},
    }


def render(root: Path, p95s: list[float], complete: bool = True) -> str:
    write_outputs(root, [freshness(p95s)], [], 60.0, complete)
    return (root / "BENCHMARKS.md").read_text()


def goal_row(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("| freshness | sqlite | p95"))


def test_a_goal_is_met_only_when_two_complete_runs_in_a_row_meet_it(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    first = render(tmp_path, [1.2, 1.5, 1.9])
    assert "Previous complete run: none recorded" in first
    assert goal_row(first).endswith("| met | 1.5 (1.2–1.9) | – | met this run only |")
    second = render(tmp_path, [1.1, 1.4, 1.6])
    assert goal_row(second).endswith("| met: 1.5 (1.2–1.9) | **met (2 runs)** |")
    # A run that is not complete is not recorded, and meets nothing for two runs.
    small = render(tmp_path, [0.1, 0.2, 0.3], complete=False)
    assert "**This run is not complete**" in small
    assert goal_row(small).endswith("| met this run only |")
    runs = json.loads((tmp_path / "bench" / "history.json").read_text())["runs"]
    assert len(runs) == 2 and runs[-1]["goals"]["freshness/sqlite/p95_s<=2"]["value"] == 1.4
    # A miss breaks the chain: the next run meeting the goal starts it again.
    missed = render(tmp_path, [1.8, 2.5, 3.0])
    assert goal_row(missed).endswith("| **missed** |")
    again = render(tmp_path, [1.0, 1.0, 1.2])
    assert goal_row(again).endswith("| missed: 2.5 (1.8–3) | met this run only |")


def test_only_every_scenario_on_both_engines_at_full_size_is_a_complete_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (*COMPLETE_AT_LEAST, "BENCH_SCALE", "BENCH_RECOMPUTE_YEARS"):
        monkeypatch.delenv(name, raising=False)
    assert complete_run(["sqlite", "postgresql"])
    assert not complete_run(["sqlite"])
    monkeypatch.setenv("BENCH_LIVE_SECONDS", "5")
    assert not complete_run(["sqlite", "postgresql"])
    monkeypatch.setenv("BENCH_LIVE_SECONDS", "30")
    monkeypatch.setenv("BENCH_RESPONSES", "100000")
    assert not complete_run(["sqlite", "postgresql"])
