"""What the plan's models derive from their stored values."""

from __future__ import annotations

from kinerja.plan.models import Indicator
from kinerja_core.achievement import POLARITIES


def test_an_indicator_rates_by_the_polarity_it_stores() -> None:
    # The stored choices are the core's names, so each is rated as itself.
    assert list(Indicator.Polarity.values) == list(POLARITIES)
    for polarity in POLARITIES:
        assert Indicator(polarity=polarity).rated_polarity == polarity
    assert Indicator().rated_polarity == "higher"  # the field's default
