"""bench/trees.py: the summary of rounds timed in two checkouts."""

from __future__ import annotations

from bench.trees import summary


def test_medians_of_rounds_and_the_least_disturbed_fastest_ask() -> None:
    rounds = [
        {
            "base": {"x_windows_ms": 1.0, "x_fastest_ms": 0.7},
            "new": {"x_windows_ms": 1.3, "x_fastest_ms": 1.3},
        },
        {
            "base": {"x_windows_ms": 1.2, "x_fastest_ms": 0.8},
            "new": {"x_windows_ms": 1.1, "x_fastest_ms": 0.7},
        },
        {
            "base": {"x_windows_ms": 0.9, "x_fastest_ms": 1.2},
            "new": {"x_windows_ms": 1.0, "x_fastest_ms": 1.2},
        },
    ]
    table = summary(rounds)
    assert table["x_windows_ms"] == (1.0, 1.1, 1.1)
    # A slow process (new's first round) does not count against new: the fastest ask is the
    # minimum over the rounds.
    assert table["x_fastest_ms"] == (0.7, 0.7, 1.0)
