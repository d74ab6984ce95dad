"""Contract: an attacker's raw edits of the audit chain are the edits the ORM's queryset makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinerja.audit import chain
from kinerja.audit.models import AuditEntry, AuditHead
from kinerja.db import tamper

from .conftest import outcome


def log() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    entries = AuditEntry.objects.order_by("seq").values_list("seq", "actor_name", "hash")
    return list(entries), list(AuditHead.objects.values_list("seq", "hash"))


def test_raw_edits_of_the_audit_chain_match_the_orm(db: Any) -> None:
    for n in range(6):
        chain.append(AuditEntry.Action.SECURITY, actor_name=f"admin{n}", reason="test")
    entries = list(AuditEntry.objects.order_by("seq"))
    keep = entries[2]
    edits: list[tuple[Callable[[], None], Callable[[], None]]] = [
        (
            lambda: tamper.rewrite_audit_actor(entries[1].seq, "mallory"),
            lambda: tamper.rewrite_audit_actor_orm(entries[1].seq, "mallory"),
        ),
        (
            lambda: tamper.delete_audit_entry(entries[3].seq),
            lambda: tamper.delete_audit_entry_orm(entries[3].seq),
        ),
        (
            lambda: tamper.cut_audit_tail(keep.seq, keep.hash),
            lambda: tamper.cut_audit_tail_orm(keep.seq, keep.hash),
        ),
    ]
    before = log()
    for raw, orm in edits:
        edited = outcome(raw, log)
        assert edited == outcome(orm, log)
        assert edited[1] != before
    assert outcome(edits[2][0], log)[1] == (
        before[0][:3],
        [(keep.seq, keep.hash)],
    )
