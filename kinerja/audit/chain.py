"""Appending to and verifying the hash chain of audit entries.

hash(entry) = sha256 of a canonical JSON (sorted keys, no spaces, UTF-8) of the entry's content
fields plus the previous entry's hash. Appending takes the chain head row under a lock inside the
caller's transaction: PostgreSQL's SELECT … FOR UPDATE queues concurrent appenders on that row,
and on SQLite the IMMEDIATE transactions of our settings already serialise every writer, so two
entries never get the same number or the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_name",
    "action",
    "model",
    "object_id",
    "object_repr",
    "unit_path",
    "changes",
    "reason",
    "ip",
    "prev_hash",
)


class ExactEncoder(DjangoJSONEncoder):
    """Decimals and floats as strings: the value must survive a round trip through any
    database's JSON column unchanged, or the hash would stop matching."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def plain(value: Any) -> Any:
    """A JSON-native copy (str, int, bool, None, lists, dicts) of ``value``."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return json.loads(json.dumps(value, cls=ExactEncoder))


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=ExactEncoder
    ).encode("utf-8")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def content_of(values: Mapping[str, Any]) -> dict[str, Any]:
    content = {name: values[name] for name in HASHED_FIELDS}
    content["at"] = utc_text(values["at"])
    content["ip"] = values["ip"] or ""
    return content


def compute_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(content_of(values))).hexdigest()


def locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A flushed or fresh database: continue from the last entry if there is one.
        last = AuditEntry.objects.order_by("-seq").first()
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=1,
            defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS},
        )
    return head


def append(
    action: str,
    *,
    actor: Any = None,
    actor_name: str = "",
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit_path: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEntry:
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = actor_name or actor.get_username()
    else:
        actor = None
    with transaction.atomic():
        head = locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=actor_name[:150],
            action=action,
            model=model[:100],
            object_id=str(object_id)[:64],
            object_repr=object_repr[:300],
            unit_path=unit_path[:1000],
            changes=plain(changes or {}),
            reason=reason or "",
            ip=ip or None,
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(vars(entry))
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.problem}"


def verify(rows: Iterable[Mapping[str, Any]] | None = None) -> tuple[int, Break | None]:
    """Check every entry in order: (entries checked, the first break or None)."""
    if rows is None:
        rows = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(2000)
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in rows:
        checked += 1
        if row["seq"] != expected_seq:
            return checked, Break(
                expected_seq,
                f"missing (the chain jumps from #{expected_seq - 1} to #{row['seq']})",
            )
        if row["prev_hash"] != prev_hash:
            return checked, Break(row["seq"], "its link to the previous entry does not match")
        if compute_hash(row) != row["hash"]:
            return checked, Break(row["seq"], "its content was changed after it was written")
        prev_hash, expected_seq = row["hash"], expected_seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        if head.seq >= expected_seq:
            return checked, Break(expected_seq, "missing (entries at the end were removed)")
        return checked, Break(head.seq, "the chain head does not match the last entry")
    return checked, None
