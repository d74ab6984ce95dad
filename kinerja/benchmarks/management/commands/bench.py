"""kinerja bench generate|run|crash: synthetic data, timed scenarios and the crash test."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from kinerja.benchmarks import generate as gen
from kinerja.benchmarks.scales import DEFAULT_RESPONSES, parse_scale
from kinerja.lib.commands import NounCommand

SCENARIOS = ("ikm_query", "recompute", "dashboard", "public_pages", "import", "submit", "live")


def years_arg(text: str) -> list[int]:
    """``2022-2024`` or ``2022,2024``."""
    try:
        if "-" in text:
            first, last = (int(x) for x in text.split("-", 1))
            years = list(range(first, last + 1))
        else:
            years = [int(x) for x in text.split(",")]
    except ValueError:
        raise ValueError(f"--years: {text!r} is not a year range like 2022-2024") from None
    if not years or any(not 2000 <= y <= 2100 for y in years):
        raise ValueError(f"--years: {text!r} must name years between 2000 and 2100")
    return years


class Command(NounCommand):
    summary = gettext_lazy(
        "Benchmarks: generate synthetic data, run timed scenarios, run the crash test."
    )
    # Timed runs should not pay for (or be blocked by) system checks of unrelated apps.
    requires_system_checks: list[str] = []

    def add_verbs(self, sub: Any) -> None:
        g = sub.add_parser("generate", help=_("create a deterministic synthetic data set"))
        g.add_argument(
            "--scale",
            default="city",
            help=_(
                "small, city (1 city, 5 kecamatan, 30 kelurahan), province (38 cities, 700 "
                "kecamatan, 8 000 kelurahan) or a number of cities"
            ),
        )
        g.add_argument("--responses", type=int, default=DEFAULT_RESPONSES)
        g.add_argument("--groups", type=int, help=_("community groups (default depends on scale)"))
        g.add_argument("--seed", type=int, default=1)
        g.add_argument("--years", default="2022-2024", help=_("years of responses, e.g. 2022-2024"))
        g.add_argument("--json", action="store_true", help=_("print the counts as JSON"))
        r = sub.add_parser("run", help=_("run timed scenarios on the generated data"))
        r.add_argument(
            "--scenarios",
            default=",".join(SCENARIOS),
            help=_("comma-separated, from %(scenarios)s") % {"scenarios": ", ".join(SCENARIOS)},
        )
        r.add_argument("--repeats", type=int, default=5, help=_("runs per timing (median)"))
        r.add_argument("--year", type=int, default=2024, help=_("year of the IKM queries"))
        r.add_argument(
            "--recompute-years",
            default="",
            help=_("years of the city plan to recompute, e.g. 2024 (default: all of them)"),
        )
        r.add_argument(
            "--recompute-repeats", type=int, default=3, help=_("recompute runs (median)")
        )
        r.add_argument("--import-rows", type=int, default=1_000_000)
        r.add_argument("--import-repeats", type=int, default=3)
        r.add_argument("--submit-windows", type=int, default=3)
        r.add_argument("--submit-seconds", type=float, default=20.0)
        r.add_argument("--concurrency", type=int, default=12)
        r.add_argument("--workers", type=int, default=4, help=_("gunicorn workers for submit"))
        r.add_argument(
            "--live-windows",
            type=int,
            default=3,
            help=_("live: pairs of windows, without and with the job worker"),
        )
        r.add_argument(
            "--live-seconds", type=float, default=20.0, help=_("live: seconds per window")
        )
        r.add_argument(
            "--live-rate", type=float, default=50.0, help=_("live: survey posts per second")
        )
        r.add_argument("--output", help=_("write the measurements to this JSON file"))
        c = sub.add_parser(
            "crash",
            help=_("SIGKILL gunicorn repeatedly under load; check nothing acknowledged is lost"),
        )
        c.add_argument("--submissions", type=int, default=10_000)
        c.add_argument("--kills", type=int, default=20)
        c.add_argument("--concurrency", type=int, default=8)
        c.add_argument("--workers", type=int, default=2)
        c.add_argument("--json", action="store_true", help=_("print the report as JSON"))

    def handle_generate(self, options: dict[str, Any]) -> None:
        try:
            scale = parse_scale(options["scale"], options["groups"])
            years = years_arg(options["years"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["responses"] < 0:
            raise CommandError("--responses must not be negative")
        if gen.already_generated():
            raise CommandError(
                "this database already holds benchmark data (units bench-c…); "
                "use a fresh one, e.g. KINERJA_VAR_DIR=var/bench-new"
            )
        started = time.perf_counter()
        with tqdm(
            total=options["responses"],
            desc=f"{connection.vendor} {scale.name}",  # two engines may generate at once
            unit=" responses",
            disable=None,
            file=self.stderr,
        ) as bar:
            out = gen.generate(scale, options["responses"], years, options["seed"], bar.update)
        seconds = time.perf_counter() - started
        counts = {**out.counts(), "seconds": round(seconds, 2), "scale": scale.name}
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                f"{scale.describe()}: {out.units} units, {out.services} services, "
                f"{out.groups} groups, {out.activities} activities, {out.responses} responses "
                f"({out.tally_rows} day rows), plan {out.plan}, in {seconds:.1f} s"
            )

    def handle_crash(self, options: dict[str, Any]) -> None:
        from kinerja.benchmarks import crash

        if options["submissions"] < 1 or options["kills"] < 0 or options["concurrency"] < 1:
            raise CommandError(
                "--submissions and --concurrency must be positive, --kills not negative"
            )
        report = crash.run(
            connection.vendor,
            submissions=options["submissions"],
            kills=options["kills"],
            concurrency=options["concurrency"],
            workers=options["workers"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"{report.submissions} submissions, {report.kills} kills in {report.seconds} s: "
                f"{report.acknowledged} acknowledged, {report.stored} stored, "
                f"{len(report.lost)} lost, {len(report.duplicated)} duplicated, "
                f"{report.retried_posts} POSTs resent, integrity {', '.join(report.integrity)}, "
                f"rollup {'equal' if report.rollup_equal else 'DIFFERENT'} to raw rows"
            )
        if not report.ok:
            raise CommandError("crash test FAILED")

    def handle_run(self, options: dict[str, Any]) -> None:
        from kinerja.benchmarks import ikmquery, importbench, live, publicpages, results, submit

        wanted = [x.strip() for x in options["scenarios"].split(",") if x.strip()]
        unknown = sorted(set(wanted) - set(SCENARIOS))
        if unknown:
            raise CommandError(f"unknown scenarios: {', '.join(unknown)}")
        if min(options["live_windows"], options["live_seconds"], options["live_rate"]) <= 0:
            raise CommandError("--live-windows, --live-seconds and --live-rate must be positive")
        if not gen.already_generated():
            raise CommandError("no benchmark data here: run kinerja bench generate first")
        engine = connection.vendor
        try:
            recompute_years = (
                years_arg(options["recompute_years"]) if options["recompute_years"] else []
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        repeats = max(1, options["repeats"])
        runs = {
            "ikm_query": lambda: ikmquery.run(engine, options["year"], repeats),
            "recompute": lambda: [
                results.run_recompute(
                    engine, max(1, options["recompute_repeats"]), recompute_years or None
                )
            ],
            "dashboard": lambda: [results.run_dashboard(engine, max(20, repeats * 6))],
            "public_pages": lambda: [
                publicpages.run(engine, max(50, repeats * 20), options["year"])
            ],
            "import": lambda: [
                importbench.run(engine, options["import_rows"], options["import_repeats"])
            ],
            "submit": lambda: [
                submit.run(
                    engine,
                    windows=options["submit_windows"],
                    seconds=options["submit_seconds"],
                    concurrency=options["concurrency"],
                    workers=options["workers"],
                )
            ],
            "live": lambda: live.run(
                engine,
                windows=options["live_windows"],
                seconds=options["live_seconds"],
                rate=options["live_rate"],
                concurrency=options["concurrency"],
                workers=options["workers"],
            ),
        }
        measurements = []
        for name in wanted:
            started = time.perf_counter()
            for m in runs[name]():
                measurements.append(m.as_dict())
                self.stdout.write(
                    f"{m.scenario:<15} {m.engine:<10} {m.value:>10} {m.unit:<38} "
                    f"baseline {m.baseline_value:>10}  ratio {m.ratio:>7}  "
                    f"equal {m.equal_to_full_recompute}  goals {m.goals}"
                )
            self.stderr.write(f"{name}: {time.perf_counter() - started:.1f} s")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                json.dump(measurements, out, indent=2, default=str)
