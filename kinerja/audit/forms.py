from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kinerja.accounts.models import OrgUnit

from .models import AuditEntry
from .tracked import TRACKED, labels_of


def model_choices() -> list[tuple[str, StrOrPromise]]:
    from django.apps import apps

    labels = []
    for spec in TRACKED:
        app_module, _dot, name = spec.model.rpartition(".models.")
        model = apps.get_model(app_module.rsplit(".", 1)[-1], name)
        labels.append((model._meta.label_lower, capfirst(str(model._meta.verbose_name))))
    return [("", _("All records")), *sorted(labels, key=lambda c: c[1])]


class AuditFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All units")
    )
    user = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit, action, model = self.fields["unit"], self.fields["action"], self.fields["model"]
        assert isinstance(unit, forms.ModelChoiceField)
        assert isinstance(action, forms.ChoiceField) and isinstance(model, forms.ChoiceField)
        unit.queryset = units
        action.choices = [("", _("All actions")), *AuditEntry.Action.choices]
        model.choices = model_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("unit"):
            entries = entries.filter(unit_path__startswith=data["unit"].path)
        if data.get("user"):
            entries = entries.filter(actor_name__icontains=data["user"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("model"):
            entries = entries.filter(model__in=labels_of(data["model"]))
        # Dates are the office's local days (Asia/Jakarta), stored times are UTC.
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            entries = entries.filter(at__gte=datetime.combine(data["date_from"], time(), zone))
        if data.get("date_to"):
            end = datetime.combine(data["date_to"] + timedelta(days=1), time(), zone)
            entries = entries.filter(at__lt=end)
        return entries


def scope_q(paths: list[str] | None) -> Q | None:
    """Entries of units inside ``paths`` (None: everything, including unit-less entries)."""
    if paths is None:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit_path__startswith=path)
    return q
