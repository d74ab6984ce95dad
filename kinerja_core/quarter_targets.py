"""Quarter targets against the year's target (docs/rules.md#rencana-aksi-and-quarterly-reports).

Cumulative targets (and per-quarter targets of a level: a percentage, an index) end the year on
their fourth value; per-quarter targets of a count add up to the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def implied_year_value(targets: Sequence[Decimal], per_quarter: bool, adds_up: bool) -> Decimal:
    """The year's value four quarter targets imply."""
    if per_quarter and adds_up:
        return sum(targets, Decimal(0))
    return targets[3]


def contradicts(
    implied: Decimal, value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> bool:
    """Whether the implied year value misses the year's target (a value, or a low–high range);
    no target at all contradicts nothing."""
    if value is not None:
        return implied != value
    if low is not None and high is not None:
        return not low <= implied <= high
    return False
