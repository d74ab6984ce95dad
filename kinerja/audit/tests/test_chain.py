from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from kinerja.audit import chain
from kinerja.audit.models import AuditEntry, AuditHead
from kinerja.db import tamper
from kinerja.plan.models import Target


def run_verify(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", "--json", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_chains_entries_and_verifies_them(wonoasih):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) > 10  # loading the plan created units, goals, indicators, targets
    assert entries[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    # A test's transaction never commits, so the anchor the commit would write is written here.
    chain.write_anchor_now()
    assert run_verify() == (0, {"checked": len(entries), "ok": True, "anchored": len(entries)})


@pytest.mark.django_db
def test_it_names_the_entry_altered_with_raw_sql(wonoasih):
    victim = AuditEntry.objects.filter(model="plan.target").order_by("seq")[3]
    tamper.rewrite_audit_actor(victim.seq, "mallory")
    code, result = run_verify()
    assert code == 1
    assert result["first_broken"] == victim.seq
    assert "changed" in result["problem"]
    with pytest.raises(Exception, match=f"entry #{victim.seq}"):
        call_command("audit", "verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_it_detects_a_removed_entry_in_the_middle_and_at_the_end(wonoasih):
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    middle = AuditEntry.objects.order_by("seq")[5]
    tamper.delete_audit_entry(last.seq)
    assert run_verify()[1]["first_broken"] == last.seq
    tamper.delete_audit_entry(middle.seq)
    assert run_verify()[1]["first_broken"] == middle.seq


@pytest.mark.django_db
def test_it_keeps_numbering_after_the_head_row_is_lost(wonoasih):
    before = AuditEntry.objects.count()
    AuditHead.objects.all().delete()  # as a flush between transactional tests does
    entry = chain.append(AuditEntry.Action.SECURITY, actor_name="x", reason="test")
    assert entry.seq == before + 1
    chain.write_anchor_now()
    assert run_verify()[0] == 0


@pytest.mark.django_db
def test_it_records_a_target_change_with_before_and_after(wonoasih):
    target = Target.objects.get(indicator__code="S1.1", year=2022, quarter=0)
    target.value = "31.5"
    target._change_reason = "typo in the signed document"  # type: ignore[attr-defined]  # read by django-simple-history on save
    target.save()
    entry = AuditEntry.objects.filter(model="plan.target", object_id=str(target.pk)).first()
    assert entry is not None
    assert entry.action == "change"
    assert entry.changes == {"before": {"value": "30.0000"}, "after": {"value": "31.5000"}}
    assert entry.reason == "typo in the signed document"
    assert entry.unit_path == "/kota-probolinggo/kec-wonoasih/"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a server database (the SQLite test database lives in memory)",
)
def test_it_keeps_the_chain_whole_when_many_write_at_once():
    import threading

    from django.db import connections, transaction

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    chain.append(AuditEntry.Action.SECURITY, actor_name=f"w{n}", reason=str(i))
        except BaseException as exc:  # noqa: BLE001 - reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.count() == 90
    # Each commit rewrote the anchor; it never moved backwards, whichever thread wrote last.
    assert run_verify() == (0, {"checked": 90, "ok": True, "anchored": 90})


@pytest.mark.django_db
def test_it_exports_the_log_from_the_command_line(wonoasih, tmp_path):
    import csv

    from openpyxl import load_workbook

    target = Target.objects.get(indicator__code="S1.1", year=2022, quarter=0)
    target.value = "31"
    target._change_reason = "=HYPERLINK(evil)"  # type: ignore[attr-defined]  # read by django-simple-history; user text must never become a formula
    target.save()
    call_command("audit", "export", "-o", str(tmp_path / "log.csv"), stdout=io.StringIO())
    rows = list(csv.reader((tmp_path / "log.csv").open(encoding="utf-8-sig")))
    assert rows[0][0] == "seq" and len(rows) == AuditEntry.objects.count() + 1
    assert rows[-1][9] == "'=HYPERLINK(evil)"
    call_command("audit", "export", "-o", str(tmp_path / "log.xlsx"), stdout=io.StringIO())
    sheet = load_workbook(tmp_path / "log.xlsx").active
    assert sheet is not None
    assert sheet.max_row == AuditEntry.objects.count() + 1
    with pytest.raises(Exception, match="must end in .csv or .xlsx"):
        call_command("audit", "export", "-o", str(tmp_path / "log.txt"))
