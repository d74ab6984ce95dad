"""Writes of the accounts app: API keys, roles, and an administrator's two-factor reset.

Pages, the API and commands call these and nothing else; each checks who may act itself.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from . import access, two_factor
from .apikeys import hash_key, make_key
from .cli import COMMAND_LINE
from .models import ApiKey, Membership, OrgUnit
from .signals import security_event

Actor = User | AnonymousUser
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


def is_self(actor: Actor, user: User) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.pk == user.pk)


def do_renew_recovery_codes(
    actor: Actor, user: User, request: HttpRequest | None = None
) -> list[str]:
    """New recovery codes for one's own account (the old ones stop working); shown once."""
    if not is_self(actor, user):
        raise PermissionDenied("renew recovery codes")
    codes = two_factor.new_recovery_codes(user)
    security_event.send(None, user=user, request=request, what="recovery codes renewed")
    return codes


def do_disable_two_factor(actor: Actor, user: User, request: HttpRequest | None = None) -> bool:
    """Turn off one's own two-factor log-in, unless a role requires it; returns whether it was on."""
    if not is_self(actor, user) or two_factor.required(user):
        raise PermissionDenied("disable two-factor")
    removed = two_factor.remove_all(user)
    if removed:
        security_event.send(None, user=user, request=request, what="two-factor removed")
    return removed


# -- API keys: each user makes and revokes their own ---------------------------------------------


def do_issue_api_key(
    actor: Actor, owner: User, name: str, can_write: bool, request: HttpRequest | None = None
) -> tuple[ApiKey, str]:
    """Create a key for ``owner`` (only they may); the full key is returned once, never stored."""
    if not is_self(actor, owner):
        raise PermissionDenied("issue API key")
    prefix, key = make_key()
    api_key = ApiKey.objects.create(
        user=owner, name=name, prefix=prefix, key_hash=hash_key(key), can_write=can_write
    )
    security_event.send(None, user=owner, request=request, what=f"API key {prefix} created")
    return api_key, key


def do_revoke_api_key(actor: Actor, api_key: ApiKey, request: HttpRequest | None = None) -> None:
    """The key stops working at once; only its owner revokes it."""
    if not is_self(actor, api_key.user):
        raise PermissionDenied("revoke API key")
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    security_event.send(
        None, user=api_key.user, request=request, what=f"API key {api_key.prefix} revoked"
    )


# -- roles: administrators give and take roles in the units they administer ---------------------


def do_grant_role(actor: Actor, user: User, unit: OrgUnit, role: str) -> Membership:
    """Give ``user`` ``role`` in ``unit``; the actor must administer the unit."""
    access.require(actor, access.ADMINISTER, unit)
    return Membership.objects.create(user=user, unit=unit, role=role)


def do_remove_role(actor: Actor, membership: Membership) -> None:
    access.require(actor, access.ADMINISTER, membership.unit)
    membership.delete()
