from decimal import Decimal as D

from kinerja_core.quarter_targets import contradicts, implied_year_value


def test_the_year_value_quarter_targets_imply() -> None:
    quarters = [D(10), D(20), D(30), D(40)]
    assert implied_year_value(quarters, per_quarter=False, adds_up=True) == D(40)
    assert implied_year_value(quarters, per_quarter=True, adds_up=True) == D(100)
    assert implied_year_value(quarters, per_quarter=True, adds_up=False) == D(40)


def test_a_year_target_a_range_or_none() -> None:
    assert not contradicts(D(40), D(40), None, None)
    assert contradicts(D(35), D(40), None, None)
    assert not contradicts(D(85), None, D(80), D(90))
    assert contradicts(D(79), None, D(80), D(90))
    assert not contradicts(D(1), None, None, None)
