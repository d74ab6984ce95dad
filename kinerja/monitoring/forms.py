"""The forms of the Renaksi page and the quarterly report: typed fields only; the rules are
checked by the actions, which every caller shares."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import TargetMode


def quarter_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=4)


class QuarterTargetsForm(forms.Form):
    mode = forms.ChoiceField(label=_("quarter targets are"), choices=TargetMode.choices)
    q1 = quarter_field("T1")
    q2 = quarter_field("T2")
    q3 = quarter_field("T3")
    q4 = quarter_field("T4")


class ActionForm(forms.Form):
    name = forms.CharField(
        label=_("activity / sub-activity (kegiatan / sub-kegiatan)"),
        max_length=settings.KINERJA_RENAKSI_ACTION_MAX_CHARS,
    )
    budget_code = forms.CharField(label=_("budget code"), max_length=40, required=False)
    position = forms.CharField(label=_("responsible position"), max_length=300)
    months = forms.TypedMultipleChoiceField(
        label=_("months"), choices=[(m, str(m)) for m in range(1, 13)], coerce=int
    )


class NarrativeForm(forms.Form):
    drivers = forms.CharField(
        label=_("supporting factors (faktor pendorong)"), widget=forms.Textarea, required=False
    )
    obstacles = forms.CharField(
        label=_("inhibiting factors (faktor penghambat)"), widget=forms.Textarea, required=False
    )
    follow_up = forms.CharField(
        label=_("efforts / follow-up (upaya / tindak lanjut)"),
        widget=forms.Textarea,
        required=False,
    )
