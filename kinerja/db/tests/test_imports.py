"""Contract: the import's key look-up finds the keys the ORM finds, in each of its three ways."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from kinerja.db import imports
from kinerja.db.routing import writer
from kinerja.surveys.models import SCORE_FIELDS, ImportBatch, Response

from .conftest import Tree

DAY = date(2024, 3, 5)


def test_stored_keys_match_the_orm(tree: Tree) -> None:
    ktp, sk = tree.services["ktp"], tree.services["sk"]
    committed = ImportBatch.objects.create(unit=ktp.unit, filename="a.csv")  # the default
    running = ImportBatch.objects.create(
        unit=ktp.unit, filename="b.csv", state=ImportBatch.State.RUNNING
    )
    placed = {"k-none": None, "k-committed": committed, "k-running": running}
    for key, batch in placed.items():
        Response.stored.create(
            service=ktp,
            unit_id=ktp.unit_id,
            submitted_at=datetime(2024, 3, 5, 2, tzinfo=UTC),
            day=DAY,
            channel="import",
            batch=batch,
            import_key=key,
            **dict.fromkeys(SCORE_FIELDS, 3),
        )
    day = writer(Response).ops.adapt_datefield_value(DAY)
    asked = [*placed, "k-new", *(f"k-{i}" for i in range(imports.PRESENT_KEYS + 5))]
    keys = {(ktp.unit_id, day): asked, (sk.unit_id, day): ["k-none"]}
    ways: list[dict[str, Any]] = [{}, {"visible_only": True}, {"except_batch": running.pk}]
    found = [imports.stored_import_keys(keys, **way) for way in ways]
    assert found == [imports.stored_import_keys_orm(keys, **way) for way in ways]
    assert found == [set(placed), {"k-none", "k-committed"}, {"k-none", "k-committed"}]
    assert imports.stored_import_keys(keys, except_batch=committed.pk) == {"k-none", "k-running"}
