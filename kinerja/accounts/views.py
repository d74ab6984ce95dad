"""Log-in with throttling and two-factor codes, the account security page, API keys, roles."""

from __future__ import annotations

import math
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, throttle, two_factor
from .actions import (
    do_disable_two_factor,
    do_grant_role,
    do_issue_api_key,
    do_remove_role,
    do_renew_recovery_codes,
    do_revoke_api_key,
)
from .forms import ApiKeyForm, CodeForm, MembershipForm, ThrottledAuthenticationForm
from .models import ApiKey, Membership
from .signals import security_event

PENDING = "kinerja_pending_login"
PENDING_SECONDS = 600
ENROL_DEVICE = "kinerja_totp_enrolment"
NEW_KEY = "kinerja_new_api_key"


# --- the log-in flow: password, then (if enrolled or required) a code --------------------------


class LoginView(auth_views.LoginView):
    """Django's log-in page and URL; a correct password alone logs in only users without 2FA."""

    form_class = ThrottledAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if two_factor.device_of(user) is not None:
            return start_pending(self.request, user, self.get_success_url(), "verify")
        if two_factor.required(user):
            return start_pending(self.request, user, self.get_success_url(), "enrol")
        throttle.record_success(user.get_username())
        return super().form_valid(form)


def start_pending(request: HttpRequest, user: Any, next_url: str, purpose: str) -> HttpResponse:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
        "purpose": purpose,
    }
    target = "accounts:two_factor_verify" if purpose == "verify" else "accounts:two_factor_enrol"
    return redirect(target)


def pending_login(request: HttpRequest, purpose: str) -> tuple[User, dict[str, Any]] | None:
    state = request.session.get(PENDING)
    if not state or state.get("purpose") != purpose:
        return None
    if time.time() - state["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    user = User.objects.filter(pk=state["user"], is_active=True).first()
    return (user, state) if user is not None else None


def complete_login(request: HttpRequest, user: User, state: dict[str, Any]) -> str:
    """Log the user in after their second factor; returns where they go next."""
    request.session.pop(PENDING, None)
    request.session.pop(ENROL_DEVICE, None)
    throttle.record_success(user.get_username())
    auth_login(request, user, backend=state["backend"])  # a new session key: no fixation
    next_url = state.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    return str(next_url)


def blocked_message(request: HttpRequest, until: Any) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(
        request,
        _(
            "Too many failed log-in attempts. For your security, log-in is blocked; try again in %(minutes)d minutes."
        )
        % {"minutes": throttle.minutes_left(until)},
    )
    return redirect("login")


def refuse_code(
    request: HttpRequest, user: User, form: CodeForm, check: two_factor.Check
) -> HttpResponse | None:
    """Count a wrong code; when that blocks the account, the half-done log-in is dropped."""
    until = throttle.record_failure(user.get_username(), request)
    if until is not None:
        return blocked_message(request, until)
    if check.wait_until is not None:
        seconds = max(1, math.ceil((check.wait_until - timezone.now()).total_seconds()))
        form.add_error(
            "code",
            _("Too many wrong codes: wait %(seconds)d seconds, then type the current code.")
            % {"seconds": seconds},
        )
    else:
        form.add_error("code", _("That code is not right. Check your phone's clock and try again."))
    return None


def blocked_response(request: HttpRequest, user: User) -> HttpResponse | None:
    until = throttle.blocked_until(user.get_username(), request)
    return None if until is None else blocked_message(request, until)


def recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The new recovery codes, shown in this one response and never again (only hashes stay)."""
    response = render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    pending = pending_login(request, "verify")
    if pending is None:
        return redirect("login")
    user, state = pending
    if two_factor.device_of(user) is None:  # reset by an administrator meanwhile: start again
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if (refused := blocked_response(request, user)) is not None:
            return refused
        if form.is_valid():
            check = two_factor.check_code(user, form.cleaned_data["code"])
            if check.ok:
                next_url = complete_login(request, user, state)
                if check.kind == "recovery":
                    used_recovery_code(request, user)
                return redirect(next_url)
            if (refused := refuse_code(request, user, form, check)) is not None:
                return refused
    return render(request, "accounts/two_factor_verify.html", {"form": form, "person": user})


def used_recovery_code(request: HttpRequest, user: User) -> None:
    left = two_factor.recovery_codes_left(user)
    security_event.send(None, user=user, request=request, what="recovery code used")
    messages.warning(
        request,
        _(
            "You logged in with a recovery code; %(left)d codes are left. If your phone is lost, "
            "set up two-factor log-in on a new phone now: that also gives you new codes."
        )
        % {"left": left},
    )


def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: during a log-in that requires it, or from the security page."""
    pending = pending_login(request, "enrol")
    if pending is not None:
        user, state = pending
    elif request.user.is_authenticated:
        user, state = access.signed_in(request), {}
    else:
        return redirect("login")
    device = two_factor.enrolment_device(user, request.session.get(ENROL_DEVICE))
    request.session[ENROL_DEVICE] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if (refused := blocked_response(request, user)) is not None:
            return refused
        valid = form.is_valid()
        check = two_factor.confirm(device, form.cleaned_data["code"]) if valid else None
        if check is not None and check.ok:
            codes = two_factor.new_recovery_codes(user)
            request.session.pop(ENROL_DEVICE, None)
            security_event.send(None, user=user, request=request, what="two-factor enrolled")
            if pending is not None:
                next_url = complete_login(request, user, state)
            else:
                next_url = reverse("accounts:security")
                messages.success(request, _("Two-factor log-in is on for your account."))
            return recovery_codes_page(request, codes, next_url)
        if check is not None and (refused := refuse_code(request, user, form, check)) is not None:
            return refused
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device.config_url),
            "secret": two_factor.secret_text(device),
            "during_login": pending is not None,
            "person": user,
        },
    )


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """New recovery codes for the logged-in user (the old ones stop working)."""
    if two_factor.device_of(request.user) is None:
        messages.error(request, _("Set up two-factor log-in first."))
        return redirect("accounts:security")
    user = access.signed_in(request)
    codes = do_renew_recovery_codes(user, user, request)
    return recovery_codes_page(request, codes, reverse("accounts:security"))


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if two_factor.required(request.user):
        messages.error(request, _("Your role requires two-factor log-in; it cannot be turned off."))
        return redirect("accounts:security")
    user = access.signed_in(request)
    if do_disable_two_factor(user, user, request):
        messages.success(request, _("Two-factor log-in is off for your account."))
    return redirect("accounts:security")


# --- the account security page: two-factor status and API keys ---------------------------------


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _api_key, key = do_issue_api_key(
            user,
            user,
            form.cleaned_data["name"],
            form.cleaned_data["can_write"],
            request,
        )
        request.session[NEW_KEY] = key
        return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {
            "form": form,
            "device": two_factor.device_of(request.user),
            "recovery_left": two_factor.recovery_codes_left(request.user),
            "required": two_factor.required(request.user),
            "keys": ApiKey.objects.filter(user=user, revoked_at__isnull=True),
            "new_key": request.session.pop(NEW_KEY, None),
            "perms_roles": access.units_for(request.user, access.ADMINISTER).exists(),
        },
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_object_or_404(ApiKey, pk=pk, user=request.user, revoked_at__isnull=True)
    do_revoke_api_key(request.user, api_key, request)
    messages.success(request, _("The key %(name)s no longer works.") % {"name": api_key.name})
    return redirect("accounts:security")


# --- roles: administrators give and take roles in the units they administer ---------------------


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    units = access.units_for(request.user, access.ADMINISTER)
    if not units.exists():
        raise PermissionDenied(access.ADMINISTER)
    form = MembershipForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        membership = do_grant_role(
            request.user,
            form.cleaned_data["username"],
            form.cleaned_data["unit"],
            form.cleaned_data["role"],
        )
        messages.success(request, _("Role given: %(m)s") % {"m": membership})
        return redirect("accounts:roles")
    memberships = (
        Membership.objects.filter(unit__in=units)
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    )
    return render(request, "accounts/roles.html", {"form": form, "memberships": memberships})


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    membership = get_object_or_404(Membership.objects.select_related("unit", "user"), pk=pk)
    do_remove_role(request.user, membership)
    messages.success(request, _("Role taken away: %(m)s") % {"m": membership})
    return redirect("accounts:roles")
