"""Writes of the accounts app that act on another user: an administrator's two-factor reset."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import access, two_factor
from .cli import COMMAND_LINE
from .models import Membership
from .signals import security_event

Actor = User | AbstractBaseUser | AnonymousUser
RESET_REASON = "two-factor reset by an administrator"


def administers_some_unit_of(actor: Actor, user: User) -> bool:
    """Whether ``actor`` may see ``user``'s account page: they administer a unit of theirs."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    paths = access.scope_paths(actor, access.ADMINISTER)
    units = Membership.objects.filter(user=user).values_list("unit__path", flat=True)
    return any(access.covers(paths, path) for path in units)


def may_reset_two_factor(actor: Actor | None, user: User) -> bool:
    """A superuser, or an administrator of every unit the user holds a role in (never oneself).

    ``actor`` None is the command line without ``--as``: whoever runs commands on the server.
    A superuser's second factor is reset only by another superuser, and a user without any role
    only by a superuser: nobody's administrator vouches for them.
    """
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active or actor.pk == user.pk:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    if user.is_superuser:
        return False
    paths = access.scope_paths(actor, access.ADMINISTER)
    units = list(Membership.objects.filter(user=user).values_list("unit__path", flat=True))
    return bool(units) and all(access.covers(paths, path) for path in units)


def do_reset_two_factor(
    actor: Actor | None, user: User, request: HttpRequest | None = None
) -> bool:
    """Remove ``user``'s authenticator app and recovery codes, logged in the audit chain.

    For a head who lost their phone and their codes: at the next log-in they set up a new app
    (or log in with the password alone when their role does not require two-factor). Returns
    whether there was anything to remove; the reset is logged either way.
    """
    if not may_reset_two_factor(actor, user):
        raise PermissionDenied("reset two-factor")
    removed = two_factor.remove_all(user)
    security_event.send(
        None,
        user=user,
        request=request,
        actor=actor,
        actor_name="" if actor is not None else COMMAND_LINE,
        what=RESET_REASON if removed else f"{RESET_REASON} (none was set up)",
    )
    return removed
