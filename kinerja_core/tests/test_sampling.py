from __future__ import annotations

import pytest

from kinerja_core.sampling import krejcie_morgan


@pytest.mark.parametrize(
    ("population", "sample"),
    [(10, 10), (50, 44), (100, 80), (500, 217), (1000, 278), (5000, 357), (10000, 370)],
)
def test_it_matches_the_krejcie_morgan_table(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def test_it_never_refuses() -> None:
    assert krejcie_morgan(0) == 0
    assert krejcie_morgan(-3) == 0
    assert krejcie_morgan(1) == 1
    assert krejcie_morgan(1_000_000) == 384
    assert krejcie_morgan(10**12) == 384


def test_it_never_asks_for_more_than_the_population() -> None:
    assert all(krejcie_morgan(n) <= n for n in range(0, 2000))
