from __future__ import annotations

from kinerja_core.ikm import Tally
from kinerja_core.subtrees import ancestor_paths, covering_paths, subtree_totals


def test_it_lists_a_path_and_its_ancestors() -> None:
    assert ancestor_paths("/kota/kec/kel/") == ["/kota/", "/kota/kec/", "/kota/kec/kel/"]
    assert ancestor_paths("/") == []


def test_it_adds_parts_into_every_ancestor() -> None:
    totals = subtree_totals(
        [("/k/a/x/", 2), ("/k/a/y/", 3), ("/k/b/z/", 5), ("/k/a/", 1), ("/k/a/x/", 10)]
    )
    assert totals == {
        "/k/": 21,
        "/k/a/": 16,
        "/k/a/x/": 12,
        "/k/a/y/": 3,
        "/k/b/": 5,
        "/k/b/z/": 5,
    }
    assert subtree_totals([]) == {}


def test_it_adds_tallies_exactly() -> None:
    one = Tally(2, {"U1": 7}, 30)
    two = Tally(1, {"U1": 4, "U2": 1}, 25)
    totals = subtree_totals([("/k/a/", one), ("/k/b/", two)])
    assert totals["/k/"] == Tally(3, {"U1": 11, "U2": 1}, 55)
    assert totals["/k/a/"] is one


def test_it_keeps_only_the_covering_paths() -> None:
    assert covering_paths(["/k/a/x/", "/k/", "/k/a/", "/m/b/", "/m/b/"]) == ["/k/", "/m/b/"]
    # "/k/ab/" is not under "/k/a/": paths end with a slash, so prefixes are whole codes
    assert covering_paths(["/k/a/", "/k/ab/"]) == ["/k/a/", "/k/ab/"]
