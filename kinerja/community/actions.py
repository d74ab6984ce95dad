"""Writes to the registry that keep its rules, shared by pages, imports, the CLI and the demo.

Rules kept here: a user changes only groups of kelurahan where they hold EDIT_REGISTRY; an
activity reaches only groups its author may edit and only on days those groups existed.

A record's own rules are the form's fields and the model's validation (``Group.clean``); the
rules that need the database or the groups reached are functions here (``code_clashes``,
``date_clashes``, ``activity_problems``), each giving (field, message) pairs. ``do_save_group``
and ``do_save_activity`` refuse a record with them and the importer checks every row of a file
with the same functions, so a row is refused with the message the form shows, on the same field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.accounts import access
from kinerja.accounts.levels import CITY_LEVELS, VILLAGE_LEVELS
from kinerja.accounts.models import OrgUnit
from kinerja.db import stale

from .evidence import check_evidence
from .models import Activity, ActivityGroup, Evidence, Group, GroupKind, city_of

UserLike = User | AnonymousUser | None
FieldProblem = tuple[str, str]
"""One rule a record breaks: the field (a form field, a file column) and the message."""


def editable_units(user: UserLike) -> QuerySet[OrgUnit]:
    """Units whose registry ``user`` may change; ``None`` is the system (CLI, demo): all."""
    if user is None:
        return OrgUnit.objects.all()
    return access.units_for(user, access.EDIT_REGISTRY)


def editable_kelurahan(user: UserLike) -> QuerySet[OrgUnit]:
    return editable_units(user).filter(level__in=VILLAGE_LEVELS)


def can_edit_group(user: UserLike, group: Group) -> bool:
    return user is None or access.can(user, access.EDIT_REGISTRY, group.kelurahan)


def refusal(problems: Iterable[FieldProblem]) -> ValidationError:
    """The problems as a form shows them: each message on its field."""
    by_field: dict[str, list[str]] = {}
    for field, message in problems:
        by_field.setdefault(field, []).append(message)
    return ValidationError(by_field)


def code_clashes(
    keys: Iterable[tuple[int, str]], others: QuerySet[Group]
) -> dict[tuple[int, str], str]:
    """{(city id, code): why it is taken} for the (city id, code) ``keys`` that one of ``others``
    already holds (group codes are unique per city), in one query."""
    keys = set(keys)
    holders = others.filter(code__in={code for _city, code in keys}).select_related("kelurahan")
    return {
        (g.city_id, g.code): _("code %(code)s belongs to a group of %(unit)s")
        % {"code": g.code, "unit": g.kelurahan.name}
        for g in holders
        if (g.city_id, g.code) in keys
    }


def date_clashes(group_ids: Iterable[int]) -> dict[int, FieldProblem]:
    """{group id: (field, why)} for stored groups that an activity reached on a day outside the
    dates they existed, as stored now (one query for all)."""
    outside = (
        ActivityGroup.objects.filter(group_id__in=list(group_ids))
        .filter(
            Q(activity__date__lt=F("group__established"))
            | Q(activity__date__gt=F("group__dissolved"))
        )
        .order_by("group_id", "activity__date")
        .values_list("group_id", "activity__date", "group__established")
    )
    found: dict[int, FieldProblem] = {}
    for group_id, day, established in outside:
        if group_id not in found:
            message = _(
                "An activity on %(date)s reached this group outside the dates it existed."
            ) % {"date": day.isoformat()}
            found[group_id] = ("established" if day < established else "dissolved", message)
    return found


def do_save_group(user: UserLike, group: Group, previous_kelurahan: OrgUnit | None = None) -> Group:
    """Store a new or changed group; moving it needs edit rights on both kelurahan."""
    for unit in filter(None, [group.kelurahan, previous_kelurahan]):
        if user is not None:
            access.require(user, access.EDIT_REGISTRY, unit)
    if group.kelurahan.level not in VILLAGE_LEVELS:
        raise ValidationError({"kelurahan": _("Choose a kelurahan or desa.")})
    group.city = city_of(group.kelurahan)
    taken = code_clashes([(group.city_id, group.code)], Group.objects.exclude(pk=group.pk))
    if taken:
        raise refusal(("code", message) for message in taken.values())
    group.full_clean()
    with transaction.atomic():
        group.save()
        clash = date_clashes([group.pk]).get(group.pk)
        if clash is not None:
            raise refusal([clash])
        moved = [group.kelurahan_id, *([previous_kelurahan.pk] if previous_kelurahan else [])]
        stale.mark_units(((unit_id, None) for unit_id in moved), kind="community")
    return group


def group_date_problems(activity: Activity, groups: Iterable[Group]) -> list[str]:
    problems = []
    for g in groups:
        if activity.date < g.established:
            problems.append(
                _("%(group)s was established on %(date)s, after the activity.")
                % {"group": g, "date": g.established.isoformat()}
            )
        elif g.dissolved is not None and activity.date > g.dissolved:
            problems.append(
                _("%(group)s was dissolved on %(date)s, before the activity.")
                % {"group": g, "date": g.dissolved.isoformat()}
            )
    return problems


def activity_problems(activity: Activity, groups: Iterable[Group]) -> list[FieldProblem]:
    """What keeps ``activity`` reaching ``groups`` from being stored, without reading the
    database (the form's fields have checked each typed-in value; an import row runs the same)."""
    return [("date", message) for message in group_date_problems(activity, groups)]


def do_save_activity(
    user: UserLike,
    activity: Activity,
    groups: Sequence[Group],
    files: Sequence[UploadedFile[bytes]] = (),
    keep: Iterable[Group] = (),
) -> Activity:
    """Store an activity reaching ``groups`` (plus ``keep``: links the editor cannot see).

    The whole save is refused when a group is not editable by ``user`` or did not exist on the
    activity's day, or when an evidence file is too large or not what its name says.
    """
    kept = list(keep)
    if not groups and not kept:
        raise ValidationError(_("Choose at least one group reached by the activity."))
    if user is not None:
        allowed = set(editable_units(user).values_list("pk", flat=True))
        if any(g.kelurahan_id not in allowed for g in groups):
            raise PermissionDenied(_("You may not record activities for these groups."))
    problems = activity_problems(activity, groups)
    if problems:
        raise refusal(problems)
    types = [check_evidence(f, f.name or "", f.size or 0) for f in files]
    activity.full_clean()
    with transaction.atomic():
        # Where the stored activity counted before this change: a new date or a group taken off
        # changes the results it leaves as well as those it joins (docs/rules.md#live-results).
        before = counted_in(activity.pk)
        if activity.pk is None and isinstance(user, User):
            activity.created_by = user
        activity.save()
        wanted = {g.pk for g in [*groups, *kept]}
        ActivityGroup.objects.filter(activity=activity).exclude(group_id__in=wanted).delete()
        present = set(
            ActivityGroup.objects.filter(activity=activity).values_list("group_id", flat=True)
        )
        ActivityGroup.objects.bulk_create(
            [ActivityGroup(activity=activity, group_id=pk) for pk in sorted(wanted - present)]
        )
        for upload, content_type in zip(files, types, strict=True):
            store_evidence(user, activity, upload, content_type)
        stale.mark_units(before | counted_in(activity.pk), kind="community")
    return activity


def counted_in(activity_id: int | None) -> set[tuple[int, int]]:
    """(kelurahan id, year) of the results a stored activity counts in: the kelurahan of the
    groups it reaches, in its year, as stored (nothing for an activity not stored yet)."""
    if activity_id is None:
        return set()
    links = ActivityGroup.objects.filter(activity_id=activity_id)
    return set(links.values_list("group__kelurahan_id", "activity__date__year"))


def do_add_evidence(
    user: UserLike, activity: Activity, upload: UploadedFile[bytes], content_type: str | None = None
) -> Evidence:
    """Attach a file to an activity whose every group ``user`` may edit."""
    if not activity_editable(user, activity):
        raise PermissionDenied(_("You may not change this activity."))
    return store_evidence(user, activity, upload, content_type)


def store_evidence(
    user: UserLike, activity: Activity, upload: UploadedFile[bytes], content_type: str | None
) -> Evidence:
    """Save the file; the caller has checked that ``user`` may change the activity."""
    name = upload.name or "bukti"
    if content_type is None:
        content_type = check_evidence(upload, name, upload.size or 0)
    evidence = Evidence(
        activity=activity,
        original_name=name[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=user if isinstance(user, User) else None,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


def do_delete_activity(user: UserLike, activity: Activity) -> None:
    groups = Group.objects.filter(activity_links__activity=activity).select_related("kelurahan")
    for group in groups:
        if not can_edit_group(user, group):
            raise PermissionDenied
    files = [e.file for e in activity.evidence.all()]
    with transaction.atomic():
        stale.mark_units(counted_in(activity.pk), kind="community")
        activity.delete()
        # Files go only once the rows are gone for sure.
        transaction.on_commit(lambda: delete_files(files))


def delete_files(files: Iterable[FieldFile]) -> None:
    for f in files:
        f.delete(save=False)


def activity_editable(user: UserLike, activity: Activity) -> bool:
    """May ``user`` change this activity: every group it reaches is theirs to edit."""
    if user is None:
        return True
    allowed = set(editable_units(user).values_list("pk", flat=True))
    kelurahan = set(activity.groups.values_list("kelurahan_id", flat=True))
    return bool(kelurahan) and kelurahan <= allowed


def kind_owners(user: UserLike) -> QuerySet[OrgUnit]:
    """Units whose own group kinds ``user`` may change: a city where they keep the registry of
    the whole city (or the root of a tree without a city level, as ``city_of`` reads it)."""
    owners = OrgUnit.objects.filter(Q(level__in=CITY_LEVELS) | Q(parent__isnull=True))
    if user is None:
        return owners
    return owners.filter(pk__in=access.units_for(user, access.EDIT_REGISTRY).values("pk"))


def can_edit_kind(user: UserLike, kind: GroupKind) -> bool:
    """A city's kinds by those keeping its whole registry; the kinds every city shares (no
    city) by administrators only, as they change every city's lists
    (docs/rules.md#community-institution-kinds)."""
    if user is None:
        return True
    if kind.city is None:
        return bool(user.is_superuser)
    return access.can(user, access.EDIT_REGISTRY, kind.city)


def require_kind_editor(user: UserLike, kind: GroupKind) -> None:
    if not can_edit_kind(user, kind):
        raise PermissionDenied(_("You may not change this group kind."))


def do_save_group_kind(user: UserLike, kind: GroupKind) -> GroupKind:
    """Store a new or changed kind; moving it to another city needs rights on both."""
    require_kind_editor(user, kind)
    if kind.pk is not None:
        stored = GroupKind.objects.select_related("city").filter(pk=kind.pk).first()
        if stored is not None:
            require_kind_editor(user, stored)
    if kind.city is not None and not kind_owners(None).filter(pk=kind.city.pk).exists():
        raise ValidationError({"city": _("Group kinds belong to a city, not to a smaller unit.")})
    kind.full_clean()
    kind.save()
    return kind


def do_delete_group_kind(user: UserLike, kind: GroupKind) -> None:
    """Delete a kind no group uses (groups keep their kind: move them to another one first)."""
    require_kind_editor(user, kind)
    used = kind.groups.count()
    if used:
        raise ValidationError(
            ngettext(
                "%(n)s group is of this kind; give it another kind first.",
                "%(n)s groups are of this kind; give them another kind first.",
                used,
            )
            % {"n": used}
        )
    kind.delete()
