"""The database's own checks find nothing on a sound database; the rollup check is the ORM's."""

from __future__ import annotations

from datetime import date

from kinerja.db import integrity
from kinerja.db.routing import writer
from kinerja.surveys.models import DailyTally, Response

from .conftest import Tree, add_responses


def test_a_sound_database_passes_and_a_missing_day_row_is_found(tree: Tree) -> None:
    assert integrity.integrity_problems() == ["ok"]
    assert integrity.responses_without_tally() == integrity.responses_without_tally_orm() == 0
    add_responses(tree.services["sk"], date(2024, 5, 1), (3,) * 9, (2,) * 9)
    DailyTally.objects.filter(day=date(2024, 5, 1)).delete()
    assert integrity.responses_without_tally() == integrity.responses_without_tally_orm() == 2
    # SQLite's foreign_key_check is its check of related rows; PostgreSQL runs the query.
    expected = "ok" if writer(Response).vendor == "sqlite" else "2 responses without a rollup row"
    assert integrity.integrity_problems() == [expected]
