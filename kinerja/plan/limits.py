"""How large a plan file, its texts and its numbers may be (docs/security.md).

Lengths and number ranges come from the columns the values are stored in, so whatever passes
`kinerja plan check` also fits its column on PostgreSQL and reads back on SQLite. Values kept in
JSON or in unbounded text columns, and the file itself, are bounded by settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from .models import Indicator, Target


def file_size_problem(size: int) -> str | None:
    """Why a plan file of ``size`` bytes is refused before it is read, or None."""
    limit = int(settings.KINERJA_PLAN_FILE_MAX_BYTES)
    if size <= limit:
        return None
    return _("the file has %(size)s bytes; a plan file may have at most %(limit)s bytes") % {
        "size": size,
        "limit": limit,
    }


def text_size(text: str) -> int:
    """The UTF-8 size of ``text``, without encoding a text that is too long anyway."""
    limit = int(settings.KINERJA_PLAN_FILE_MAX_BYTES)
    return len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))


def column_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is a relation"
    length = field.max_length
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return int(length)


# Columns of the results app that store what a plan names or compares with: results' models
# take their sizes from here, so whatever a plan file may hold fits where it is stored.
# Manual, derived and bound measure names share one name space, stored with manual values.
MEASURE_NAME_LENGTH = 80
# A band's key is the status stored with each result.
BAND_KEY_LENGTH = 30


def measure_name_length() -> int:
    return MEASURE_NAME_LENGTH


def band_key_length() -> int:
    return BAND_KEY_LENGTH


def text_chars() -> int:
    """Texts kept in JSON or in text columns: labels, the profile, notes, document lines."""
    return int(settings.KINERJA_PLAN_TEXT_MAX_CHARS)


def explanation_chars() -> int:
    """The printed formula text (rendered and linted on every check and every plan page)."""
    return int(settings.KINERJA_PLAN_EXPLANATION_MAX_CHARS)


def length_problem(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return _("too long: %(length)s characters, at most %(limit)s") % {
        "length": len(text),
        "limit": limit,
    }


@dataclass(frozen=True)
class DecimalRange:
    """The numbers a decimal column holds: fewer than ``whole`` digits before the mark."""

    max_digits: int
    decimal_places: int

    @classmethod
    def of(cls, model: type[models.Model], name: str) -> DecimalRange:
        field = model._meta.get_field(name)
        assert isinstance(field, models.DecimalField)
        return cls(int(field.max_digits or 0), int(field.decimal_places or 0))

    @property
    def whole(self) -> int:
        return self.max_digits - self.decimal_places

    def problem(self, value: Decimal) -> str | None:
        """Why ``value`` does not fit, or None; checked before any rounding or arithmetic."""
        if (
            value.is_finite()
            and abs(value) < Decimal(10) ** self.whole
            # In range, so quantizing needs at most max_digits digits: it cannot overflow.
            and value == value.quantize(Decimal(1).scaleb(-self.decimal_places))
        ):
            return None
        return _(
            "out of range: at most %(whole)s digits before and %(places)s after the decimal mark"
        ) % {"whole": self.whole, "places": self.decimal_places}


def target_range() -> DecimalRange:
    return DecimalRange.of(Target, "value")


def cap_range() -> DecimalRange:
    return DecimalRange.of(Indicator, "cap")


# Realisations, achievements and manual values as results stores them (6 places keep the exact
# value of every published figure). Band minimums are compared with stored achievements, so they
# share this range.
STORED_NUMBER = DecimalRange(max_digits=22, decimal_places=6)


def achievement_range() -> DecimalRange:
    return STORED_NUMBER


def manual_value_range() -> DecimalRange:
    return STORED_NUMBER
