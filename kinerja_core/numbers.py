"""Decimal rounding, parsing and Indonesian/English formatting of numbers.

Reported numbers are legal figures: they are rounded half-up (as people round by hand and as
the regulations' examples do), never with binary floats or banker's rounding.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from kinerja_core.errors import Code, CoreError

DASH = "–"

# Ample precision so that intermediate products of indices and percentages never round.
PRECISION = 34


# The context of a rounding that fits PRECISION, made once: entering a local context for each
# number cost more than the rounding (a city's dashboard rounds thousands of numbers).
_ROUNDING = Context(prec=PRECISION, rounding=ROUND_HALF_UP)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (84,605 → 84,61)."""
    exponent = Decimal(1).scaleb(-decimals)
    needed = value.adjusted() + decimals + 2
    if needed <= PRECISION:
        return value.quantize(exponent, rounding=ROUND_HALF_UP, context=_ROUNDING)
    with localcontext() as ctx:
        ctx.prec = needed
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Convert int, str, float (through its shortest repr, so 0.1 → 0,1) or Decimal."""
    if isinstance(value, bool):
        raise CoreError(Code.NUMBER_INVALID, value=value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        return parse_decimal(value)
    else:
        raise CoreError(Code.NUMBER_INVALID, value=value)
    if not result.is_finite():
        raise CoreError(Code.NUMBER_NOT_FINITE, value=value)
    return result


_PLAIN = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_ID_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?")
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_ID_SPACED = re.compile(r"[+-]?\d{1,3}( \d{3})+([.,]\d*)?")


def parse_decimal(text: str) -> Decimal:
    """Parse a number as typed by Indonesian or English users.

    "84,60" and "84.60" are both 84.6; "1.234,5" is Indonesian grouping (1234.5) and
    "1,234.5" English grouping. A single separator is a decimal mark, because planners type
    "84,60" far more often than a grouped integer like "1.234": a lone "1.234" is 1.234.
    """
    raw = text
    s = text.strip().replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if _PLAIN.fullmatch(s):
        normalised = s.replace(",", ".")
    elif _ID_GROUPED.fullmatch(s):
        normalised = s.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.fullmatch(s):
        normalised = s.replace(",", "")
    elif _ID_SPACED.fullmatch(s):
        normalised = s.replace(" ", "").replace(",", ".")
    else:
        raise CoreError(Code.NUMBER_INVALID, value=raw)
    if normalised.endswith("."):
        normalised = normalised[:-1]
    try:
        return Decimal(normalised)
    except InvalidOperation as exc:
        raise CoreError(Code.NUMBER_INVALID, value=raw) from exc


def format_decimal(value: Decimal | int | None, decimals: int = 2, lang: str = "id") -> str:
    """Format for people: "1.234,50" (id) or "1,234.50" (en); None (no data) is "–"."""
    if value is None:
        return DASH
    number = round_half_up(Decimal(value), decimals)
    if number.is_zero():
        # Avoid "-0,00" for tiny negative values rounded to zero.
        number = abs(number)
    text = f"{number:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


SEN_PLACES = 2  # a rupiah amount has at most two places (sen)


def rupiah(amount: Decimal | int, lang: str = "id") -> str:
    """An amount of money: "Rp 1.234.000", with sen only when there are any ("Rp 1.234.000,50").

    Indonesian by default, as every document is written whatever language printed it; a page
    passes its language ("en": "Rp 1,234,000.50").
    """
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else SEN_PLACES
    return f"Rp {format_decimal(amount, places, lang)}"
