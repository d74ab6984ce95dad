"""Achievement (capaian) of an indicator against its target, PermenPANRB 53/2014 practice.

"Not measured" (no realisation yet) and "not computable" (e.g. a zero target) are both
``NotComputable`` values, never 0: a 0 % achievement is a real, bad result. ``NOT_MEASURED``
is a single shared instance so callers can tell the two apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Literal

from kinerja_core.errors import Code, CoreError
from kinerja_core.formula import NotComputable, Value
from kinerja_core.numbers import round_half_up

# Which way is better (docs/rules.md#capaian): above the target, below it, or on it ("stable":
# both sides are worse, e.g. a price index that should stay inside its band).
Polarity = Literal["higher", "lower", "stable"]
POLARITIES: tuple[Polarity, ...] = ("higher", "lower", "stable")

NOT_MEASURED = NotComputable.of(Code.VALUE_NOT_MEASURED)
NO_TARGET = NotComputable.of(Code.ACHIEVEMENT_NO_TARGET)

PRECISION = 50
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TargetRange:
    """A target band: any realisation from ``low`` to ``high`` inclusive is fully achieved."""

    low: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise CoreError(Code.ACHIEVEMENT_RANGE_INVERTED, low=self.low, high=self.high)


def _zero_target(target: Decimal) -> NotComputable:
    return NotComputable.of(Code.ACHIEVEMENT_ZERO_TARGET, target=target)


def _higher(target: Decimal, realisation: Decimal) -> Value:
    if target.is_zero():
        return _zero_target(target)
    return realisation / target * HUNDRED


def _lower(target: Decimal, realisation: Decimal) -> Value:
    if target.is_zero():
        return _zero_target(target)
    return (2 * target - realisation) / target * HUNDRED


def _against(target: Decimal, realisation: Decimal, polarity: Polarity) -> Value:
    """Capaian against one target. "Stable" means both sides are worse: short of the target it
    is rated as higher-is-better, past it as lower-is-better (docs/rules.md#capaian)."""
    if polarity == "stable":
        polarity = "higher" if realisation <= target else "lower"
    if polarity == "lower":
        return _lower(target, realisation)
    return _higher(target, realisation)


def achievement(
    target: Decimal | TargetRange | None,
    realisation: Value | Decimal | None,
    polarity: Polarity = "higher",
    cap: Decimal | None = None,
) -> Value:
    """Capaian in percent, at full precision (round only for display)."""
    if realisation is None:
        return NOT_MEASURED
    if isinstance(realisation, NotComputable):
        return realisation
    if target is None:
        return NO_TARGET
    if polarity not in POLARITIES:
        raise CoreError(Code.ACHIEVEMENT_UNKNOWN_POLARITY, polarity=polarity)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        result: Value
        if not isinstance(target, TargetRange):
            result = _against(target, realisation, polarity)
        elif target.low <= realisation <= target.high:
            result = +HUNDRED
        else:
            # Outside the band the nearer bound is the target and the polarity decides which
            # side is better (docs/rules.md#capaian-range-targets).
            nearer = target.low if realisation < target.low else target.high
            result = _against(nearer, realisation, polarity)
    if cap is not None and isinstance(result, Decimal) and result > cap:
        return cap
    return result


@dataclass(frozen=True)
class Band:
    """An interpretation band: values at or above ``minimum`` (None = no lower bound)."""

    minimum: Decimal | None
    key: str
    label: str
    colour: str


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal(100), "met", "Tercapai", "#1a7f37"),
    Band(Decimal(85), "near", "Hampir tercapai", "#975a16"),
    Band(None, "not_met", "Tidak tercapai", "#c62828"),
)


def classify(value: Value, bands: Sequence[Band] = DEFAULT_BANDS, decimals: int = 2) -> Band | None:
    """The band of ``value`` as displayed (rounded half-up to ``decimals``), or None.

    Classifying the rounded value keeps the colour consistent with the number printed next
    to it: 99,996 reads "100,00" and must be "Tercapai".
    """
    if isinstance(value, NotComputable):
        return None
    shown = round_half_up(value, decimals)
    ordered = sorted(
        bands,
        key=lambda b: (b.minimum is None, -(b.minimum if b.minimum is not None else 0)),
    )
    for band in ordered:
        if band.minimum is None or shown >= band.minimum:
            return band
    return None
