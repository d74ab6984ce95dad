"""The life of an import batch stored in short transactions: open, keep alive, commit, discard.

A long import must not hold the database's write lock (SQLite has one for the whole file) for
its whole length: every other writer, a citizen's form included, would wait behind it. So the
importer stores its rows a chunk at a time, each chunk in its own short transaction, under a
batch in state RUNNING. Readers never see such rows (``Response.objects`` hides every batch
that is not COMMITTED) and the rollup does not count them; one last short transaction marks the
batch COMMITTED and adds its rollup delta, so the whole file appears at once or not at all.

A batch whose process died (killed, power cut) stays RUNNING: it is *abandoned* once its
process is known gone (same host, no such pid) or has stored nothing for
``KINERJA_IMPORT_STALE_SECONDS``. It is first marked DISCARDED, which also stops its process if
that was only slow (every chunk's transaction checks the state), then its rows are deleted a
chunk at a time, then the batch. The next import, or ``kinerja survey clean-imports``, does it.

Two imports of the same unit never run at once: their rows' idempotency keys share the unit's
namespace, and a row of a batch that is later discarded must not have made another import skip
its own copy of that row. Keys of different units never meet, so other units import freely.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.db.unitlocks import lock_unit
from kinerja.lib.language import clock
from kinerja_core.errors import InputError, Problem

from .models import ImportBatch, Response

RUNNING, DISCARDED, COMMITTED = (
    ImportBatch.State.RUNNING,
    ImportBatch.State.DISCARDED,
    ImportBatch.State.COMMITTED,
)


class Abandoned(Exception):
    """This process's batch was declared abandoned (and is being deleted) by another one."""


def owner_here() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_gone(owner: str) -> bool:
    """Whether the owner ran on this host and its process no longer exists."""
    host, _sep, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, under another user
    return False


def is_abandoned(batch: ImportBatch, now: Any = None) -> bool:
    if batch.state == DISCARDED:
        return True
    if batch.state != RUNNING:
        return False
    now = now or timezone.now()
    stale = timedelta(seconds=settings.KINERJA_IMPORT_STALE_SECONDS)
    touched = batch.touched_at or batch.created_at
    return touched < now - stale or process_gone(batch.owner)


def open_batch(unit: OrgUnit, filename: str, user: Any) -> ImportBatch:
    """A new RUNNING batch for ``unit``, after clearing abandoned ones; refused while another
    import of the unit is alive."""
    clean_abandoned()
    with transaction.atomic():
        lock_unit(unit.pk)  # imports of one unit take turns
        busy = ImportBatch.objects.filter(unit=unit, state__in=[RUNNING, DISCARDED]).first()
        if busy is not None:
            local = timezone.localtime(busy.created_at)
            started = f"{local:%Y-%m-%d} {clock(local)}"
            raise InputError(
                [
                    Problem(
                        None,
                        None,
                        _(
                            "another import for this unit (%(file)s, started %(started)s) is "
                            "still being stored; try again when it has finished"
                        )
                        % {"file": busy.filename, "started": started},
                    )
                ]
            )
        now = timezone.now()
        return ImportBatch.objects.create(
            unit=unit,
            filename=filename[:300],
            created_by=user if user else None,
            state=RUNNING,
            owner=owner_here(),
            touched_at=now,
        )


def touch(batch: ImportBatch, rows: int) -> None:
    """Record progress in the current chunk's transaction; stop if the batch was abandoned."""
    alive = ImportBatch.objects.filter(pk=batch.pk, state=RUNNING).update(
        rows=rows, touched_at=timezone.now()
    )
    if not alive:
        raise Abandoned(batch.pk)


def commit(batch: ImportBatch, rows: int, inserted: int) -> None:
    """Make the batch visible; call inside the short transaction that also applies its rollup."""
    batch.rows, batch.inserted, batch.touched_at = rows, inserted, timezone.now()
    done = ImportBatch.objects.filter(pk=batch.pk, state=RUNNING).update(
        state=COMMITTED, rows=rows, inserted=inserted, touched_at=batch.touched_at
    )
    if not done:
        raise Abandoned(batch.pk)


def discard(batch: ImportBatch) -> None:
    """Delete a batch that will not be committed (a refused file), its rows a chunk at a time."""
    ImportBatch.objects.filter(pk=batch.pk, state=RUNNING).update(state=DISCARDED)
    _discard_rows(batch)


def _discard_rows(batch: ImportBatch) -> bool:
    """Delete a non-committed batch's rows, then the batch; False if it was committed meanwhile.

    Outside any transaction each chunk is its own short one; rows of a batch that is not
    committed are invisible, so a clean-up stopped half-way changes nothing anyone sees.
    """
    marked = ImportBatch.objects.filter(pk=batch.pk, state__in=[RUNNING, DISCARDED]).update(
        state=DISCARDED
    )
    if not marked:
        return not ImportBatch.objects.filter(pk=batch.pk).exists()
    rows = Response.stored.filter(batch_id=batch.pk)
    ids = rows.order_by("pk").values_list("pk", flat=True)
    size = settings.KINERJA_IMPORT_CHUNK_ROWS
    while True:
        with transaction.atomic():
            # The chunk's last id bounds the delete: no statement with thousands of parameters.
            last = list(ids[size - 1 : size]) or list(ids.order_by("-pk")[:1])
            if not last:
                ImportBatch.objects.filter(pk=batch.pk, state=DISCARDED).delete()
                return True
            rows.filter(pk__lte=last[0]).delete()


def clean_abandoned() -> int:
    """Delete every abandoned batch and its rows; returns how many batches went."""
    now = timezone.now()
    gone = 0
    for batch in ImportBatch.objects.filter(state__in=[RUNNING, DISCARDED]).order_by("pk"):
        if is_abandoned(batch, now) and _discard_rows(batch):
            gone += 1
    return gone
