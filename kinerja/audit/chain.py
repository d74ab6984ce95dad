"""Appending to and verifying the keyed hash chain of audit entries.

hash(entry) = HMAC-SHA256, with the audit key (``keys.py``, kept outside the database), of a
canonical JSON (sorted keys, no spaces, UTF-8) of the entry's content fields plus the previous
entry's hash. Without the key nobody can compute a valid hash, so an entry edited in the database
(even with every later hash recomputed) no longer verifies. Entries cut off the end are caught by
the anchor (``anchor.py``): the count and last hash kept outside the database.

A chain written before entries were keyed (plain SHA-256 of the same content) is sealed once by
a migration: a ``seal`` entry, keyed, links to the last unkeyed entry and records how many there
were. Entries before the first seal are checked with plain SHA-256, the seal and everything
after it with the key; since the seal's own keyed hash covers the last unkeyed hash, the unkeyed
part cannot be rewritten after the seal either (before it, it could: the seal says so).

Appending takes the chain head row under a lock inside the caller's transaction: PostgreSQL's
SELECT … FOR UPDATE queues concurrent appenders on that row, and on SQLite the IMMEDIATE
transactions of our settings already serialise every writer, so two entries never get the same
number or the same predecessor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .anchor import Anchor, write_anchor
from .keys import audit_key
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
SEALED_BY = "kinerja"


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


def compute_hash(values: Mapping[str, Any], key: bytes | None = None) -> str:
    """The entry's keyed hash (HMAC-SHA256 with ``key``, default: the audit key)."""
    message = canonical(content_of(values))
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def unkeyed_hash(values: Mapping[str, Any]) -> str:
    """How entries were hashed before the chain was keyed: plain SHA-256, checked only for
    the entries before the seal."""
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


def last_link() -> Anchor | None:
    """The committed chain's count and last hash (None while it is empty)."""
    row = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return Anchor(*row) if row is not None else None


def write_anchor_now(force: bool = False) -> Anchor | None:
    """Anchor the committed chain; ``force`` also moves the anchor back (after a restore)."""
    mark = last_link()
    if mark is None:
        if not force:
            return None
        mark = Anchor(0, GENESIS)
    write_anchor(mark, force=force)
    return mark


def anchor_after_commit() -> None:
    """Have the anchor file rewritten once the current transaction commits (once per
    transaction, however many entries it appends; nothing if it rolls back)."""
    pending = transaction.get_connection().run_on_commit
    if not any(hook[1] is write_anchor_now for hook in pending):
        # robust: the data is committed by then; a full disk must not turn it into an error.
        transaction.on_commit(write_anchor_now, robust=True)


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
        anchor_after_commit()
    return entry


def seal_unkeyed(
    entry_model: type[AuditEntry] = AuditEntry, head_model: type[AuditHead] = AuditHead
) -> AuditEntry | None:
    """Seal a chain written before entries were keyed: append a keyed ``seal`` entry linked to
    its last entry. Does nothing on an empty or already sealed chain. Takes the models as
    arguments so that a migration can pass its historical ones (same fields, so typed as the
    current models)."""
    manager = entry_model._default_manager
    if manager.filter(action=AuditEntry.Action.SEAL).exists():
        return None
    last = manager.order_by("-seq").first()
    if last is None:
        return None
    checked, broken = check_rows(
        manager.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(2000), keyed_from=None
    )
    entry = entry_model(
        seq=last.seq + 1,
        at=timezone.now(),
        actor_name=SEALED_BY,
        action=AuditEntry.Action.SEAL,
        changes={
            "unkeyed_entries": last.seq,
            "unkeyed_last_hash": last.hash,
            "unkeyed_chain_intact": broken is None,
            "unkeyed_first_broken": None if broken is None else broken.seq,
        },
        reason=(
            f"From this entry on, every entry is sealed with the audit key (HMAC-SHA256). "
            f"Entries #1 to #{last.seq} were sealed without a key (plain SHA-256): this entry "
            f"fixes them as they were now, but they could have been rewritten before it."
        ),
        ip=None,
        prev_hash=last.hash,
    )
    entry.hash = compute_hash(vars(entry))
    entry.save(force_insert=True)
    head_model._default_manager.update_or_create(
        pk=1, defaults={"seq": entry.seq, "hash": entry.hash}
    )
    anchor_after_commit()
    return entry


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold; ``seq`` None for a problem of the whole chain
    (such as a missing anchor)."""

    seq: int | None
    problem: str
    # Entries were cut off the end: that comes first, since it also explains later findings
    # (a removed seal makes the whole chain look unkeyed).
    cut: bool = False

    def __str__(self) -> str:
        return self.problem if self.seq is None else f"entry #{self.seq}: {self.problem}"


def first_seal() -> int | None:
    seal = AuditEntry.objects.filter(action=AuditEntry.Action.SEAL).order_by("seq")
    return seal.values_list("seq", flat=True).first()


def entry_rows() -> Iterable[Mapping[str, Any]]:
    rows: Iterable[Mapping[str, Any]] = (
        AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash").iterator(2000)
    )
    return rows


def verify(rows: Iterable[Mapping[str, Any]] | None = None) -> tuple[int, Break | None]:
    """Check every entry in order with the audit key, and the head row against the last one:
    (entries checked, the first break or None)."""
    if rows is None:
        rows = entry_rows()
    checked, broken = check_rows(rows, keyed_from=first_seal() or 1)
    if broken is not None:
        return checked, broken
    head = AuditHead.objects.filter(pk=1).first()
    last = last_link()
    expected = (last.count, last.last_hash) if last is not None else (0, GENESIS)
    if head is not None and (head.seq, head.hash) != expected:
        if head.seq > expected[0]:
            return checked, Break(
                expected[0] + 1, "missing (entries at the end were removed)", cut=True
            )
        return checked, Break(head.seq, "the chain head does not match the last entry")
    return checked, None


def check_rows(
    rows: Iterable[Mapping[str, Any]], keyed_from: int | None
) -> tuple[int, Break | None]:
    """Numbers, links and hashes of ``rows`` (in order); entries numbered ``keyed_from`` and
    above are keyed, those below (all, if None) have plain SHA-256 hashes."""
    key = audit_key() if keyed_from is not None else None
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
        keyed = keyed_from is not None and row["seq"] >= keyed_from
        wanted = compute_hash(row, key) if keyed else unkeyed_hash(row)
        if not hmac.compare_digest(wanted, row["hash"]):
            problem = "its content was changed after it was written"
            if keyed:
                problem += " (or the audit key is not the one it was sealed with)"
            return checked, Break(row["seq"], problem)
        prev_hash, expected_seq = row["hash"], expected_seq + 1
    return checked, None


def check_anchor(mark: Anchor | None, source: str) -> Break | None:
    """Whether the chain still holds the entry ``mark`` recorded (count and last hash); entries
    appended after it are fine. ``source`` names where the mark came from, for the message."""
    last = last_link()
    if mark is None:
        if last is None:
            return None
        return Break(None, f"{source} is missing: the chain's length cannot be checked")
    if mark.count == 0:
        return None
    found = AuditEntry.objects.filter(seq=mark.count).values_list("hash", flat=True).first()
    if found is None:
        ends = f"#{last.count}" if last is not None else "before #1 (it is empty)"
        return Break(
            mark.count,
            f"missing: {source} records {mark.count} entries, but the chain ends at {ends} "
            f"(entries at the end were removed)",
            cut=True,
        )
    if not hmac.compare_digest(found, mark.last_hash):
        return Break(mark.count, f"its hash is not the one {source} records")
    return None
