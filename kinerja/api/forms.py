"""Bodies the API accepts, validated by Django forms (one message per field)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.community.models import Activity
from kinerja.plan.limits import manual_value_range
from kinerja.surveys.forms import AnswerForm
from kinerja_core.errors import CoreError
from kinerja_core.numbers import parse_decimal
from kinerja_core.periods import Period

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class PeriodField(forms.CharField):
    default_error_messages = {
        "invalid": _("A period key such as 2024, 2024-S1, 2024-Q3 or 2024-07."),
    }

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)  # length and required checks on the text
        if not text:
            return None
        try:
            return Period.parse(text)
        except CoreError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class CodeListField(forms.Field):
    """A JSON list of codes (strings)."""

    accepts_list = True
    default_error_messages = {"invalid": _('A list of codes, e.g. ["RT-01", "PKK"].')}

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value) > 500:
            raise forms.ValidationError(_("At most 500 codes."), code="too_many")
        return list(dict.fromkeys(value))


class ResponseBody(AnswerForm):
    """A kiosk's or front end's survey response: the public form's fields, plus idempotency."""

    idempotency_key = forms.CharField(
        max_length=64,
        required=False,
        help_text=_("Any unique text per response: sending it again stores nothing twice."),
    )
    submitted_at = forms.DateTimeField(required=False)

    def clean_submitted_at(self) -> datetime | None:
        moment = self.cleaned_data.get("submitted_at")
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        now = timezone.now()
        if not EARLIEST <= moment <= now + timedelta(minutes=5):
            raise forms.ValidationError(
                _("A time between %(start)s and now."),
                params={"start": EARLIEST.date().isoformat()},
            )
        return moment


class ActivityBody(forms.Form):
    date = forms.DateField(label=_("date"))
    type = forms.ChoiceField(label=_("type"), choices=Activity.Type.choices)
    title = forms.CharField(label=_("title"), max_length=300)
    description = forms.CharField(label=_("description"), required=False, max_length=10000)
    groups = CodeListField(label=_("groups reached"))


class ManualValueBody(forms.Form):
    name = forms.CharField(label=_("measure"), max_length=80)
    unit = forms.SlugField(label=_("unit"), max_length=80)
    period = PeriodField(label=_("period"), max_length=10)
    value = forms.CharField(label=_("value"), max_length=30)
    note = forms.CharField(label=_("note"), required=False, max_length=5000)

    def clean_value(self) -> Decimal:
        raw = self.cleaned_data["value"]
        try:
            value = parse_decimal(str(raw))
        except CoreError as exc:
            raise forms.ValidationError(
                _("Not a number: %(value)s"), params={"value": raw}
            ) from exc
        out_of_range = manual_value_range().problem(value)  # the column's range
        if out_of_range:
            raise forms.ValidationError(out_of_range)
        return value
