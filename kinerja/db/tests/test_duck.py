"""Contract: the IKM benchmark's export and its DuckDB query give the ORM's answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kinerja.db import duck

from .conftest import Tree


def test_the_export_holds_the_lines_the_orm_writes(tree: Tree, tmp_path: Path) -> None:
    duck.export_csv(tmp_path / "fast.csv")
    duck.export_csv_orm(tmp_path / "twin.csv")
    fast = (tmp_path / "fast.csv").read_text().splitlines()
    assert sorted(fast) == sorted((tmp_path / "twin.csv").read_text().splitlines())
    sk = tree.services["sk"]
    assert len(fast) == 6 and f"{sk.pk},{sk.unit_id},2024-03-01,2,2,2,2,2,2,2,2,2" in fast


def test_duckdb_sums_the_responses_the_orm_sums(tree: Tree, tmp_path: Path) -> None:
    responses = duck.DuckResponses(tmp_path)
    assert responses.rows == 6
    year, all_days = (date(2024, 1, 1), date(2024, 12, 31)), (date(2023, 1, 1), date(2024, 12, 31))
    for unit in (tree.city, tree.kec, tree.kel, tree.wild, tree.near):
        for span in (year, all_days):
            for service in (None, "ktp", "k_p", "sk", "none"):
                fast = responses.sums(unit.path, *span, service)
                assert fast == duck.response_sums_orm(unit.path, *span, service), (unit, service)
    assert responses.sums(tree.kec.path, *year, None)[0] == 4
    assert responses.sums(tree.wild.path, *all_days, None)[0] == 1
