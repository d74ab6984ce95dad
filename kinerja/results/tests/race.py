"""Several recomputes of one plan at once, each in its own thread and database connection.

Run in-process on PostgreSQL (``transaction=True`` tests) and as a child process on a SQLite
file (``python -m kinerja.results.tests.race CODE THREADS:SLOW:WAIT…``, printing the outcomes
as JSON): the test database of SQLite lives in memory, where threads cannot wait on each other
as separate processes on a file do.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any


def slowed(seconds: float) -> Any:
    """compute_outcomes, starting ``seconds`` late: every recompute has read the stored results
    before any of them writes, which is when two unguarded recomputes collide."""
    from kinerja.results import actions

    original = actions.compute_outcomes

    def compute(*args: Any, **kwargs: Any) -> Iterator[Any]:
        time.sleep(seconds)
        yield from original(*args, **kwargs)

    return compute


def race(code: str, threads: int) -> list[str]:
    """Start ``threads`` recomputes of plan ``code`` together: "ok", "busy" or the error's type
    name for each, in the order they ended."""
    from django.db import connections

    from kinerja.plan.models import Plan
    from kinerja.results.actions import do_recompute
    from kinerja.results.recompute_lock import RecomputeBusy

    outcomes: list[str] = []
    start = threading.Barrier(threads)

    def one() -> None:
        try:
            plan = Plan.objects.select_related("unit").get(code=code)
            start.wait()
            do_recompute(plan)
            outcomes.append("ok")
        except RecomputeBusy:
            outcomes.append("busy")
        except BaseException as exc:  # noqa: BLE001 - reported to the test; a thread's exception is otherwise lost
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


def main() -> None:
    """Each argument THREADS:SLOW_SECONDS:WAIT_SECONDS is one race, run in turn."""
    import django

    django.setup()
    from django.conf import settings

    from kinerja.results import actions

    code, races = sys.argv[1], []
    for spec in sys.argv[2:]:
        threads, slow, wait = spec.split(":")
        actions.compute_outcomes = slowed(float(slow))
        settings.KINERJA_RECOMPUTE_WAIT_SECONDS = float(wait)
        began = time.monotonic()
        outcomes = race(code, int(threads))
        races.append({"outcomes": outcomes, "seconds": time.monotonic() - began})
    print(json.dumps(races))


if __name__ == "__main__":
    main()
