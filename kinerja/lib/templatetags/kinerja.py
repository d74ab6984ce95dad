"""Template filters for numbers and dates the Indonesian way (84,60; 27 November 2026)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from kinerja.lib import coremessages, language
from kinerja.lib.language import lang
from kinerja_core.errors import CoreError
from kinerja_core.formula import NotComputable
from kinerja_core.numbers import format_decimal, to_decimal
from kinerja_core.periods import Period, indonesian_date

register = template.Library()


@register.filter
def num(value: object, decimals: int = 2) -> str:
    """{{ value|num:2 }} → "84,60" in Indonesian, "84.60" in English; empty → "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, NotComputable):
        return coremessages.reason(value)
    if not isinstance(value, int | Decimal):
        try:
            value = to_decimal(value)
        except CoreError:  # a label or a reason, not a number: show it as it is
            return str(value)
    return format_decimal(value, int(decimals), lang())


@register.filter
def reason(value: object) -> str:
    """{{ value|reason }}: why a value cannot be computed, in the user's language; "" for a value
    that can."""
    return coremessages.reason(value) if isinstance(value, NotComputable) else ""


@register.filter
def longdate(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if lang() == "en":
        return value.strftime("%-d %B %Y")
    return indonesian_date(value)


@register.filter
def clock(value: datetime | None, arg: str = "") -> str:
    """{{ moment|clock }} → "14.10", the local (WIB) time with a dot; {{ moment|clock:"s" }} →
    "14.10.05"."""
    if value is None:
        return "–"
    return language.clock(value, seconds=arg == "s")


@register.filter
def moment(value: datetime | None) -> str:
    """{{ moment|moment }} → "7 Desember 2026 14.10": the local day and time of day."""
    if value is None:
        return "–"
    return f"{longdate(value)} {clock(value)}"


@register.filter
def target(value: object, decimals: int = 2) -> str:
    """A target as the document prints it: whole numbers bare (40%), others padded (84,60)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return num(value, 0)
    return num(value, decimals)


@register.filter
def period(value: Period | str | None) -> str:
    """{{ key|period }}: "2024-Q3" → "Triwulan III 2024" ("Q3 2024" in English); a bad key as is."""
    if value is None or value == "":
        return "–"
    if not isinstance(value, Period):
        try:
            value = Period.parse(str(value))
        except CoreError:
            return str(value)
    return value.label(lang())
