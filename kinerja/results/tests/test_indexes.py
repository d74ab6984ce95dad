"""The result table's indexes: each key lookup served, no index written twice over."""

from __future__ import annotations

from django.db.models import ForeignKey, UniqueConstraint

from kinerja.results.models import Result


def leading_fields() -> set[str]:
    meta = Result._meta
    firsts = {index.fields[0] for index in meta.indexes}
    firsts |= {
        c.fields[0] for c in meta.constraints if isinstance(c, UniqueConstraint) and c.fields
    }
    return firsts


def test_every_key_of_a_result_leads_an_index_of_the_table() -> None:
    """Deleting or protecting a plan, indicator or unit looks its results up by that key alone:
    a composite index that starts with the key serves it, so none needs an index of its own."""
    keys = [f for f in Result._meta.concrete_fields if isinstance(f, ForeignKey)]
    assert {f.name for f in keys} == {"plan", "indicator", "unit"}
    assert all(f.name in leading_fields() for f in keys)
    assert not any(f.db_index for f in keys)  # type: ignore[attr-defined]
