"""Writes of the reports app: issuing a document (docs/rules.md#issued-documents), the
signatories of a unit and the signing dates of its documents (docs/rules.md#signing). Each action
checks who acts (``None`` is the command line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import CharField, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.input_checks import day_problem, text_problem
from kinerja.plan.models import Plan
from kinerja.plan.versions import indicators_of
from kinerja.results.models import YearApproval

from . import esign, issuing, pk
from .models import IssuedDocument, LkjipNarrative, PkVersion, Signatory, SigningDate, new_code
from .registry import TITLES, UnknownReport, check
from .skm_report import NoResponses

# Documents that report a year's results: issued only once the unit head approved that year.
# The IKU (the plan) and the PK (signed at the start of the year) report none.
NEEDS_APPROVED_YEAR = frozenset({"capaian", "skm", "lkjip"})


def check_issuable(plan: Plan, kind: str, year: int) -> None:
    """Refuse, with the reason, a document whose year's results are not approved."""
    if kind not in NEEDS_APPROVED_YEAR:
        return
    approval = YearApproval.objects.filter(plan=plan, year=year).first()
    if approval is not None and approval.status == YearApproval.State.APPROVED:
        return
    state = (
        approval.get_status_display() if approval is not None else _("not submitted for approval")
    )
    raise ValidationError(
        _(
            "%(title)s %(year)s cannot be issued: the realisation of %(year)s in plan %(plan)s "
            "is not approved by the unit head (status: %(state)s). Submit and approve the year "
            "first."
        )
        % {"title": TITLES[kind], "year": year, "plan": plan.code, "state": state}
    )


def do_issue_document(
    user: User | None, plan: Plan, kind: str, year: int, base_url: str = ""
) -> IssuedDocument:
    """Freeze the PDF of ``kind`` for ``plan`` and ``year`` as the next version.

    ``base_url`` is the site's public address the QR code points to (KINERJA_PUBLIC_URL wins
    when set). ``user`` None is the command line without ``--as``.
    """
    if user is not None and not access.can(user, access.LOCK, plan.unit):
        raise PermissionDenied(access.LOCK)
    try:
        check(kind, "pdf")
    except UnknownReport as exc:
        raise ValidationError(str(exc)) from exc
    check_issuable(plan, kind, year)
    base = settings.KINERJA_PUBLIC_URL or base_url
    if not base:
        raise ValidationError(
            _(
                "Set KINERJA_PUBLIC_URL (the site's public address): an issued document prints "
                "the address of its verification page."
            )
        )
    try:
        signer = issuing.signer_name()
    except esign.SigningError as exc:
        raise ValidationError(str(exc)) from exc
    # Two people issuing the same document at once: the later one takes the next version.
    for _attempt in range(3):
        try:
            return _store(user, plan, kind, year, base, signer)
        except IntegrityError:
            continue
    raise ValidationError(_("The document is being issued by someone else; try again."))


def _store(
    user: User | None, plan: Plan, kind: str, year: int, base: str, signer: str
) -> IssuedDocument:
    latest = IssuedDocument.objects.filter(plan=plan, kind=kind, year=year).aggregate(
        v=Max("version")
    )["v"]
    version = (latest or 0) + 1
    number = issuing.document_number(kind, plan.unit.code, year, version)
    code = new_code()
    mark = issuing.mark_for(number, version, base, code)
    try:
        content = issuing.issued_pdf(kind, plan, year, mark)
    except (esign.SigningError, NoResponses, issuing.Draft) as exc:
        raise ValidationError(str(exc)) from exc
    document = IssuedDocument(
        plan=plan,
        unit=plan.unit,
        kind=kind,
        year=year,
        version=version,
        number=number,
        code=code,
        title=str(TITLES[kind]),
        size=len(content),
        sha256=issuing.sha256(content),
        signed_by=signer,
        issued_by=user,
        issued_by_name=(user.get_full_name() or user.username) if user else _("the command line"),
        issued_at=timezone.now(),
    )
    filename = f"{kind}-{plan.unit.code}-{year}-v{version}.pdf"
    document.file.save(filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.delete(save=False)  # the row was not stored: leave no orphan file
        raise
    return document


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
    others = Signatory.objects.filter(unit=unit, role=data.role)
    if data.role == Signatory.Role.OFFICER:
        # officers hold different positions at once; one position has one holder at a time
        others = others.filter(position__iexact=signatory.position)
    for other in others:
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


UNIT_NARRATIVES = frozenset(
    {LkjipNarrative.Kind.ORGANISATION, LkjipNarrative.Kind.STRATEGIC_ISSUES}
)


def do_save_lkjip_narrative(
    user: User | AnonymousUser | None,
    unit: OrgUnit,
    year: int,
    kind: str,
    text: str,
    indicator_code: str = "",
) -> LkjipNarrative | None:
    """Store what staff wrote for the LKjIP of ``year`` (docs/rules.md#lkjip): an analysis of
    an indicator (causes, programs) or a part of chapter I about the unit (organisation,
    strategic issues). Empty text removes the narrative, so the document prints
    "analisis belum diisi" again."""
    if user is not None:
        access.require(user, access.EDIT_PLAN, unit)
    if kind not in LkjipNarrative.Kind.values:
        raise ValidationError({"kind": _("unknown narrative %(kind)s") % {"kind": kind}})
    indicator_code = indicator_code.strip()
    if (kind in UNIT_NARRATIVES) != (indicator_code == ""):
        raise ValidationError(
            {
                "indicator_code": _("a %(kind)s narrative is about the unit, not an indicator")
                % {"kind": kind}
                if kind in UNIT_NARRATIVES
                else _("a %(kind)s narrative needs the indicator's code") % {"kind": kind}
            }
        )
    text = text.strip()
    if (problem := text_problem(text, settings.KINERJA_LKJIP_NARRATIVE_MAX_CHARS)) is not None:
        raise ValidationError({"text": problem})
    if (problem := text_problem(indicator_code, 40)) is not None:
        raise ValidationError({"indicator_code": problem})
    key: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "kind": kind,
        "indicator_code": indicator_code,
    }
    author = user if isinstance(user, User) else None
    with transaction.atomic():
        narrative = LkjipNarrative.objects.select_for_update().filter(**key).first()
        if narrative is None and not text:
            return None
        narrative = narrative or LkjipNarrative(**key)
        # Read by django-simple-history: the audit log names who wrote or removed the text,
        # also from a command (None: the command line).
        narrative._history_user = author  # type: ignore[attr-defined]
        if not text:
            narrative.delete()
            return None
        narrative.text, narrative.updated_by = text, author
        narrative.save()
    return narrative


def do_save_pk_version(
    user: User | AnonymousUser | None,
    plan: Plan,
    year: int,
    level: str,
    officer: str,
    day: date,
    reason: str = "",
) -> PkVersion:
    """Store the PK of ``level`` (and ``officer``) for ``year`` as agreed on ``day``, its annex
    from the current plan and budget (docs/rules.md#pk-per-level): the first version is the
    original, every later one a PK Perubahan that states its reason. Earlier versions are kept."""
    if user is not None:
        access.require(user, access.EDIT_PLAN, plan.unit)
    pk.check_request(plan, level, officer)
    plan = pk.plan_for(plan, year)
    officer = officer.strip() if level == pk.KASI else ""
    if (problem := day_problem(day)) is not None:
        raise ValidationError({"date": problem})
    low, high = SIGNING_YEARS[SigningDate.Kind.PK]
    if not year + low <= day.year <= year + high:
        raise ValidationError(
            {
                "date": _("a PK of %(year)d is signed from %(first)d to %(last)d")
                % {"year": year, "first": year + low, "last": year + high}
            }
        )
    reason = reason.strip()
    if (problem := text_problem(reason, settings.KINERJA_PK_REASON_MAX_CHARS)) is not None:
        raise ValidationError({"reason": problem})
    with transaction.atomic():
        last = pk.latest_version(plan, year, level, officer)
        if last is not None and not reason:
            raise ValidationError({"reason": _("a PK Perubahan states its reason")})
        if last is not None and day < last.date:
            raise ValidationError(
                {
                    "date": _("version %(version)d is dated %(date)s: a change comes after it")
                    % {"version": last.version, "date": last.date.isoformat()}
                }
            )
        annex = pk.live_annex(plan, year, level, officer, indicators_of(plan, year))
        return PkVersion.objects.create(
            plan=plan,
            year=year,
            level=level,
            officer=officer,
            version=last.version + 1 if last is not None else 1,
            reason=reason,
            date=day,
            annex=annex,
        )
