"""The forms of the Renaksi page and the quarterly report: typed fields only; the rules are
checked by the actions, which every caller shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit

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
    """An action of the Renaksi of ``unit`` and ``year``; the budget code's help says whether the
    code is checked against the unit's budget lines of the year or for its shape only (the
    action checks it: budgetlinks.py)."""

    name = forms.CharField(
        label=_("activity / sub-activity (kegiatan / sub-kegiatan)"),
        max_length=settings.KINERJA_RENAKSI_ACTION_MAX_CHARS,
    )
    budget_code = forms.CharField(label=_("budget code"), max_length=40, required=False)
    position = forms.CharField(label=_("responsible position"), max_length=300)
    months = forms.TypedMultipleChoiceField(
        label=_("months"), choices=[(m, str(m)) for m in range(1, 13)], coerce=int
    )

    def __init__(
        self, *args: Any, budget_of: tuple[OrgUnit, int, bool] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if budget_of is None:
            return
        unit, year, has_budget = budget_of
        field = self.fields["budget_code"]
        values = {"year": year, "unit": unit}
        if has_budget:
            field.help_text = (
                gettext(
                    "A kegiatan or sub-kegiatan code of the %(year)s budget of %(unit)s, "
                    "e.g. 7.01.01.2.06.0001."
                )
                % values
            )
            field.widget.attrs["list"] = "budget-codes"
        else:
            field.help_text = (
                gettext(
                    "%(unit)s has no budget lines for %(year)s: the code is checked for its shape "
                    "only, e.g. 7.01.01.2.06.0001."
                )
                % values
            )
        field.widget.attrs["aria-describedby"] = "budget-code-help"


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
