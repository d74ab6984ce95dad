"""BENCHMARKS.md and bench/results.json from one ``make bench`` run, and bench/history.json.

A goal counts as met only when its median holds in two complete runs in a row: each complete run
(see ``bench.__main__.complete_run``) appends its goals' verdicts, medians and spreads to
bench/history.json (the last ``HISTORY_KEEP`` runs, with their commit and time), and the goals
table of BENCHMARKS.md sets this run's verdict beside the previous complete run's.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

HISTORY_KEEP = 10

# scenario → (goal key, how to read it) for the "goals" section.
GOAL_TEXT = {
    "median_ms<=20": "median ≤ 20 ms",
    "ratio>=5": "≥ 5× faster than DuckDB",
    "stored/s>=200": "≥ 200 stored submissions/s",
    "p95_ms<=150": "p95 ≤ 150 ms",
    "server_errors==0": "zero server errors",
    "database_locked==0": 'zero "database is locked"',
    "requests_ratio>=0.4": "≥ 0.4 × requests/s of /healthz",
    "rows/s>=50000": "≥ 50 000 rows/s",
    "peak_MB<500": "peak memory < 500 MB",
    "ratio>=0.25": "≥ 0.25 × raw executemany",
    "seconds<=10": "≤ 10 s",
    "fixed_query_count": "fixed number of SQL queries",
    "p95_ms<=50": "p95 ≤ 50 ms",
    "no_raw_responses": "no SQL on raw responses",
    "p95_s<=2": "p95 ≤ 2 s from the write to every affected result, none left stale",
    "p95_with_worker<=1.1x": "POST p95 with the worker ≤ 1.1 × without",
    "none_lost_or_twice": "no acknowledged submission lost or stored twice",
    "integrity": "integrity check clean",
}


def crash_entries(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for run in runs:
        c = run["crash"]
        exact = c["acknowledged"] - len(c["lost"])
        entries.append(
            {
                "scenario": "crash",
                "engine": run["engine"],
                "rows": c["submissions"],
                "value": exact,
                "unit": "acknowledged submissions stored exactly once",
                "baseline": "acknowledged submissions",
                "baseline_value": c["acknowledged"],
                "ratio": round(exact / c["acknowledged"], 3) if c["acknowledged"] else 0,
                "equal_to_full_recompute": c["rollup_equal"],
                "goals": {
                    "none_lost_or_twice": not c["lost"] and not c["duplicated"],
                    "integrity": c["integrity"] == ["ok"],
                },
                "details": {k: v for k, v in c.items() if k not in {"lost", "duplicated"}}
                | {"lost": len(c["lost"]), "duplicated": len(c["duplicated"])},
            }
        )
    return entries


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python {platform.python_version()}, load average at the end {load}"


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def spread(m: dict[str, Any], key: str) -> str:
    """The min–max of a figure's windows (the figure itself is their median), or "–"."""
    values = m.get("windows", {}).get(key) or []
    if len(values) < 2:
        return "–"
    return f"{fmt(min(values))}–{fmt(max(values))}"


def windows(m: dict[str, Any]) -> int:
    return max((len(v) for v in m.get("windows", {}).values()), default=0)


def table(measurements: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| scenario | engine | rows | value (median) | value spread | windows | unit | baseline | baseline value | ratio (median) | ratio spread | equal to full recompute | goals |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for m in measurements:
        goals = ", ".join(
            f"{GOAL_TEXT.get(k, k)}: {'met' if v else '**missed**'}"
            for k, v in m.get("goals", {}).items()
        )
        equal = {True: "yes", False: "**no**", None: "–"}[m.get("equal_to_full_recompute")]
        lines.append(
            f"| {m['scenario']} | {m['engine']} | {fmt(m['rows'])} | {fmt(m['value'])} | "
            f"{spread(m, 'value')} | {windows(m) or '–'} | {m['unit']} | "
            f"{m['baseline']} | {fmt(m['baseline_value'])} | {fmt(m['ratio'])} | "
            f"{spread(m, 'ratio')} | {equal} | {goals} |"
        )
    return lines


def details(measurements: list[dict[str, Any]]) -> list[str]:
    lines = []
    for m in measurements:
        shown = {
            k: v
            for k, v in m.get("details", {}).items()
            if k != "pages" and (k != "mismatches" or v)
        }
        lines.append(
            f"- **{m['scenario']} / {m['engine']}**: "
            + "; ".join(f"{k} {fmt(v)}" for k, v in shown.items())
        )
        for page in m.get("details", {}).get("pages", []):
            cold = f", first (rendering) {page['cold_ms']} ms" if "cold_ms" in page else ""
            lines.append(
                f"  - `{page['url']}`: p95 {page['p95_ms']} ms, median {page['median_ms']} ms, SQL queries {page['queries']}{cold}"
            )
    return lines


def goal_verdicts(measurements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each goal's verdict with the figures it was judged on: "scenario/engine/goal" → entry."""
    out = {}
    for m in measurements:
        for goal, met in m.get("goals", {}).items():
            out[f"{m['scenario']}/{m['engine']}/{goal}"] = {
                "met": bool(met),
                "value": m["value"],
                "value_spread": spread(m, "value"),
                "ratio": m["ratio"],
                "ratio_spread": spread(m, "ratio"),
                "windows": windows(m),
                "unit": m["unit"],
            }
    return out


def commit(root: Path) -> str:
    """The short commit the run measured, "+changes" when the work tree was not clean (the
    benchmark's own outputs aside)."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    outputs = [
        f":!{name}" for name in ("BENCHMARKS.md", "bench/results.json", "bench/history.json")
    ]
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", *outputs)
    return head + ("+changes" if changed else "")


def read_history(root: Path) -> list[dict[str, Any]]:
    path = root / "bench" / "history.json"
    if not path.exists():
        return []
    runs: list[dict[str, Any]] = json.loads(path.read_text())["runs"]
    return runs


def record_history(root: Path, entry: dict[str, Any]) -> None:
    runs = [*read_history(root), entry][-HISTORY_KEEP:]
    (root / "bench" / "history.json").write_text(
        json.dumps({"runs": runs}, indent=2, ensure_ascii=False) + "\n"
    )


def figure(entry: dict[str, Any]) -> str:
    """The value's median (and spread), then the ratio's where it has windows."""
    shown = fmt(entry["value"])
    if entry["value_spread"] != "–":
        shown += f" ({entry['value_spread']})"
    if entry["ratio_spread"] != "–":
        shown += f", ratio {fmt(entry['ratio'])} ({entry['ratio_spread']})"
    return shown


def goals_table(
    verdicts: dict[str, dict[str, Any]], previous: dict[str, Any] | None, complete: bool
) -> list[str]:
    """Per goal: this run, the previous complete run, and "met (2 runs)" only when both hold."""
    before = previous["goals"] if previous else {}
    lines = [
        "A goal counts as met only when its median holds in two complete runs in a row. Figures:",
        "median (min–max of the windows), the ratio's likewise where it has windows.",
        "",
        (
            f"Previous complete run: {previous['time']}, commit `{previous['commit']}`."
            if previous
            else "Previous complete run: none recorded in `bench/history.json`."
        ),
    ]
    if not complete:
        lines.append(
            "**This run is not complete** (not every scenario on both engines at the default "
            "scale and sizes): it is not recorded, and no goal counts as met by it."
        )
    lines += [
        "",
        "| scenario | engine | goal | this run | figure | previous run | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, entry in verdicts.items():
        scenario, engine, goal = key.split("/", 2)
        last = before.get(key)
        then = "–" if last is None else ("met" if last["met"] else "missed") + f": {figure(last)}"
        if not entry["met"]:
            verdict = "**missed**"
        elif complete and last is not None and last["met"]:
            verdict = "**met (2 runs)**"
        else:
            verdict = "met this run only"
        lines.append(
            f"| {scenario} | {engine} | {GOAL_TEXT.get(goal, goal)} | "
            f"{'met' if entry['met'] else 'missed'} | {figure(entry)} | {then} | {verdict} |"
        )
    return lines


def write_outputs(
    root: Path,
    measurements: list[dict[str, Any]],
    runs: list[dict[str, Any]],
    total: float,
    complete: bool = False,
    record: bool = True,
) -> None:
    """``record``: append a complete run to bench/history.json (not when re-rendering)."""
    everything = measurements + crash_entries(runs)
    verdicts = goal_verdicts(everything)
    history = read_history(root)
    if not record and history and complete:
        history = history[:-1]  # re-rendering: the last entry is this very run
    previous = history[-1] if history else None
    if complete and record:
        record_history(
            root,
            {
                "time": time.strftime("%Y-%m-%d %H:%M %Z"),
                "commit": commit(root),
                "goals": verdicts,
            },
        )
    (root / "bench" / "results.json").write_text(
        json.dumps(everything, indent=2, ensure_ascii=False) + "\n"
    )
    scale = runs[0]["generate"] if runs else {}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`, code in `bench/` and `kinerja/benchmarks/`);",
        "the raw figures are in `bench/results.json`. Every timing is the median of repeated runs",
        "and is compared with a baseline measured in the same run on the same data. A ratio above",
        "1 means Kinerja is better than its baseline (faster, or more throughput).",
        "",
        f"- Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {total / 60:.1f} minutes in all, on {machine()}.",
        f"- Data (per engine, deterministic seed): scale `{scale.get('scale')}` — {fmt(scale.get('units', 0))} units, "
        f"{fmt(scale.get('services', 0))} services, {fmt(scale.get('groups', 0))} groups, "
        f"{fmt(scale.get('activities', 0))} activities, **{fmt(scale.get('responses', 0))} survey responses** "
        f"({fmt(scale.get('tally_rows', 0))} daily rollup rows), a plan of 50 indicators over 2020–2024.",
    ]
    if runs:
        lines.append(
            f"- Set-up: both engines' databases migrated and generated at the same time, "
            f"{runs[0].get('prepare_all_s', '?')} s in all (not timed as a scenario)."
        )
    for run in runs:
        g = run["generate"]
        lines.append(
            f"- {run['engine']}: generated in {g['seconds']} s ({fmt(round(g['responses'] / max(g['seconds'], 0.001)))} responses/s, "
            f"alongside the other engine), scenarios {run['scenarios_s']} s (alone), crash test "
            f"{run['crash_s']} s (alongside the other engine's; its load {run['crash']['seconds']} s, "
            "then the checks)."
        )
    lines += [
        "",
        "## Goals",
        "",
        *goals_table(verdicts, previous, complete),
        "",
        "## Results",
        "",
        *table(everything),
        "",
        "## Details",
        "",
        *details(everything),
        "",
    ]
    lines += ["## Crash test", ""]
    for run in runs:
        c = run["crash"]
        lines.append(
            f"- {run['engine']}: {fmt(c['submissions'])} submissions, {c['kills']} SIGKILLs of the whole gunicorn "
            f"process group: {fmt(c['acknowledged'])} acknowledged, {fmt(c['stored'])} stored, "
            f"{len(c['lost'])} lost, {len(c['duplicated'])} stored twice, {fmt(c['retried_posts'])} POSTs resent "
            f"with their token after a broken connection, {c['unacknowledged_stored']} stored without an answer "
            f"reaching the phone; integrity: {', '.join(c['integrity'])}; rollup equal to raw rows: "
            f"{'yes' if c['rollup_equal'] else 'NO'} — **{'passed' if c['ok'] else 'FAILED'}**."
        )
    notes = root / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (root / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
