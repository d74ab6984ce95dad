"""A read replica: the layer's reads (and the ORM's, of the apps that may lag) go to it; writes,
locking reads, reads inside a write transaction and everything else stay on the primary.

The replica here is a test mirror of the primary's test database, a second connection to it,
as ``KINERJA_REPLICA_URL`` sets one up (``TEST: {"MIRROR": "default"}``). Its tests commit
(``transaction=True``) so that the second connection sees the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from kinerja.db import formcache, imports, ratelimit, rollup
from kinerja.db.rollup import TallyAddition
from kinerja.db.routing import REPLICA, ReplicaRouter, read_alias, write_alias
from kinerja.surveys.models import DailyTally, RateBucket, Response, Service
from kinerja.test import statements

from .conftest import Tree

both = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def test_without_a_replica_the_router_has_no_opinion(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)  # as configured by default
    router_ = ReplicaRouter()
    assert router_.db_for_read(DailyTally) is None and router_.db_for_write(DailyTally) is None
    assert read_alias(DailyTally) == write_alias(DailyTally) == DEFAULT_DB_ALIAS


@both
def test_the_layers_reads_go_to_the_replica(replica: str, tree: Tree) -> None:
    ktp = tree.services["ktp"]
    span = (date(2024, 1, 1), date(2024, 12, 31))
    reads: list[Callable[[], object]] = [
        lambda: rollup.tally_sums(tree.kec.path, *span, ["ktp"]),
        rollup.read_version,
        lambda: formcache.active_service_row(ktp.slug),
        lambda: Service.objects.get(pk=ktp.pk),  # the ORM's reads are routed alike
        lambda: list(Response.objects.filter(unit=tree.kec)),
    ]
    for read in reads:
        sent = statements(read)
        assert sent[DEFAULT_DB_ALIAS] == [] and len(sent[REPLICA]) >= 1, sent
    assert rollup.tally_sums(tree.kec.path, *span)["n"] == 4  # the replica sees the rows
    found = formcache.active_service_row(ktp.slug)
    assert found is not None and found.row[0] == ktp.pk


@both
def test_writes_and_what_writers_read_stay_on_the_primary(replica: str, tree: Tree) -> None:
    ktp = tree.services["ktp"]
    now = datetime(2024, 3, 1, tzinfo=UTC)
    addition = TallyAddition(ktp.pk, ktp.unit_id, date(2024, 3, 9), 1, [4] * 9, 36**2)
    keys = {(ktp.unit_id, date(2024, 3, 1)): ["k"]}
    writes: list[Callable[[], object]] = [
        lambda: rollup.add_to_tallies([addition]),
        rollup.raise_version,
        lambda: ratelimit.update_bucket("client", now, lambda hits: [*hits, 1.0]),  # FOR UPDATE
        lambda: imports.stored_import_keys(keys),  # the importer's read right after its write
        lambda: RateBucket.objects.count(),  # per-client counts are never read from a copy
        lambda: User.objects.count(),  # nor log-ins, sessions, rights
    ]
    for write in writes:
        sent = statements(write)
        assert sent[REPLICA] == [] and len(sent[DEFAULT_DB_ALIAS]) >= 1, sent


@both
def test_reads_inside_a_transaction_on_the_primary_stay_there(replica: str, tree: Tree) -> None:
    def in_transaction() -> None:
        with transaction.atomic():
            rollup.add_to_tallies(
                [
                    TallyAddition(
                        tree.services["sk"].pk, tree.kel.pk, date(2024, 3, 1), 1, [1] * 9, 81
                    )
                ]
            )
            # The write's own transaction reads what it just wrote.
            assert rollup.tally_sums(tree.kel.path, date(2024, 3, 1), date(2024, 3, 1))["n"] == 2
            assert read_alias(DailyTally) == DEFAULT_DB_ALIAS

    sent = statements(in_transaction)
    assert sent[REPLICA] == [] and len(sent[DEFAULT_DB_ALIAS]) >= 2
    assert read_alias(DailyTally) == REPLICA  # and after it, the replica again


@both
def test_nothing_migrates_the_replica_and_its_rows_relate_to_the_primarys(
    replica: str, tree: Tree
) -> None:
    assert router.allow_migrate(REPLICA, "surveys") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "surveys") is True
    service = Service.objects.get(pk=tree.services["ktp"].pk)
    assert service._state.db == REPLICA
    tally = DailyTally(service=service, unit=tree.kec, day=date(2024, 6, 1), respondents=1)
    tally.save()  # a row read from the replica may be referred to by a row written
    assert DailyTally.objects.using(DEFAULT_DB_ALIAS).filter(pk=tally.pk).exists()
