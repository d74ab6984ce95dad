"""Contract: the generator's bulk loading stores what ``bulk_create`` stores, finds the ids the
ORM finds, and gives a table its indexes back as they were."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model

from kinerja.community.models import Group
from kinerja.db import loading
from kinerja.db.routing import writer
from kinerja.surveys.models import Response

from .conftest import Tree, outcome


def groups(tree: Tree, first_id: int) -> list[Group]:
    from kinerja.community.models import GroupKind

    kind = GroupKind.objects.order_by("pk").first() or GroupKind.objects.create(code="k", name="K")
    return [
        Group(
            id=first_id + i,
            city=tree.city,
            kelurahan=tree.kel,
            code=f"G{i}",
            name=f"Kelompok '{i}'",
            kind=kind,
            established=date(2020, 1, 1 + i),
            dissolved=date(2024, 1, 1) if i == 2 else None,
        )
        for i in range(4)
    ]


def stored(model: type[Model]) -> list[tuple[Any, ...]]:
    """The rows, without the stamps each run takes from the clock (auto_now fields)."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]
    return sorted(model._base_manager.values_list(*names))


def test_inserted_objects_match_bulk_create(tree: Tree) -> None:
    def fast() -> int:
        loading.insert_objects(loading.BulkWriter(Group), groups(tree, 1000))
        loading.reset_sequence(Group)
        return loading.next_id(Group)

    def twin() -> int:
        loading.insert_objects_orm(groups(tree, 1000))
        return loading.next_id_orm(Group)

    assert outcome(fast, lambda: stored(Group)) == outcome(twin, lambda: stored(Group))
    assert outcome(fast, lambda: None)[0] == 1004
    assert loading.next_id(Response) == loading.next_id_orm(Response)


def test_a_sequence_continues_above_explicit_ids(tree: Tree) -> None:
    loading.insert_objects(loading.BulkWriter(Group), groups(tree, 5000))
    loading.reset_sequence(Group)
    kind = Group.objects.get(code="G0").kind
    fresh = Group.objects.create(
        city=tree.city,
        kelurahan=tree.kel,
        code="new",
        name="n",
        kind=kind,
        established=date.today(),
    )
    assert fresh.pk > 5003


def test_indexes_come_back_as_they_were(tree: Tree) -> None:
    indexes = loading.secondary_indexes(Response)
    names = {name for name, _sql in indexes}
    assert {"survey_resp_unit_day", "survey_resp_service_day"} <= names
    connection = writer(Response)
    with connection.cursor() as cursor:
        known = connection.introspection.get_constraints(cursor, Response._meta.db_table)
    assert names <= set(known)
    with loading.IndexesDeferred(Response):
        assert loading.secondary_indexes(Response) == []
        if connection.vendor == "postgresql":
            assert loading.foreign_keys(Response) == []
    assert sorted(loading.secondary_indexes(Response)) == sorted(indexes)
    if connection.vendor == "postgresql":
        assert len(loading.foreign_keys(Response)) == 3  # service, unit, batch
    loading.analyze(Response)


def sqlite_statistics(table: str) -> int | None:
    """SQLite: the statistics rows of ``table``, None when the database has no statistics."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return int(cursor.fetchone()[0])


def test_statistics_come_back_after_a_rebuild_only_where_there_were_some(tree: Tree) -> None:
    table = Response._meta.db_table
    if connection.vendor != "sqlite":
        # PostgreSQL keeps its statistics through index changes.
        assert loading.restore_statistics(connection, table) is False
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert loading.restore_statistics(connection, table) is False
    assert sqlite_statistics(table) is None  # a young database gets none
    loading.analyze(Response)
    with connection.cursor() as cursor:  # what a table rebuild leaves: the table's rows gone
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
    assert sqlite_statistics(table) == 0
    assert loading.restore_statistics(connection, table) is True
    assert sqlite_statistics(table)
