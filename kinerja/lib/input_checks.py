"""Checks every importer and form applies to typed-in text and dates, with their messages.

Text must fit its column (a value longer than a model field's ``max_length`` fails on
PostgreSQL) and hold no control characters (NUL fails on PostgreSQL; the others make XLSX
exports invalid). A date of an event must lie between 1 January of ``KINERJA_EARLIEST_YEAR``
and today in the office's time zone. See docs/security.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja_core.csv_fields import control_character


def earliest_day() -> date:
    return date(settings.KINERJA_EARLIEST_YEAR, 1, 1)


def latest_day() -> date:
    """Today where the office is (Asia/Jakarta), whatever time zone a request activated."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def day_problem(day: date) -> str | None:
    """Why ``day`` cannot be the date of something that happened, or None."""
    earliest, latest = earliest_day(), latest_day()
    if earliest <= day <= latest:
        return None
    return _("the date %(date)s is outside %(earliest)s to %(latest)s") % {
        "date": day.isoformat(),
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be stored as text (of at most ``max_length`` characters), or None."""
    code = control_character(value)
    if code is not None:
        return _("holds the invisible control character %(code)s; remove it") % {"code": code}
    if max_length is not None and len(value) > max_length:
        return _("longer than %(n)d characters") % {"n": max_length}
    return None


def survey_reader_limits() -> dict[str, Any]:
    """The limits the core survey reader takes as arguments."""
    return {
        "field_max_bytes": settings.KINERJA_CSV_FIELD_MAX_BYTES,
        "earliest": earliest_day(),
        "latest": latest_day(),
    }


def check_day(value: date | None) -> None:
    """Form validator of a date something happened on."""
    if value is not None and (problem := day_problem(value)) is not None:
        raise forms.ValidationError(problem)


class CheckedText(forms.BaseForm):
    """Form mixin: a control character in any text field is an error of that field."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str) and (problem := text_problem(value)) is not None:
                self.add_error(name, problem)
        return cleaned
