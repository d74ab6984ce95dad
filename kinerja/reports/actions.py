"""Writes of the reports app: the signatories of a unit and the signing dates of its
documents (docs/rules.md#signing). Each action checks who acts (``None`` is the command line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.input_checks import day_problem, text_problem

from .models import Signatory, SigningDate

NIP = re.compile(r"\d{18}")
# docs/rules.md#signing: the years in which a document of year N may be signed.
SIGNING_YEARS: dict[str, tuple[int, int]] = {
    SigningDate.Kind.PK: (-1, 0),  # early in the year, or the December before
    SigningDate.Kind.LKJIP: (1, 1),  # January–March of the year after
    SigningDate.Kind.SKM: (0, 1),
}


@dataclass(frozen=True)
class SignatoryInput:
    role: str
    name: str
    nip: str
    rank: str
    position: str
    valid_from: date
    valid_to: date | None = None


def _max_length(model: type[Signatory] | type[SigningDate], field: str) -> int | None:
    column = model._meta.get_field(field)
    assert isinstance(column, CharField)
    return column.max_length


def _text(field: str, value: str, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    max_length = _max_length(Signatory, field)
    if (problem := text_problem(value, max_length)) is not None:
        raise ValidationError({field: problem})
    return value


def _check_signatory(unit: OrgUnit, data: SignatoryInput) -> Signatory:
    if data.role not in Signatory.Role.values:
        raise ValidationError({"role": _("unknown role %(role)s") % {"role": data.role}})
    nip = data.nip.replace(" ", "").strip()
    if nip and not NIP.fullmatch(nip):
        raise ValidationError({"nip": _("a NIP has 18 digits, not %(nip)s") % {"nip": data.nip}})
    if data.role == Signatory.Role.HEAD and not nip:
        raise ValidationError({"nip": _("the head of the unit signs with a NIP")})
    if (problem := day_problem(data.valid_from)) is not None:
        raise ValidationError({"valid_from": problem})
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise ValidationError({"valid_to": _("the end date comes before the start date")})
    signatory = Signatory(
        unit=unit,
        role=data.role,
        name=_text("name", data.name),
        nip=nip,
        rank=_text("rank", data.rank, required=False),
        position=_text("position", data.position),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    for other in Signatory.objects.filter(unit=unit, role=data.role):
        ends = other.valid_to or date.max
        mine = signatory.valid_to or date.max
        if other.valid_from <= mine and signatory.valid_from <= ends:
            raise ValidationError(
                {
                    "valid_from": _(
                        "%(name)s already holds this role from %(start)s; end that period first"
                    )
                    % {"name": other.name, "start": other.valid_from.isoformat()}
                }
            )
    return signatory


def do_save_signatory(
    user: User | AnonymousUser | None, unit: OrgUnit, data: SignatoryInput
) -> Signatory:
    """Record who holds a signing role in ``unit`` from a date; periods of a role never overlap."""
    if user is not None:
        access.require(user, access.EDIT_PLAN, unit)
    with transaction.atomic():
        signatory = _check_signatory(unit, data)
        signatory.save()
    return signatory


def do_end_signatory(
    user: User | AnonymousUser | None, signatory: Signatory, last_day: date
) -> Signatory:
    """End a signatory's period (a Camat replaced mid-year) on ``last_day``."""
    if user is not None:
        access.require(user, access.EDIT_PLAN, signatory.unit)
    if last_day < signatory.valid_from:
        raise ValidationError({"valid_to": _("the end date comes before the start date")})
    signatory.valid_to = last_day
    signatory.save(update_fields=["valid_to"])
    return signatory


def do_delete_signatory(user: User | AnonymousUser | None, signatory: Signatory) -> None:
    if user is not None:
        access.require(user, access.EDIT_PLAN, signatory.unit)
    signatory.delete()


def do_save_signing_date(
    user: User | AnonymousUser | None,
    unit: OrgUnit,
    kind: str,
    year: int,
    day: date,
    place: str = "",
) -> SigningDate:
    """Record the day (and place) a document of ``year`` was signed; replaces an earlier one."""
    if user is not None:
        access.require(user, access.EDIT_PLAN, unit)
    if kind not in SIGNING_YEARS:
        raise ValidationError({"kind": _("unknown document %(kind)s") % {"kind": kind}})
    if (problem := day_problem(day)) is not None:
        raise ValidationError({"date": problem})
    low, high = SIGNING_YEARS[kind]
    if not year + low <= day.year <= year + high:
        raise ValidationError(
            {
                "date": _("a %(kind)s of %(year)d is signed from %(first)d to %(last)d")
                % {"kind": kind.upper(), "year": year, "first": year + low, "last": year + high}
            }
        )
    place = place.strip()
    if (problem := text_problem(place, _max_length(SigningDate, "place"))) is not None:
        raise ValidationError({"place": problem})
    with transaction.atomic():
        signing, _created = SigningDate.objects.update_or_create(
            unit=unit, kind=kind, year=year, defaults={"date": day, "place": place}
        )
    return signing


def do_delete_signing_date(user: User | AnonymousUser | None, signing: SigningDate) -> None:
    if user is not None:
        access.require(user, access.EDIT_PLAN, signing.unit)
    signing.delete()
