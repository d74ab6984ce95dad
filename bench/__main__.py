"""``make bench``: every scenario on SQLite and PostgreSQL, then BENCHMARKS.md and results.json.

Run from the repository root as ``python -m bench``. Each engine gets a fresh database of its
own (SQLite under ``$BENCH_VAR_DIR/sqlite``, PostgreSQL database ``kinerja_bench``) and the same
deterministic data set (``kinerja bench generate``), both generated at once; then, one engine
at a time, the timed scenarios (``kinerja bench run``) and the crash test (``kinerja bench
crash``). Settings, all from the environment:

  BENCH_RESPONSES          survey responses to generate (default 10 000 000)
  BENCH_SCALE              small, city, province or N cities (default city)
  BENCH_ENGINES            "sqlite postgresql" (default both)
  BENCH_PG_URL             postgres://postgres@127.0.0.1:5432/kinerja_bench
  BENCH_VAR_DIR            var/bench
  BENCH_REPEATS            runs per timing (default 5)
  BENCH_IMPORT_ROWS        rows of the import CSV (default 1 000 000)
  BENCH_IMPORT_REPEATS     imports per engine, each then its baseline (default 3)
  BENCH_RECOMPUTE_YEARS    plan years the recompute scenario runs (default all; e.g. 2024)
  BENCH_RECOMPUTE_REPEATS  recompute runs (default 3)
  BENCH_SUBMIT_SECONDS     seconds per submit window, 3 windows (default 20)
  BENCH_LIVE_WINDOWS       pairs of live-results windows, without and with the job worker (5)
  BENCH_LIVE_SECONDS       seconds per live-results window (default 20)
  BENCH_LIVE_RATE          survey posts per second in the live-results windows (default 50)
  BENCH_CRASH_SUBMISSIONS  submissions of the crash test (default 10 000)
  BENCH_CRASH_KILLS        SIGKILLs of the crash test (default 20)

A run is *complete* when it ran every scenario on both engines at the default scale and sizes
(``complete_run``); only a complete run is recorded in bench/history.json, and a goal counts as
met only when two complete runs in a row meet it (bench/report.py). ``--report-only`` re-renders
BENCHMARKS.md from the last run without recording it again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.report import write_outputs

ROOT = Path(__file__).resolve().parent.parent
KINERJA = str(Path(sys.executable).parent / "kinerja")


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def engine_env(engine: str, var: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
    base["KINERJA_VAR_DIR"] = str(var / engine)
    if engine == "postgresql":
        url = env("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kinerja_bench")
        fresh_postgres(url)
        base["KINERJA_DATABASE_URL"] = url
    else:
        shutil.rmtree(var / engine, ignore_errors=True)
    (var / engine).mkdir(parents=True, exist_ok=True)
    return base


def kinerja(args: list[str], environ: dict[str, str], capture: bool = False) -> str:
    print("$ kinerja " + " ".join(args), flush=True)
    done = subprocess.run(
        [KINERJA, *args],
        env=environ,
        cwd=ROOT,
        check=False,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if done.returncode != 0:
        if capture and done.stdout:
            print(done.stdout, end="", flush=True)  # e.g. the failed crash test's report
        raise SystemExit(f"kinerja {' '.join(args)} failed (exit {done.returncode})")
    return done.stdout or ""


def prepare(engine: str, var: Path) -> dict[str, Any]:
    """A fresh database holding the generated data set; returns its environment and timings."""
    environ = engine_env(engine, var)
    info: dict[str, Any] = {"engine": engine, "environ": environ}
    started = time.perf_counter()
    kinerja(["migrate", "--no-input", "-v", "0", "--skip-checks"], environ)
    info["migrate_s"] = round(time.perf_counter() - started, 1)
    generated = kinerja(
        [
            "bench",
            "generate",
            "--scale",
            env("BENCH_SCALE", "city"),
            "--responses",
            env("BENCH_RESPONSES", "10000000"),
            "--json",
        ],
        environ,
        capture=True,
    )
    info["generate"] = json.loads(generated.strip().splitlines()[-1])
    return info


def prepare_all(engines: list[str], var: Path) -> list[dict[str, Any]]:
    """Every engine's data set at once: generation is set-up, not a timed scenario.

    Each engine's generation is mostly one core's work (SQLite's in this process's child,
    PostgreSQL's in its server), so on two cores both finish in about the time of the slower.
    """
    runs: list[dict[str, Any]] = [{"engine": e} for e in engines]
    each_at_once(lambda info: info.update(prepare(info["engine"], var)), runs)
    return runs


def bench_engine(info: dict[str, Any], var: Path) -> list[dict[str, Any]]:
    """The timed scenarios on one prepared engine, alone on the machine."""
    engine, environ = info["engine"], info["environ"]
    output = var / engine / "measurements.json"
    started = time.perf_counter()
    kinerja(
        [
            "bench",
            "run",
            "--repeats",
            env("BENCH_REPEATS", "5"),
            "--import-rows",
            env("BENCH_IMPORT_ROWS", "1000000"),
            "--import-repeats",
            env("BENCH_IMPORT_REPEATS", "3"),
            "--recompute-repeats",
            env("BENCH_RECOMPUTE_REPEATS", "3"),
            "--recompute-years",
            env("BENCH_RECOMPUTE_YEARS", ""),
            "--submit-seconds",
            env("BENCH_SUBMIT_SECONDS", "20"),
            "--live-windows",
            env("BENCH_LIVE_WINDOWS", "5"),
            "--live-seconds",
            env("BENCH_LIVE_SECONDS", "20"),
            "--live-rate",
            env("BENCH_LIVE_RATE", "50"),
            "--output",
            str(output),
        ],
        environ,
    )
    info["scenarios_s"] = round(time.perf_counter() - started, 1)
    measurements: list[dict[str, Any]] = json.loads(output.read_text())
    return measurements


def crash_test(info: dict[str, Any]) -> None:
    started = time.perf_counter()
    crash = kinerja(
        [
            "bench",
            "crash",
            "--submissions",
            env("BENCH_CRASH_SUBMISSIONS", "10000"),
            "--kills",
            env("BENCH_CRASH_KILLS", "20"),
            "--json",
        ],
        info["environ"],
        capture=True,
    )
    info["crash"] = json.loads(crash.strip().splitlines()[-1])
    info["crash_s"] = round(time.perf_counter() - started, 1)


# The smallest settings of a complete run: the defaults of this module and of the Makefile, but
# the live windows (five by default, three at least: a 10 % bound on a 15–25 ms p95 needs the
# steadier median of five on this kind of machine, bench/NOTES.md).
COMPLETE_AT_LEAST = {
    "BENCH_RESPONSES": 10_000_000,
    "BENCH_IMPORT_ROWS": 1_000_000,
    "BENCH_IMPORT_REPEATS": 3,
    "BENCH_REPEATS": 3,
    "BENCH_RECOMPUTE_REPEATS": 3,
    "BENCH_SUBMIT_SECONDS": 20,
    "BENCH_LIVE_WINDOWS": 3,
    "BENCH_LIVE_SECONDS": 20,
    "BENCH_LIVE_RATE": 50,
    "BENCH_CRASH_SUBMISSIONS": 10_000,
    "BENCH_CRASH_KILLS": 20,
}


def complete_run(engines: list[str]) -> bool:
    """Every scenario on both engines, at the city scale, no setting below a full run's."""
    if sorted(engines) != ["postgresql", "sqlite"] or env("BENCH_SCALE", "city") != "city":
        return False
    if env("BENCH_RECOMPUTE_YEARS", ""):  # a recompute of some years only
        return False
    return all(float(env(name, str(least))) >= least for name, least in COMPLETE_AT_LEAST.items())


def each_at_once(fn: Callable[[dict[str, Any]], None], runs: list[dict[str, Any]]) -> None:
    """``fn`` on every engine's run at the same time, in threads (the work is in children)."""
    errors: list[BaseException] = []

    def one(info: dict[str, Any]) -> None:
        try:
            fn(info)
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(info,)) for info in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def main() -> None:
    var = ROOT / env("BENCH_VAR_DIR", "var/bench")
    saved = var / "run.json"
    if "--report-only" in sys.argv:
        # Re-render BENCHMARKS.md (e.g. after editing bench/NOTES.md) from the last run.
        data = json.loads(saved.read_text())
        write_outputs(
            ROOT,
            data["measurements"],
            data["runs"],
            data["total"],
            data.get("complete", False),
            record=False,
        )
        return
    engines = env("BENCH_ENGINES", "sqlite postgresql").split()
    started = time.perf_counter()
    runs = prepare_all(engines, var)
    prepared = time.perf_counter() - started
    measurements: list[dict[str, Any]] = []
    for info in runs:
        info["prepare_all_s"] = round(prepared, 1)
        measurements += bench_engine(info, var)
    # The crash tests time nothing, so both engines' run at once after the timed scenarios:
    # their integrity checks and server restarts are one core's work each.
    started_crash = time.perf_counter()
    each_at_once(crash_test, runs)
    for info in runs:
        info["crash_all_s"] = round(time.perf_counter() - started_crash, 1)
        del info["environ"]
    total = time.perf_counter() - started
    complete = complete_run(engines)
    saved.write_text(
        json.dumps(
            {"measurements": measurements, "runs": runs, "total": total, "complete": complete}
        )
    )
    write_outputs(ROOT, measurements, runs, total, complete)
    print((ROOT / "BENCHMARKS.md").read_text())
    if any(not r["crash"]["ok"] for r in runs):
        raise SystemExit("the crash test failed")


if __name__ == "__main__":
    main()
