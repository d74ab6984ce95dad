"""Attacks on the audit chain by someone who can write the database but holds neither the audit
key nor the anchor file: cutting off the tail, rewriting an entry with every later hash
recomputed, and checking with a key other than the one the chain was sealed with."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction

from kinerja.audit import chain, keys
from kinerja.audit.anchor import Anchor, read_anchor
from kinerja.audit.models import AuditEntry, AuditHead
from kinerja.audit.tests.test_chain import run_verify
from kinerja.db import tamper
from kinerja.ops.backup import FORMAT, do_backup


def cut_tail(keep: AuditEntry) -> None:
    """Delete every entry after ``keep`` and rewind the head row to it, as raw SQL can."""
    tamper.cut_audit_tail(keep.seq, keep.hash)


@pytest.mark.django_db
def test_it_detects_a_tail_removed_with_the_head_rewound(wonoasih):
    chain.write_anchor_now()  # what the commit of the plan load writes
    total = AuditEntry.objects.count()
    keep = AuditEntry.objects.get(seq=total - 3)
    cut_tail(keep)
    assert chain.verify()[1] is None  # the shortened chain itself still links up
    code, result = run_verify()
    assert code == 1
    assert result["first_broken"] == total
    assert "entries at the end were removed" in result["problem"]
    with pytest.raises(
        Exception, match=f"records {total} entries, but the chain ends at #{keep.seq}"
    ):
        call_command("audit", "verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_it_detects_an_entry_edited_with_the_following_hashes_recomputed(wonoasih):
    chain.write_anchor_now()
    rows = list(AuditEntry.objects.order_by("seq").values(*chain.HASHED_FIELDS, "hash", "pk"))
    victim = rows[len(rows) // 2]
    victim["actor_name"] = "mallory"
    # Recompute every hash from the victim on, as the chain was hashed before it was keyed.
    prev_hash = rows[rows.index(victim) - 1]["hash"]
    for row in rows[rows.index(victim) :]:
        row["prev_hash"] = prev_hash
        row["hash"] = hashlib.sha256(chain.canonical(chain.content_of(row))).hexdigest()
        AuditEntry.objects.filter(pk=row["pk"]).update(
            actor_name=row["actor_name"], prev_hash=row["prev_hash"], hash=row["hash"]
        )
        prev_hash = row["hash"]
    AuditHead.objects.filter(pk=1).update(hash=prev_hash)
    code, result = run_verify()
    assert code == 1
    assert result["first_broken"] == victim["seq"]
    assert "changed after it was written" in result["problem"]


@pytest.mark.django_db
def test_it_detects_a_wrong_key(wonoasih, settings):
    chain.write_anchor_now()
    assert run_verify()[0] == 0
    settings.KINERJA_AUDIT_KEY = "another-key-of-at-least-32-characters"
    code, result = run_verify()
    assert code == 1
    assert result["first_broken"] == 1
    assert "audit key is not the one it was sealed with" in result["problem"]


@pytest.mark.django_db(transaction=True)
def test_it_verifies_an_intact_chain_anchored_by_its_commits():
    """Runs on either engine (make test runs the suite on SQLite and PostgreSQL)."""
    for i in range(3):
        chain.append(AuditEntry.Action.SECURITY, actor_name="admin", reason=f"step {i}")
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    assert read_anchor() == Anchor(3, last.hash)
    # A rolled-back append leaves no trace in the anchor (it was never in the database).
    with pytest.raises(RuntimeError), transaction.atomic():
        chain.append(AuditEntry.Action.SECURITY, actor_name="admin", reason="undone")
        raise RuntimeError
    assert read_anchor() == Anchor(3, last.hash)
    assert run_verify() == (0, {"checked": 3, "ok": True, "anchored": 3})


@pytest.mark.django_db
def test_it_refuses_a_chain_without_its_anchor_file(wonoasih):
    code, result = run_verify()
    assert code == 1 and "anchor file" in result["problem"] and "is missing" in result["problem"]


@pytest.mark.django_db(transaction=True)  # a SQLite backup waits for open transactions
def test_it_checks_the_chain_against_a_backups_manifest(tmp_path):
    for i in range(6):
        chain.append(AuditEntry.Action.SECURITY, actor_name="admin", reason=f"step {i}")
    archive = tmp_path / "backup.tar.gz"
    manifest = do_backup(archive)
    link = chain.last_link()
    assert link is not None
    assert manifest["audit"] == {"count": 6, "last_hash": link.last_hash}
    assert run_verify("--manifest", str(archive))[0] == 0
    # Someone who can also write var/ cuts the tail and rewrites the anchor file to match:
    cut_tail(AuditEntry.objects.get(seq=4))
    chain.write_anchor_now(force=True)
    assert run_verify()[0] == 0
    code, result = run_verify("--manifest", str(archive))
    assert code == 1 and result["first_broken"] == 6
    assert "the backup manifest" in result["problem"]
    # The manifest taken out of the archive does as well.
    with tarfile.open(archive) as tar:
        tar.extract("manifest.json", tmp_path, filter="data")
    assert run_verify("--manifest", str(tmp_path / "manifest.json"))[0] == 1
    (tmp_path / "other.json").write_text(json.dumps({"format": "x"}))
    problem = run_verify("--manifest", str(tmp_path / "other.json"))[1]["problem"]
    assert "unknown backup format" in problem


@pytest.mark.django_db
def test_it_reanchors_only_an_intact_chain(wonoasih):
    call_command("audit", "anchor", stdout=io.StringIO())
    anchor = read_anchor()
    assert anchor is not None and anchor.count == AuditEntry.objects.count()
    AuditEntry.objects.filter(seq=3).update(reason="rewritten")
    with pytest.raises(Exception, match="entry #3"):
        call_command("audit", "anchor", stdout=io.StringIO())


@pytest.mark.django_db
def test_it_seals_a_chain_written_before_entries_were_keyed(wonoasih, settings):
    """The upgrade migration's step: the plain SHA-256 chain stays as it was, a keyed seal entry
    links to its end, and both parts verify; the unkeyed part is now pinned by the seal."""
    rows = list(AuditEntry.objects.order_by("seq").values(*chain.HASHED_FIELDS, "hash", "pk"))
    previous = chain.GENESIS
    for row in rows:  # re-hash the chain as the previous version wrote it
        row["prev_hash"] = previous
        row["hash"] = chain.unkeyed_hash(row)
        AuditEntry.objects.filter(pk=row["pk"]).update(prev_hash=row["prev_hash"], hash=row["hash"])
        previous = row["hash"]
    AuditHead.objects.filter(pk=1).update(hash=previous)
    assert run_verify()[1]["first_broken"] == 1  # unkeyed hashes do not pass as keyed ones

    seal = chain.seal_unkeyed()
    assert seal is not None
    assert seal.seq == len(rows) + 1 and seal.prev_hash == previous
    assert seal.changes["unkeyed_entries"] == len(rows)
    assert seal.changes["unkeyed_chain_intact"] is True
    assert "were sealed without a key" in seal.reason
    assert chain.seal_unkeyed() is None  # only once
    after = chain.append(AuditEntry.Action.SECURITY, actor_name="admin", reason="after the seal")
    chain.write_anchor_now()
    assert run_verify()[0] == 0
    # Cutting the tail with the seal in it leaves an unkeyed chain that links up: the anchor
    # names what happened (not "entry #1 changed", which is what the keyed check then finds).
    with transaction.atomic():
        cut_tail(AuditEntry.objects.get(seq=seal.seq - 1))
        code, result = run_verify()
        assert code == 1 and result["first_broken"] == after.seq
        assert "entries at the end were removed" in result["problem"]
        transaction.set_rollback(True)
    # An unkeyed entry rewritten after the seal, with every unkeyed hash recomputed, breaks the
    # seal's link: the seal's keyed hash covers the last unkeyed hash.
    rows[2]["reason"] = "rewritten"
    previous = rows[1]["hash"]
    for row in rows[2:]:
        row["prev_hash"] = previous
        row["hash"] = chain.unkeyed_hash(row)
        AuditEntry.objects.filter(pk=row["pk"]).update(
            reason=row["reason"], prev_hash=row["prev_hash"], hash=row["hash"]
        )
        previous = row["hash"]
    code, result = run_verify()
    assert code == 1 and result["first_broken"] == seal.seq
    assert after.seq == seal.seq + 1


@pytest.mark.django_db
def test_it_runs_the_seal_in_the_migration(wonoasih):
    """The migration's function with the historical models does the same as the model's."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kinerja.audit.migrations.0006_seal_chain")
    AuditEntry.objects.filter(seq=1).update(hash="0" * 64)  # any content: only the count matters
    migration.seal(apps, None)
    seal = AuditEntry.objects.latest("seq")
    assert seal.action == AuditEntry.Action.SEAL
    assert seal.changes["unkeyed_chain_intact"] is False


def test_it_makes_a_private_key_file_once(settings, tmp_path):
    path = tmp_path / "keys" / "audit.key"
    settings.KINERJA_AUDIT_KEY_FILE = path
    first = keys.audit_key()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys.key_from_file.cache_clear()
    assert keys.audit_key() == first and len(first) == 64
    settings.KINERJA_AUDIT_KEY = "from-the-environment-and-long-enough"
    assert keys.audit_key() == b"from-the-environment-and-long-enough"
    settings.KINERJA_AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        keys.audit_key()


def test_it_never_moves_the_anchor_backwards_unless_forced(settings, tmp_path):
    from kinerja.audit.anchor import write_anchor

    assert write_anchor(Anchor(5, "a" * 64)) is True
    assert write_anchor(Anchor(4, "b" * 64)) is False
    assert read_anchor() == Anchor(5, "a" * 64)
    assert write_anchor(Anchor(4, "b" * 64), force=True) is True
    assert read_anchor() == Anchor(4, "b" * 64)
    assert FORMAT.startswith("kinerja-backup/")
