from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.levels import village_label
from kinerja.accounts.models import OrgUnit
from kinerja.lib.input_checks import CheckedText, check_day

from .evidence import ALLOWED
from .models import Activity, Group, GroupKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def kinds_for(kelurahan: QuerySet[OrgUnit]) -> QuerySet[GroupKind]:
    """Kinds shared by every city plus the local kinds of the cities of these kelurahan."""
    city_codes = {c for path in kelurahan.values_list("path", flat=True) for c in path.split("/")}
    return GroupKind.objects.filter(Q(city__isnull=True) | Q(city__code__in=city_codes))


class GroupForm(CheckedText, forms.ModelForm[Group]):
    class Meta:
        model = Group
        fields = [
            "code", "name", "kind", "kelurahan", "established", "dissolved", "chair", "contact",
            "member_count", "address", "decree_number", "decree_date", "notes",
        ]  # fmt: skip
        widgets = {
            "established": DATE_INPUT,
            "dissolved": DATE_INPUT,
            "decree_date": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, kelurahan: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kelurahan_field, kind_field = self.fields["kelurahan"], self.fields["kind"]
        assert isinstance(kelurahan_field, forms.ModelChoiceField)
        assert isinstance(kind_field, forms.ModelChoiceField)
        kelurahan_field.queryset = kelurahan
        # "Desa" where the user keeps desa only (docs/rules.md#org-unit-levels).
        kelurahan_field.label = village_label(kelurahan.values_list("level", flat=True).distinct())
        kind_field.queryset = kinds_for(kelurahan)
        if kelurahan.count() == 1 and not self.instance.pk:
            self.fields["kelurahan"].initial = kelurahan.first()

    def validate_unique(self) -> None:
        # (city, code) uniqueness is checked by the action once the city is known.
        pass


class GroupKindForm(CheckedText, forms.ModelForm[GroupKind]):
    """A kind of group; ``owners`` are the cities the editor may give kinds to, and an
    administrator may leave the city empty: a kind every city shares."""

    class Meta:
        model = GroupKind
        fields = ["code", "name", "is_institution", "order", "city"]

    def __init__(
        self, *args: Any, owners: QuerySet[OrgUnit], shared_allowed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        city = self.fields["city"]
        city.queryset = owners  # type: ignore[attr-defined]
        city.required = not shared_allowed
        city.empty_label = _("every city (shared)") if shared_allowed else None  # type: ignore[attr-defined]
        city.help_text = _("The city whose kelurahan may use this kind.")
        if owners.count() == 1 and not self.instance.pk and not shared_allowed:
            city.initial = owners.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken = GroupKind.objects.filter(code=data.get("code"), city=data.get("city"))
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if data.get("code") and taken.exists():
            self.add_error("code", _("Another kind of this city already has this code."))
        return data

    def validate_unique(self) -> None:
        # Checked in clean() with a message that says which code clashes.
        pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class GroupChoiceField(forms.ModelMultipleChoiceField[Group]):
    def label_from_instance(self, obj: Group) -> str:
        return f"{obj.name} ({obj.kind.name})"


class ActivityForm(CheckedText, forms.ModelForm[Activity]):
    groups = GroupChoiceField(
        queryset=Group.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Groups reached"),
        required=False,
    )
    evidence = MultipleFileField(
        label=_("Evidence (photos, PDF, attendance list; up to 10 MB each)"), required=False
    )

    class Meta:
        model = Activity
        fields = ["date", "type", "title", "description"]
        widgets = {"date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups_field = self.fields["groups"]
        assert isinstance(groups_field, GroupChoiceField)
        groups_field.queryset = groups.select_related("kind")
        self.fields["date"].validators.append(check_day)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    kind = forms.ChoiceField(
        label=_("The file holds"),
        required=False,
        choices=[
            ("", _("tell from its columns")),
            ("groups", _("groups and institutions")),
            ("activities", _("activities")),
        ],
    )
