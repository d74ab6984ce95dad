"""The audit log as rows for CSV/XLSX (shared by the log page and ``kinerja audit export``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry

HEADER: Sequence[str] = (
    "seq",
    "at_utc",
    "user",
    "action",
    "record_type",
    "record_id",
    "record",
    "unit",
    "changes",
    "reason",
    "client_address",
    "hash",
)


def iter_export_rows(entries: QuerySet[AuditEntry]) -> Iterator[Sequence[Any]]:
    for e in entries.order_by("seq").iterator(2000):
        yield (
            e.seq,
            e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
            e.actor_name,
            e.action,
            e.model,
            e.object_id,
            e.object_repr,
            e.unit_path,
            json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else "",
            e.reason,
            e.ip or "",
            e.hash,
        )
