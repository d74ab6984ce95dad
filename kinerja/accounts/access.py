"""Who may do what where: the one place pages, admin, API and imports ask.

A role is held in an org unit and reaches every unit under it, so a kelurahan operator's
membership in their kelurahan gives them that kelurahan only, and a city administrator's gives
them the whole city.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import Membership, OrgUnit, Role

VIEW = "view"
EDIT_PLAN = "edit_plan"
EDIT_REGISTRY = "edit_registry"
EDIT_SURVEY = "edit_survey"
EDIT_RESULTS = "edit_results"  # manual values, recompute
SUBMIT = "submit"  # submit a year's realisation for approval
APPROVE = "approve"
LOCK = "lock"
ADMINISTER = "administer"
EDIT_BUDGET = "edit_budget"  # budget lines (pagu, realisasi) of a unit

ACTIONS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            VIEW,
            EDIT_PLAN,
            EDIT_REGISTRY,
            EDIT_SURVEY,
            EDIT_RESULTS,
            SUBMIT,
            APPROVE,
            LOCK,
            ADMINISTER,
            EDIT_BUDGET,
        }
    ),
    Role.HEAD: frozenset({VIEW, APPROVE, LOCK}),
    # The planner locks a year once reported, an approved year only (see results and
    # docs/rules.md#year-approval-and-locks).
    Role.PLANNER: frozenset({VIEW, EDIT_PLAN, EDIT_RESULTS, SUBMIT, LOCK, EDIT_BUDGET}),
    Role.SURVEY_OFFICER: frozenset({VIEW, EDIT_SURVEY}),
    Role.REGISTRY_OFFICER: frozenset({VIEW, EDIT_REGISTRY}),
    Role.KELURAHAN_OPERATOR: frozenset({VIEW, EDIT_REGISTRY}),
    Role.VIEWER: frozenset({VIEW}),
}

UserLike = User | AnonymousUser


def signed_in(request: HttpRequest) -> User:
    """The logged-in user of a page behind ``login_required``; anyone else is refused."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def roles_for(action: str) -> list[str]:
    return [role for role, actions in ACTIONS_BY_ROLE.items() if action in actions]


def units_for(user: UserLike, action: str) -> QuerySet[OrgUnit]:
    """Every unit where ``user`` may do ``action``."""
    return units_within(scope_paths(user, action))


def units_within(paths: list[str] | None) -> QuerySet[OrgUnit]:
    """The units of a scope (``scope_paths``): the subtrees of ``paths``, None for all."""
    if paths is None:
        return OrgUnit.objects.all()
    if not paths:
        return OrgUnit.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return OrgUnit.objects.filter(q)


def can(user: UserLike, action: str, unit: OrgUnit) -> TypeGuard[User]:
    """Whether ``user`` may do ``action`` in ``unit``; only a logged-in user ever may."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    prefixes = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return Membership.objects.filter(
        user=user, role__in=roles_for(action), unit__path__in=prefixes
    ).exists()


def require(user: UserLike, action: str, unit: OrgUnit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied(action)


def scope_paths(user: UserLike, action: str) -> list[str] | None:
    """The materialised paths whose subtrees ``user`` may do ``action`` in; None means all."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return list(
        Membership.objects.filter(user=user, role__in=roles_for(action)).values_list(
            "unit__path", flat=True
        )
    )


def covers(paths: list[str] | None, unit_path: str) -> bool:
    """Whether a unit (by path) lies in the scope ``scope_paths`` returned."""
    if paths is None:
        return True
    return bool(unit_path) and any(unit_path.startswith(p) for p in paths)


@dataclass(frozen=True)
class Memberships:
    """A user's roles read once, for a page that asks several questions (one query instead of
    one per question); ``held`` None: every unit (a superuser)."""

    held: tuple[tuple[str, str], ...] | None

    @classmethod
    def of(cls, user: UserLike) -> Memberships:
        if not user.is_authenticated or not user.is_active:
            return cls(())
        if user.is_superuser:
            return cls(None)
        rows = Membership.objects.filter(user=user).values_list("unit__path", "role")
        return cls(tuple(rows))

    def paths(self, action: str) -> list[str] | None:
        """As ``scope_paths``."""
        if self.held is None:
            return None
        roles = roles_for(action)
        return [path for path, role in self.held if role in roles]

    def can(self, action: str, unit: OrgUnit) -> bool:
        """As ``can``."""
        return covers(self.paths(action), unit.path)
