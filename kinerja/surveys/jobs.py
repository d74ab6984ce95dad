"""Large survey files imported in the background, with progress the uploader can watch.

A file above ``KINERJA_IMPORT_INLINE_MAX_BYTES`` is not imported inside the web request (a
200 MB file outlasted the server's 60 s timeout and ended in a bare 500): the page stores it
under ``KINERJA_IMPORT_UPLOAD_DIR``, records an ``ImportJob`` and enqueues ``run_import_job``;
``kinerja jobs run`` (started by ``kinerja server run``) runs it and the page polls its progress.

The task is written against Django's task framework (``django.tasks`` from Django 6, the
``django_tasks`` backport before it) and its database backend; only the settings' ``TASKS``
and the import below change when moving.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.db import heartbeat
from kinerja.lib import coremessages
from kinerja.lib.tables import sniff_kind
from kinerja_core.errors import InputError
from kinerja_core.survey_csv import MAX_PROBLEMS, ElementOrder

from . import batches
from .importing import do_import
from .models import ImportJob

try:  # Django 6 ships the framework; before it, the backport of the same API
    from django.tasks import task
except ImportError:
    from django_tasks import task  # type: ignore[no-redef]  # the backport: the same decorator

logger = logging.getLogger(__name__)
State = ImportJob.State
# How often a running job writes its row count (each write is a short transaction).
PROGRESS_SECONDS = 0.5


def upload_dir() -> Path:
    path = Path(settings.KINERJA_IMPORT_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def do_enqueue_import(
    user: Any,
    unit: OrgUnit,
    upload: File[bytes],
    *,
    dry_run: bool,
    language: str,
    order: str | None = None,
) -> ImportJob:
    """Store an uploaded survey file and queue its import; the uploader must edit the unit.

    ``order`` numbers bare element codes in its header (docs/rules.md#survey-csv-element-order).
    """
    access.require(user, access.EDIT_SURVEY, unit)
    name = upload.name or "upload.csv"
    stored = f"{uuid.uuid4().hex}.{sniff_kind(name)}"
    with (upload_dir() / stored).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = ImportJob.objects.create(
        unit=unit,
        user=user,
        filename=name[:300],
        path=stored,
        dry_run=dry_run,
        element_order=order or "",
        language=language[:10],
    )
    run_import_job.enqueue(str(job.pk))
    return job


@task()
def run_import_job(job_id: str) -> str:
    """The worker's side: import the stored file, recording progress and the outcome."""
    return run(job_id)


def run(job_id: str) -> str:
    claimed = ImportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, owner=batches.owner_here()
    )
    job = ImportJob.objects.select_related("unit", "user").get(pk=job_id)
    if not claimed:
        return job.state  # already run (a task delivered twice)
    path = upload_dir() / job.path
    try:
        with translation.override(job.language):
            _import(job, path)
    except Exception:
        logger.exception("background import %s failed", job_id)
        _finish(job, State.FAILED, problems=[_("the import stopped on an unexpected error")])
        raise
    finally:
        path.unlink(missing_ok=True)
    return job.state


def _import(job: ImportJob, path: Path) -> None:
    # Rights are checked again: they may have been withdrawn while the job waited.
    if not access.can(job.user, access.EDIT_SURVEY, job.unit):
        _finish(job, State.REFUSED, problems=[_("you may no longer import for this unit")])
        return
    total = _rows_in(path)
    if total is not None:
        ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
    progress = _Progress(job)
    try:
        with path.open("rb") as stream:
            result = do_import(
                job.unit,
                stream,
                job.filename,
                dry_run=job.dry_run,
                user=job.user,
                order=cast(ElementOrder | None, job.element_order or None),
                progress=progress,
                # A worker runs tasks in its only thread: the file can be read in a forked
                # process (twice as fast); never fork a process that has other threads.
                fork=threading.active_count() == 1,
            )
    except InputError as exc:
        _finish(
            job, State.REFUSED, problems=coremessages.problem_texts(exc.problems[:MAX_PROBLEMS])
        )
        return
    _finish(
        job, State.DONE, rows_done=result.rows, inserted=result.inserted, skipped=result.skipped
    )


def _rows_in(path: Path) -> int | None:
    """Data rows of a CSV (its lines but the header; about right with quoted line breaks)."""
    if sniff_kind(path.name) != "csv":
        return None
    lines = 0
    last = b"\n"
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return max(0, lines + (last != b"\n") - 1)


class _Progress:
    """The import's progress callback: rows so far, written at most every PROGRESS_SECONDS; and
    that the worker is alive, every KINERJA_WORKER_SWEEP_SECONDS (a long import keeps it seen)."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.rows = 0
        self.written = self.beaten = time.monotonic()

    def __call__(self, rows: int) -> None:
        self.rows += rows
        now = time.monotonic()
        if now - self.written >= PROGRESS_SECONDS:
            self.written = now
            ImportJob.objects.filter(pk=self.job.pk).update(rows_done=self.rows)
        if now - self.beaten >= settings.KINERJA_WORKER_SWEEP_SECONDS:
            self.beaten = now
            heartbeat.beat()


def _finish(job: ImportJob, state: str, **fields: Any) -> None:
    fields.update(state=state, finished_at=timezone.now(), path="")
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def fail_orphans() -> int:
    """Fail the running jobs whose worker process is gone (killed, or the machine restarted).

    Their import batch was never committed: ``batches.clean_abandoned`` removes its rows.
    """
    orphans = [
        job
        for job in ImportJob.objects.filter(state=State.RUNNING)
        if batches.process_gone(job.owner)
    ]
    for job in orphans:
        if job.path:
            (upload_dir() / job.path).unlink(missing_ok=True)
        with translation.override(job.language):
            message = _("the worker stopped during the import; nothing was stored")
        _finish(job, State.FAILED, problems=[message])
    return len(orphans)
