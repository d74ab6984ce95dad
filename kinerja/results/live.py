"""Live results: the background recompute of what writes marked stale.

Every write that feeds a measure leaves ``StaleMark`` rows (``kinerja.db.stale``) and, once it
commits, enqueues ``recompute_stale``. The task recomputes, plan by plan, only the marked units
and the units above them, in the marked years (docs/rules.md#live-results):

- only the indicators that read the kinds of data the marks name (a public post: the survey
  indicators) are computed, and compared with the stored results, outside any write
  transaction (public survey posts never wait behind the reading nor the comparing);
- then one short transaction per plan checks that what was compared is still current (the
  marks are all there; the compared results and pending changes have the same ids and times,
  every write of one sets its time; the same years are locked), stores what changed (a locked
  year gets pending changes, as a manual recompute does) and deletes exactly the marks it read,
  each with the ``marked_at`` it read. A write made meanwhile moved its mark's ``marked_at`` or
  added a mark: that one stays for the next run. When the check fails, another recompute
  stored or worked off some of it meanwhile and what this run computed may be older: it stores
  nothing and leaves the marks there to the next run.

A worker killed at any point leaves either nothing of a plan's run or all of it; the marks stay
until the run that stores the results, so the next run finishes the work (a worker queues it when
it starts and every ``KINERJA_WORKER_SWEEP_SECONDS``: ``stale.requeue``). A task that finds no
marks does nothing.

Who queues a run: the write that created a mark, after it committed, unless a run waits in the
queue already (it starts later, so it reads that mark; a run queued for later counts); and a run
itself, when it ends with marks left (written while it ran), queues the next, to start
``KINERJA_LIVE_MIN_INTERVAL_SECONDS`` after its own start at the earliest: under a steady flow of
posts the worker recomputes at most once per interval, not back to back beside the web server.
A write that only moved a mark's ``marked_at`` queues nothing: kinerja/db/stale.py shows why a
run still reads it. One run per task, not a loop until no mark is left: under a steady stream of
posts that loop would never end, and the large imports queued behind it would never start.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kinerja.accounts.models import OrgUnit
from kinerja.db import heartbeat
from kinerja.db.routing import primary_reads
from kinerja.db.stale import kinds_of
from kinerja.lib.models import EVERY_KIND, StaleMark
from kinerja.plan.models import Plan

from .actions import (
    RecomputeSummary,
    Scope,
    compare_outcomes,
    compute_outcomes,
    no_progress,
    plan_indicators,
    recompute_periods,
    seen_now,
    write_changes,
)
from .dashboard import updated_text
from .engine import Evaluator
from .recompute_lock import recompute_transaction

try:  # Django 6 ships the framework; before it, the backport of the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task  # type: ignore[no-redef]  # the backport: the same decorator

logger = logging.getLogger(__name__)


def affected_units(plan: Plan, unit_ids: set[int]) -> list[OrgUnit]:
    """The marked units of ``plan`` and every unit above them up to the plan's unit."""
    marked = OrgUnit.objects.filter(pk__in=unit_ids, path__startswith=plan.unit.path)
    base = plan.unit.path.count("/")
    paths: set[str] = set()
    for path in marked.values_list("path", flat=True):
        parts = path.strip("/").split("/")
        for depth in range(base - 1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:depth]) + "/")
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def recompute_plan_marks(
    plan: Plan,
    marks: list[tuple[int, int, int, datetime]],
    before_commit: Callable[[], None],
    kinds: int = EVERY_KIND,
) -> RecomputeSummary:
    """Recompute the units and years ``marks`` name, for the indicators that read the data
    ``kinds`` (the marks' bits) stand for, then drop those marks (see module doc)."""
    summary = RecomputeSummary(plan.code)
    years = {year for _, _, year, _ in marks}
    units = affected_units(plan, {unit_id for _, unit_id, _, _ in marks})
    periods = recompute_periods(plan, years)
    evaluator = Evaluator(plan)
    wanted = kinds_of(kinds)
    indicators = plan_indicators(evaluator, wanted)
    scope = Scope(
        plan,
        {p.year for p in periods},
        {u.pk for u in units},
        None if wanted is None else {ind.pk for ind in indicators},
    )
    with translation.override(settings.LANGUAGE_CODE):
        # Read and compare first, outside the write transaction; kept in memory (a few units,
        # a few years).
        outcomes = list(compute_outcomes(evaluator, units, periods, no_progress, indicators))
        changes = compare_outcomes(scope, outcomes, summary)
        with recompute_transaction(plan):
            ids = [pk for pk, _, _, _ in marks]
            gone = len(ids) - StaleMark.objects.filter(pk__in=ids).count()
            if gone or seen_now(scope) != changes.seen:
                # Since the marks were read another recompute worked some off, or results,
                # pending changes or locks of these years changed: what was computed may be
                # older than what is stored. Nothing is written; the marks left wait for the
                # next run (queued by the task, as for any mark left).
                return RecomputeSummary(plan.code)
            write_changes(scope, changes)
            read = Q()
            for pk, _, _, marked_at in marks:
                read |= Q(pk=pk, marked_at=marked_at)
            StaleMark.objects.filter(read).delete()
            before_commit()
    return summary


def recompute_stale(before_commit: Callable[[], None] = lambda: None) -> list[RecomputeSummary]:
    """Work off every stale mark there is now; returns a summary per plan recomputed.

    ``before_commit`` runs when a plan's results are written but not yet committed (the crash
    test kills the process there).
    """
    by_plan: dict[int, list[tuple[int, int, int, datetime]]] = defaultdict(list)
    kinds: dict[int, int] = defaultdict(int)
    for pk, plan_id, unit_id, year, marked_at, bits in StaleMark.objects.order_by("pk").values_list(
        "pk", "plan_id", "unit_id", "year", "marked_at", "kinds"
    ):
        by_plan[plan_id].append((pk, unit_id, year, marked_at))
        kinds[plan_id] |= bits
    summaries = []
    # Every read from the primary, though outside a transaction: the write that queued this run
    # may not be on a replica yet.
    with primary_reads():
        for plan in Plan.objects.filter(pk__in=by_plan).select_related("unit").order_by("code"):
            summaries.append(
                recompute_plan_marks(plan, by_plan[plan.pk], before_commit, kinds[plan.pk])
            )
    return summaries


TASK_PATH = f"{__name__}.recompute_stale_task"


@task()
def recompute_stale_task() -> int:
    """The worker's side: recompute what is stale; the number of plans recomputed."""
    started = timezone.now()
    summaries = recompute_stale()
    for summary in summaries:
        logger.info("live recompute %s", summary)
    # Marks written while this run read or stored: the next run is theirs (see module doc), no
    # sooner than KINERJA_LIVE_MIN_INTERVAL_SECONDS after this one started.
    if StaleMark.objects.exists():
        enqueue_recompute(started + timedelta(seconds=settings.KINERJA_LIVE_MIN_INTERVAL_SECONDS))
    return len(summaries)


def enqueue_recompute(not_before: datetime | None = None) -> None:
    """Queue a recompute (to start at ``not_before`` at the earliest), unless one is queued and
    not started yet: that one will read every mark committed now. Called once a transaction that
    created a mark has committed, and by a run that leaves marks behind."""
    if recompute_waiting():
        return
    if not_before is not None and not_before > timezone.now():
        recompute_stale_task.using(run_after=not_before).enqueue()
    else:
        recompute_stale_task.enqueue()


def recompute_waiting() -> bool:
    """Whether a recompute task waits in the database queue, due now or later (other backends,
    which keep no queue this process can read: never known)."""
    if not isinstance(recompute_stale_task.get_backend(), DatabaseBackend):
        return False

    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=TASK_PATH)
    return queued.exists()


def worker_silence(now: datetime | None = None) -> str | None:
    """Whether results that wait are waiting for a worker nobody runs: None while a job worker
    has been seen in the last ``KINERJA_WORKER_SILENT_SECONDS`` (it beats every
    ``KINERJA_WORKER_SWEEP_SECONDS``, ``kinerja/db/heartbeat.py``), else when one was last seen
    as the dashboard writes a time ("" when none ever was)."""
    seen = heartbeat.last_beat()
    now = now or timezone.now()
    if seen is not None and now - seen < timedelta(seconds=settings.KINERJA_WORKER_SILENT_SECONDS):
        return None
    return "" if seen is None else updated_text(seen, now)
