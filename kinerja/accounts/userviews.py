"""An administrator's page about one user of their units: roles, two-factor status, reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, two_factor
from .actions import administers_some_unit_of, do_reset_two_factor, may_reset_two_factor
from .models import Membership


def person_or_refuse(request: HttpRequest, pk: int) -> User:
    person = get_object_or_404(User, pk=pk)
    if not administers_some_unit_of(request.user, person):
        raise PermissionDenied(access.ADMINISTER)
    return person


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_refuse(request, pk)
    paths = access.scope_paths(request.user, access.ADMINISTER)
    memberships = [
        m
        for m in Membership.objects.filter(user=person)
        .select_related("unit")
        .order_by("unit__path")
        if access.covers(paths, m.unit.path)
    ]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "device": two_factor.device_of(person),
            "recovery_left": two_factor.recovery_codes_left(person),
            "required": two_factor.required(person),
            "may_reset": may_reset_two_factor(request.user, person),
        },
    )


@login_required
@require_POST
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_refuse(request, pk)
    if not may_reset_two_factor(request.user, person):
        raise PermissionDenied(access.ADMINISTER)
    do_reset_two_factor(request.user, person, request)
    messages.success(
        request,
        _(
            "Two-factor log-in of %(name)s was reset: their authenticator app and recovery codes "
            "no longer work; they set up a new app at their next log-in."
        )
        % {"name": person.get_username()},
    )
    return redirect("accounts:user_detail", pk=person.pk)
