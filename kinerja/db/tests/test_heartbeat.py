"""The job worker's heartbeat: one row, moved forward; a long import keeps it moving."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from kinerja.db import heartbeat
from kinerja.surveys import jobs
from kinerja.surveys.batches import owner_here
from kinerja.surveys.models import WorkerBeat

pytestmark = pytest.mark.django_db


def test_a_beat_moves_the_one_row_forward() -> None:
    assert heartbeat.last_beat() is None
    first = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    heartbeat.beat(first)
    heartbeat.beat(first + timedelta(seconds=30))
    assert heartbeat.last_beat() == first + timedelta(seconds=30)
    (row,) = WorkerBeat.objects.all()
    assert row.worker == owner_here()


def test_a_long_import_keeps_the_worker_seen(settings: Any) -> None:
    settings.KINERJA_WORKER_SWEEP_SECONDS = 0
    progress = jobs._Progress(SimpleNamespace(pk=uuid.uuid4()))  # type: ignore[arg-type]
    progress(1000)  # a chunk of rows stored
    assert heartbeat.last_beat() is not None
