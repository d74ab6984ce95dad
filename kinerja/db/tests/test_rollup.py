"""Contract: the rollup's statements and their ORM twins leave and read the same rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from kinerja.db import rollup
from kinerja.db.rollup import TallyAddition
from kinerja.surveys.models import DailyTally

from .conftest import Tree, outcome


def day_rows() -> set[tuple[Any, ...]]:
    return set(DailyTally.objects.values_list("service_id", "unit_id", "day", *rollup.COUNTERS))


def test_adding_to_tallies_matches_the_orm(tree: Tree) -> None:
    ktp, sk = tree.services["ktp"], tree.services["sk"]
    rows = [
        TallyAddition(ktp.pk, ktp.unit_id, date(2024, 3, 1), 1, [4] * 9, 36**2),  # an existing row
        TallyAddition(ktp.pk, ktp.unit_id, "2024-03-09", 2, [7] * 9, 2 * 31**2),  # new, ISO text
        TallyAddition(sk.pk, sk.unit_id, date(2024, 3, 1), -1, [-2] * 9, -(18**2)),  # emptied
        TallyAddition(sk.pk, sk.unit_id, date(2024, 3, 1), 1, [3] * 9, 27**2),  # the same row again
    ]
    fast = outcome(lambda: rollup.add_to_tallies(rows), day_rows)
    twin = outcome(lambda: rollup.add_to_tallies_orm(rows), day_rows)
    assert fast == twin
    assert fast[1] != day_rows()  # it did change something


def test_the_version_matches_the_orm(db: Any) -> None:
    def twice(raise_version: Any, read_version: Any) -> list[int]:
        seen = [read_version()]
        for _ in range(2):
            raise_version()
            seen.append(read_version())
        return seen

    fast = outcome(lambda: twice(rollup.raise_version, rollup.read_version), lambda: None)
    twin = outcome(lambda: twice(rollup.raise_version_orm, rollup.read_version_orm), lambda: None)
    assert fast == twin == ([0, 1, 2], None)
    # Each reads what the other wrote.
    rollup.raise_version()
    assert rollup.read_version_orm() == rollup.read_version() == 1


def test_tally_sums_match_the_orm_aggregate(tree: Tree) -> None:
    spans = [(date(2024, 1, 1), date(2024, 12, 31)), (date(2024, 3, 1), date(2024, 3, 1))]
    spans.append((date(2023, 1, 1), date(2024, 12, 31)))
    code_sets: list[list[str]] = [[], ["ktp"], ["k_p"], ["ktp", "none", "sk"], ["none"]]
    units = (tree.city, tree.kec, tree.kel, tree.wild, tree.near)
    for unit in units:
        for start, end in spans:
            for codes in code_sets:
                fast = rollup.tally_sums(unit.path, start, end, codes)
                assert fast == rollup.tally_sums_orm(unit.path, start, end, codes), (unit, codes)
    # The wildcards in "kec_x" and "k_p" match only themselves.
    year = spans[0]
    assert rollup.tally_sums(tree.wild.path, *year)["n"] == 1
    assert rollup.tally_sums(tree.city.path, date(2023, 1, 1), year[1], ["k_p"])["n"] == 1
    assert rollup.tally_sums(tree.kec.path, *year)["n"] == 4
    assert rollup.tally_sums(tree.kec.path, date(2025, 1, 1), date(2025, 1, 2))["n"] is None


def test_the_tally_with_its_published_flag_matches_the_orm(tree: Tree) -> None:
    """The single IKM's read: the tally and, in the same statement, whether a published IKM is
    in force for the unit and year (one row in force, one set aside, one of another year)."""
    from django.utils import timezone

    from kinerja.surveys.models import PublishedIkm

    def published(unit: Any, year: int, in_force: bool) -> None:
        PublishedIkm.objects.create(
            unit=unit, year=year, value="74.67", grade="B", method="permenpanrb-14-2017",
            document_title="Laporan", evidence="x.pdf", in_force=in_force,
            entered_at=timezone.now(),
        )  # fmt: skip

    published(tree.kec, 2024, True)
    published(tree.kel, 2024, False)
    published(tree.wild, 2023, True)
    span = (date(2024, 1, 1), date(2024, 12, 31))
    seen = {}
    for unit in (tree.city, tree.kec, tree.kel, tree.wild):
        for codes in ([], ["ktp"]):
            fast = rollup.tally_sums_and_published(unit.path, unit.pk, 2024, *span, codes)
            twin = rollup.tally_sums_and_published_orm(unit.path, unit.pk, 2024, *span, codes)
            assert fast == twin, (unit, codes)
            assert fast[0] == rollup.tally_sums(unit.path, *span, codes)
            seen[unit.code] = fast[1]
    assert seen == {"kota": False, "kec": True, "kel": False, "kec_x": False}
