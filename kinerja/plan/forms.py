from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from kinerja_core.formula import MAX_LENGTH as FORMULA_MAX_LENGTH

from .limits import explanation_chars, file_size_problem, length_problem, text_chars
from .models import Indicator, Plan

M = TypeVar("M", bound=Model)


class PlanUploadForm(forms.Form):
    """The file, or (confirming the difference shown) its text again with the digest of that
    difference; and for a revision its effective year, reason and decree."""

    file = forms.FileField(label=_("Plan file (YAML)"), required=False)
    store = forms.BooleanField(label=_("Store the plan when it has no errors"), required=False)
    effective = forms.IntegerField(
        label=_("Revision in force from (year)"),
        required=False,
        min_value=1900,
        max_value=2999,
        help_text=_("Leave empty to load the file as it is; a year stores a new version."),
    )
    reason = forms.CharField(
        label=_("Reason for the revision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decree = forms.CharField(label=_("Decree (number, date)"), required=False, max_length=300)
    text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    digest = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            posted = data.get("text") or ""
            if not posted:
                raise forms.ValidationError(_("Choose a plan file."))
            too_large = file_size_problem(len(posted.encode("utf-8", "surrogatepass")))
            if too_large:
                raise forms.ValidationError(too_large)
        if upload is not None:
            too_large = file_size_problem(upload.size)
            if too_large:  # before the file is read
                raise forms.ValidationError(too_large)
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        return data


class BoundedTextsForm(forms.ModelForm[M]):
    """An admin form keeping the plan file's limits on text columns without a max_length.

    The admin builds the form's model and fields (modelform_factory); these add the checks.
    """

    text_limits: dict[str, Callable[[], int]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, limit in self.text_limits.items():
            too_long = length_problem(data.get(name) or "", limit())
            if too_long:
                self.add_error(name, too_long)
        return data


class IndicatorAdminForm(BoundedTextsForm[Indicator]):
    text_limits = {"explanation": explanation_chars, "formula": lambda: FORMULA_MAX_LENGTH}


class PlanAdminForm(BoundedTextsForm[Plan]):
    text_limits = {"profile_function": text_chars}
