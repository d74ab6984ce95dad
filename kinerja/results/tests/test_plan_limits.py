"""What a plan file may hold fits where results store it: the plan app owns the sizes (it may not
import results, docs/architecture.md#floors) and results' columns are made from them."""

from __future__ import annotations

from kinerja.plan import limits
from kinerja.plan.limits import DecimalRange
from kinerja.results.models import ManualValue, Result


def test_the_columns_holding_plan_names_are_as_long_as_the_plan_allows() -> None:
    assert ManualValue._meta.get_field("name").max_length == limits.measure_name_length()
    assert Result._meta.get_field("status").max_length == limits.band_key_length()


def test_the_columns_holding_figures_have_the_range_the_plan_checks() -> None:
    assert DecimalRange.of(Result, "achievement") == limits.achievement_range()
    assert DecimalRange.of(Result, "realisation") == limits.achievement_range()
    assert DecimalRange.of(ManualValue, "value") == limits.manual_value_range()
