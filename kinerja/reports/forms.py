"""Forms of the signing page: who signs and when (docs/rules.md#signing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Signatory, SigningDate


class SignatoryForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Signatory.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    nip = forms.CharField(label="NIP", max_length=25, required=False)
    rank = forms.CharField(label=_("Rank/grade (pangkat/golongan)"), max_length=100, required=False)
    position = forms.CharField(label=_("Position (jabatan)"), max_length=200)
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SigningDateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=SigningDate.Kind.choices)
    year = forms.IntegerField(label=_("Year"))
    date = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
