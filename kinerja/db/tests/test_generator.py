"""Contract: the generator's INSERT … SELECT stores the rows of its Python specification, and
its rollup the day rows the ORM groups from them."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.db import generator
from kinerja.db.generator import TALLY_COLUMNS, ServiceSlot
from kinerja.db.imports import RESPONSE_COLUMNS
from kinerja.surveys.models import DailyTally, Response

from .conftest import Tree, outcome


def stored() -> tuple[list[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The generated rows (in no set order: PostgreSQL may insert a chunk's rows in the order
    its join produces them) and their day rows."""
    return (
        sorted(
            Response.stored.filter(day__year__lte=2021).order_by().values_list(*RESPONSE_COLUMNS)
        ),
        set(DailyTally.objects.filter(day__year__lte=2021).values_list(*TALLY_COLUMNS)),
    )


def test_generated_rows_match_the_specification_by_the_orm(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK_ROWS", 300)  # several chunks, as at scale
    slots = [
        ServiceSlot(s.pk, s.unit_id, 1.0 + i, i % 4) for i, s in enumerate(tree.services.values())
    ]
    args = (slots, 1000, [2020, 2021], 11)
    fast = outcome(lambda: generator.write_responses(*args), stored)
    twin = outcome(lambda: generator.write_responses_orm(*args), stored)
    assert fast == twin
    assert fast[0][0] == 1000 and len(fast[1][0]) == 1000
    assert fast[1][0] == sorted(generator.reference_rows(*args))
