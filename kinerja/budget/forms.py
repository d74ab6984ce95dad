"""The page form of one budget line, and the upload form of a budget file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from kinerja.plan.models import Indicator, Objective

from . import nomenclature
from .links import indicators_for, objectives_for
from .models import AMOUNT_DIGITS, AMOUNT_PLACES, QUARTERS, BudgetLine
from .rules import LineValues


def amount_field(label: StrOrPromise, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        localize=True,
    )


class PlanItemsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Sasaran or indicators, each named with its plan (versions of a plan may share codes)."""

    def label_from_instance(self, obj: Any) -> str:
        plan = obj.plan if isinstance(obj, Indicator) else obj.goal.plan
        return f"{obj.code} {obj.name} ({plan.code})"


class BudgetLineForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code (nomenclature)"),
        max_length=nomenclature.CODE_MAX_LENGTH,
        help_text=gettext_lazy("e.g. 7.01.01 (program), 7.01.01.2.01 (kegiatan)"),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=500)
    budget = amount_field(gettext_lazy("Pagu (Rp)"), required=True)
    spent = amount_field(gettext_lazy("Realisasi (Rp)"))
    spent_q1 = amount_field(gettext_lazy("Realisasi triwulan I"))
    spent_q2 = amount_field(gettext_lazy("Realisasi triwulan II"))
    spent_q3 = amount_field(gettext_lazy("Realisasi triwulan III"))
    spent_q4 = amount_field(gettext_lazy("Realisasi triwulan IV"))
    over_budget = forms.BooleanField(
        label=gettext_lazy("Realisation above pagu is right (budget shift)"), required=False
    )
    objectives = PlanItemsField(
        label=gettext_lazy("Sasaran supported"),
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = PlanItemsField(
        label=gettext_lazy("Indicators supported"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, line: BudgetLine, **kwargs: Any) -> None:
        if line.pk is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": line.code,
                    "name": line.name,
                    "budget": line.budget,
                    "spent": line.spent,
                    "spent_q1": line.spent_q1,
                    "spent_q2": line.spent_q2,
                    "spent_q3": line.spent_q3,
                    "spent_q4": line.spent_q4,
                    "over_budget": line.over_budget,
                    "objectives": list(line.objectives.all()),
                    "indicators": list(line.indicators.all()),
                },
            )
        super().__init__(*args, **kwargs)
        objectives = self.fields["objectives"]
        indicators = self.fields["indicators"]
        assert isinstance(objectives, PlanItemsField) and isinstance(indicators, PlanItemsField)
        objectives.queryset = objectives_for(line.unit, line.year).select_related("goal__plan")
        indicators.queryset = indicators_for(line.unit, line.year).select_related("plan")

    def values(self) -> LineValues:
        data = self.cleaned_data
        return LineValues(
            code=data["code"].strip(),
            name=data["name"].strip(),
            budget=data["budget"],
            spent=data["spent"],
            quarters=[data[f"spent_q{n}"] for n in QUARTERS],
            over_budget=data["over_budget"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))
    replace = forms.BooleanField(
        label=gettext_lazy(
            "The file is the whole budget of the year: remove the lines it leaves out"
        ),
        required=False,
        help_text=gettext_lazy(
            "The check lists the lines that would be removed; a line a Rencana Aksi names is "
            "never removed (the file is refused)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.KINERJA_BUDGET_FILE_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("the file has %(size)s bytes; a budget file may have at most %(limit)s bytes")
                % {"size": upload.size, "limit": limit}
            )
        return upload
