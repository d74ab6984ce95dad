"""One harness, two checkouts: is the code of one as fast as the other's?

``make bench`` measures a checkout with its own harness, and harnesses change: a scenario that
now alternates its windows with DuckDB, or a submit scenario that now runs the live recompute
beside the web server, moves a figure without any change in the code it measures. To compare a
renovated tree with a baseline commit, this script times the same calls, written once here,
in both checkouts:

- ``ikm``: ``kinerja.surveys.measures.ikm`` for the 24 unit and 20 city questions of the
  ``ikm_query`` scenarios (one process per tree in turn, rounds alternating), the median query
  in windows of every question once, and with each question asked five times in a row;
- ``recompute``: ``do_recompute`` of the generated city plan from no stored results, both trees
  at once, each on its own core (swapped every round), so a slower moment of the machine slows
  both: on this 2-core machine a recompute alone varied ±25 % from one process to the next.

Each checkout needs its own ``.venv`` (``make setup``); this script generates a data set into
``var/trees/NAME`` with that checkout's own ``kinerja bench generate``. The calls it makes exist
in every tree since the benchmark app did (9b9586d).

    .venv/bin/python -m bench.trees /work/base . --rounds 8 [--responses 500000] [--output F]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def inner(mode: str) -> dict[str, Any]:
    """Run inside a checkout's own interpreter (cwd: that checkout): time ``mode`` there."""
    import importlib.util

    settings = "kinerja.benchmarks.settings"
    if importlib.util.find_spec(settings) is None:  # trees from before the app had its own
        settings = "kinerja.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()
    if mode == "ikm":
        return time_ikm()
    return time_recompute()


def time_ikm() -> dict[str, Any]:
    from kinerja.benchmarks.ikmquery import city_queries, unit_queries
    from kinerja.surveys import measures
    from kinerja.surveys.measures import ikm, year_to_date
    from kinerja.surveys.rollup import tally_for

    # The IKM of a tally; trees up to 18656f5 have it under a private name only.
    ikm_of_tally = getattr(measures, "ikm_of_tally", None) or getattr(measures, "_ikm_of")  # noqa: B009

    def rollup_only(unit: Any, period: Any, filters: Any) -> Any:
        """The rollup read alone, without the check for a published IKM in force that the
        measure makes since published values exist (after 9b9586d): in 9b9586d, ``ikm``."""
        start, end = year_to_date(period)
        return ikm_of_tally(tally_for(unit, start, end, filters.get("service") or None))

    figures: dict[str, Any] = {}
    for name, questions in (
        ("unit", unit_queries(2024, 24, seed=7)),
        ("city", city_queries(2024)),
    ):
        each: list[list[float]] = [[] for _ in questions]
        for _window in range(7):
            for i, q in enumerate(questions):
                started = time.perf_counter()
                ikm(q.unit, q.period, q.filters)
                each[i].append(time.perf_counter() - started)
        # The first window reads the pages into the cache: left out.
        figures[f"{name}_windows_ms"] = statistics.median(statistics.median(t[1:]) for t in each)
        in_a_row = []
        for q in questions:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                ikm(q.unit, q.period, q.filters)
                times.append(time.perf_counter() - started)
            in_a_row.append(statistics.median(times))
        figures[f"{name}_in_a_row_ms"] = statistics.median(in_a_row)
        # The fastest of 15 asks per question: what the code costs when nothing else runs
        # (a 2-core virtual machine shifts single sub-millisecond timings by a third).
        for label, call in (("fastest", ikm), ("rollup_fastest", rollup_only)):
            best = []
            for q in questions:
                fastest = float("inf")
                for _ in range(15):
                    started = time.perf_counter()
                    call(q.unit, q.period, q.filters)
                    fastest = min(fastest, time.perf_counter() - started)
                best.append(fastest)
            figures[f"{name}_{label}_ms"] = statistics.median(best)
    return {k: round(v * 1000, 4) for k, v in figures.items()}


def time_recompute(runs: int = 2) -> dict[str, Any]:
    from kinerja.plan.models import Plan
    from kinerja.results.actions import do_recompute
    from kinerja.results.models import Result

    plan = Plan.objects.get(code="bench-c01-plan")
    times = []
    for _ in range(runs + 1):  # the first run loads and warms: left out
        rows = Result.objects.filter(plan=plan)
        rows._raw_delete(rows.db)  # set-up, as the recompute scenario does: no history rows
        started = time.perf_counter()
        do_recompute(plan)
        times.append(time.perf_counter() - started)
    return {"recompute_s": round(statistics.median(times[1:]), 3)}


class Tree:
    def __init__(self, name: str, path: Path, var: Path, database_url: str | None) -> None:
        self.name, self.path = name, path.resolve()
        self.env = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
        self.env["KINERJA_VAR_DIR"] = str(var / name)
        if database_url:
            self.env["KINERJA_DATABASE_URL"] = database_url

    def run(self, args: list[str], core: int | None = None) -> subprocess.Popen[str]:
        pinned = ["taskset", "-c", str(core)] if core is not None else []
        return subprocess.Popen(
            [*pinned, *args], cwd=self.path, env=self.env, text=True, stdout=subprocess.PIPE
        )

    def generate(self, responses: int) -> None:
        kinerja = str(self.path / ".venv" / "bin" / "kinerja")
        for args in (
            [kinerja, "migrate", "--no-input", "-v", "0", "--skip-checks"],
            [kinerja, "bench", "generate", "--scale", "city", "--responses", str(responses)],
        ):
            if self.run(args).wait() != 0:
                raise SystemExit(f"{self.name}: {' '.join(args[1:4])} failed")

    def time(self, mode: str, core: int | None = None) -> subprocess.Popen[str]:
        python = str(self.path / ".venv" / "bin" / "python")
        return self.run([python, str(HERE), "--inner", mode], core)


def result_of(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"a timing process failed (exit {process.returncode})")
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, nargs="?")
    parser.add_argument("new", type=Path, nargs="?", default=Path("."))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--responses", type=int, default=500_000)
    parser.add_argument("--var", type=Path, default=Path("var/trees"))
    parser.add_argument("--pg", help="PostgreSQL URL prefix, e.g. postgres://postgres@127.0.0.1")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--reuse", action="store_true", help="time the data generated last time")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inner:
        print(json.dumps(inner(options.inner)))
        return
    if options.base is None:
        parser.error("the baseline checkout is required")
    var = options.var.resolve()
    trees = [
        Tree(name, path, var, f"{options.pg}/kinerja_trees_{name}" if options.pg else None)
        for name, path in (("base", options.base), ("new", options.new))
    ]
    if options.pg and not options.reuse:
        import psycopg

        with psycopg.connect(f"{options.pg}/postgres", autocommit=True) as conn:
            for tree in trees:
                conn.execute(f'DROP DATABASE IF EXISTS "kinerja_trees_{tree.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "kinerja_trees_{tree.name}"')
    for tree in [] if options.reuse else trees:
        print(f"generating {tree.name} ({tree.path})", flush=True)
        tree.generate(options.responses)
    rounds: list[dict[str, Any]] = []
    for r in range(options.rounds):
        figures: dict[str, Any] = {}
        for tree in trees if r % 2 == 0 else trees[::-1]:  # one at a time, in turn
            figures[tree.name] = result_of(tree.time("ikm"))
        cores = (0, 1) if r % 2 == 0 else (1, 0)
        running = [tree.time("recompute", core) for tree, core in zip(trees, cores, strict=True)]
        for tree, process in zip(trees, running, strict=True):
            figures[tree.name].update(result_of(process))
        rounds.append(figures)
        print(f"round {r + 1}: {json.dumps(figures)}", flush=True)
    table = summary(rounds)
    for name, (base, new, ratio) in table.items():
        print(f"{name:24} base {base:9.4f}  new {new:9.4f}  new/base {ratio:.3f}")
    if options.output:
        options.output.write_text(json.dumps({"rounds": rounds, "medians": table}, indent=1))


def summary(rounds: list[dict[str, Any]]) -> dict[str, tuple[float, float, float]]:
    """Per figure, each tree's median over the rounds and new over base; for the fastest-ask
    figures the minimum over the rounds instead: a process can be slow from start to end
    (about one in three here, in either tree), and the least disturbed one shows the code."""
    table = {}
    for name in rounds[0]["base"]:
        pick = min if name.endswith("_fastest_ms") else statistics.median
        base = pick(r["base"][name] for r in rounds)
        new = pick(r["new"][name] for r in rounds)
        table[name] = (base, new, round(new / base, 3))
    return table


if __name__ == "__main__":
    main()
