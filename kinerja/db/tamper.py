"""Edits an attacker with write access to the database could make, for the tests that show they
are caught: statements that go around every model, signal and history record.

The audit chain (kinerja/audit/chain.py) must notice an entry rewritten, an entry removed, and a
tail cut off with the head row rewound to match. Each edit has its ORM twin (a queryset
``update``/``delete``, which also skips ``save`` and its signals).
"""

from __future__ import annotations

from django.db import transaction

from kinerja.audit.models import AuditEntry, AuditHead

from .routing import write_alias, writer

ENTRIES = AuditEntry._meta.db_table
HEAD = AuditHead._meta.db_table


def rewrite_audit_actor(seq: int, actor_name: str) -> None:
    """Entry ``seq`` now names another actor."""
    with writer(AuditEntry).cursor() as cursor:
        cursor.execute(
            f"UPDATE {ENTRIES} SET actor_name = %s WHERE seq = %s",  # noqa: S608 - our names
            [actor_name, seq],
        )


def rewrite_audit_actor_orm(seq: int, actor_name: str) -> None:
    AuditEntry.objects.filter(seq=seq).update(actor_name=actor_name)


def delete_audit_entry(seq: int) -> None:
    with writer(AuditEntry).cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE seq = %s", [seq])  # noqa: S608 - our names


def delete_audit_entry_orm(seq: int) -> None:
    AuditEntry.objects.filter(seq=seq).delete()


def cut_audit_tail(seq: int, hash_: str) -> None:
    """Delete every entry after ``seq`` and rewind the head row to it (its ``hash_``)."""
    with writer(AuditEntry).cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE seq > %s", [seq])  # noqa: S608 - our names
        cursor.execute(f"UPDATE {HEAD} SET seq = %s, hash = %s", [seq, hash_])  # noqa: S608


def cut_audit_tail_orm(seq: int, hash_: str) -> None:
    with transaction.atomic(using=write_alias(AuditEntry)):
        AuditEntry.objects.filter(seq__gt=seq).delete()
        AuditHead.objects.update(seq=seq, hash=hash_)
