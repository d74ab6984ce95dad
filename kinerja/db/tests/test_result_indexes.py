"""The result table as migrated: no single-key index beside the composites that serve its keys
(the model side is in kinerja/results/tests/test_indexes.py); its history table: the indexes its
reads use, none of the foreign keys'."""

from __future__ import annotations

from django.db import connection

from kinerja.results.models import Result


def test_the_database_has_no_single_key_index_on_results(db: None) -> None:
    with connection.cursor() as cursor:
        described = connection.introspection.get_constraints(cursor, Result._meta.db_table)
    indexed = [c["columns"] for c in described.values() if c["index"] and not c["primary_key"]]
    assert ["plan_id"] not in indexed
    assert ["indicator_id"] not in indexed
    assert ["unit_id"] not in indexed
    assert any(columns[0] == "unit_id" for columns in indexed)


def test_the_results_history_keeps_its_id_and_date_indexes_only(db: None) -> None:
    history = Result.history.model  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        described = connection.introspection.get_constraints(cursor, history._meta.db_table)
    indexed = [c["columns"] for c in described.values() if c["index"] and not c["primary_key"]]
    for column in ("plan_id", "indicator_id", "unit_id"):
        assert [column] not in indexed
    assert ["id"] in indexed
    assert ["history_date"] in indexed
