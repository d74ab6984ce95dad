from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from . import signals, throttle
from .models import ApiKey, Membership, OrgUnit, Role


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing blocked accounts and clients before checking passwords."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed log-in attempts. For your security, log-in is blocked; "
            "try again in %(minutes)d minutes."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        until = throttle.blocked_until(username, self.request)
        if until is not None:
            signals.login_throttled.send(None, username=username, request=self.request, until=until)
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": throttle.minutes_left(until)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username and self.cleaned_data.get("password"):
                until = throttle.record_failure(username, self.request)
                if until is not None:
                    raise forms.ValidationError(
                        self.error_messages["throttled"],
                        code="throttled",
                        params={"minutes": throttle.minutes_left(until)},
                    ) from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=32,  # a recovery code with spaces fits; longer input is no code
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class ApiKeyForm(forms.ModelForm[ApiKey]):
    class Meta:
        model = ApiKey
        fields = ["name", "can_write"]
        help_texts = {
            "can_write": _(
                "Allow sending data (survey responses, activities, manual values); "
                "otherwise the key can only read."
            )
        }


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active user is called %(name)s."), params={"name": username}
            )
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, unit, role = data.get("username"), data.get("unit"), data.get("role")
        if (
            user
            and unit
            and role
            and Membership.objects.filter(user=user, unit=unit, role=role).exists()
        ):
            raise forms.ValidationError(_("This user already has this role in this unit."))
        return data
