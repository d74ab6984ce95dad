"""Numbers and targets as documents and the terminal print them (84,60 · 40% · 3–5)."""

from __future__ import annotations

from decimal import Decimal

from kinerja.lib.language import lang
from kinerja.plan.models import Indicator, Target
from kinerja_core.numbers import format_decimal


def figure(value: Decimal | None, decimals: int, suffix: str = "") -> str:
    """84,60 / 40% / "–" for no value, in the document's language."""
    return "–" if value is None else format_decimal(value, decimals, lang()) + suffix


def target_figure(value: Decimal | None, decimals: int, suffix: str = "") -> str:
    """A target as the IKU document prints it: whole numbers bare (40%), others padded (84,60)."""
    if value is not None and value == value.to_integral_value():
        return figure(value, 0, suffix)
    return figure(value, decimals, suffix)


def target_text(indicator: Indicator, target: Target | None) -> str:
    if target is None:
        return "–"
    suffix = indicator.unit_suffix
    if target.is_range:
        low = target_figure(target.low, indicator.decimals)
        return f"{low}–{target_figure(target.high, indicator.decimals, suffix)}"
    return target_figure(target.value, indicator.decimals, suffix)


def cell_target_text(
    indicator: Indicator, value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> str:
    """A stored target snapshot (value, or low and high of a range) as printed."""
    suffix = indicator.unit_suffix
    if value is None and low is not None and high is not None:
        return f"{target_figure(low, indicator.decimals)}–{target_figure(high, indicator.decimals, suffix)}"
    return target_figure(value, indicator.decimals, suffix)
