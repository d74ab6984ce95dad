"""That the job worker is alive: one ``WorkerBeat`` row, moved forward by the worker.

``kinerja jobs run`` beats when it starts, then every ``KINERJA_WORKER_SWEEP_SECONDS`` while
it waits for tasks or runs them, and during a long background import; the dashboard reads
``last_beat`` to tell results that wait for a worker nobody runs from results a worker is about
to recompute (docs/rules.md#live-results). No action writes it (nothing a user does), so it is
no ``do_*``; plain ORM, one short transaction a beat.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kinerja.surveys.batches import owner_here
from kinerja.surveys.models import WorkerBeat

# The one row: there is one queue, and any worker reading it keeps it alive.
ROW = 1


def beat(now: datetime | None = None) -> None:
    """Record that this process, a job worker, is alive at ``now``."""
    WorkerBeat.objects.update_or_create(
        pk=ROW,
        defaults={"seen_at": now or timezone.now(), "worker": owner_here()[:100]},
    )


def last_beat() -> datetime | None:
    """When a job worker was last seen alive; None when none ever was."""
    return WorkerBeat.objects.filter(pk=ROW).values_list("seen_at", flat=True).first()
