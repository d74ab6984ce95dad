"""Forms of the results pages: a manual value with its evidence, a note on a year's approval,
applying locked changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.evidence import evidence_type
from kinerja.plan.limits import manual_value_range
from kinerja.plan.models import Plan
from kinerja_core.errors import CoreError
from kinerja_core.numbers import parse_decimal
from kinerja_core.periods import Period

from .actions import plan_years


def period_choices(plan: Plan) -> list[tuple[str, str]]:
    choices = []
    for year in reversed(plan_years(plan)):
        choices.append((str(year), str(year)))
        if year in plan.years:
            choices += [
                (p.key, p.label()) for p in (Period(year, "quarter", q) for q in range(1, 5))
            ]
    return choices


class ManualValueForm(forms.Form):
    name = forms.ChoiceField(label=_("Measure"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("For a quarter, enter the value from 1 January up to the end of that quarter."),
    )
    value = forms.CharField(label=_("Value"), max_length=30, help_text=_("For example 84,60"))
    evidence = forms.FileField(label=_("Evidence (PDF, JPEG or PNG, up to 5 MB)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, plan: Plan, units: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name, unit, period = self.fields["name"], self.fields["unit"], self.fields["period"]
        assert isinstance(name, forms.ChoiceField) and isinstance(period, forms.ChoiceField)
        assert isinstance(unit, forms.ModelChoiceField)
        name.choices = [(m["name"], m.get("label") or m["name"]) for m in plan.manual_measures]
        unit.queryset = units
        unit.initial = plan.unit.pk
        period.choices = period_choices(plan)

    def clean_value(self) -> Decimal:
        try:
            value = parse_decimal(self.cleaned_data["value"])
        except CoreError as exc:
            raise forms.ValidationError(
                _("Not a number: %(value)s") % {"value": self.cleaned_data["value"]}
            ) from exc
        out_of_range = manual_value_range().problem(value)
        if out_of_range:  # the column's range: beyond it the value could not be read back
            raise forms.ValidationError(out_of_range)
        return value

    def clean_evidence(self) -> UploadedFile[bytes] | None:
        upload = self.cleaned_data.get("evidence")
        if upload:
            evidence_type(upload, upload.size)
        return upload


class ApplyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for changing the results of a locked year"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ApprovalNoteForm(forms.Form):
    """The note of a submission, an approval or a return (required for a return: the action
    says so, so the rule holds outside this form too)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
