"""Writes that keep the survey's invariants, used alike by the public form, paper entry, the
CLI, imports and the demo: every response insert or delete updates the daily rollup in the same
transaction, and an idempotency key makes a replayed submission store nothing twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.access import UserLike
from kinerja.accounts.models import OrgUnit
from kinerja.audit.tracked import ask_for_history, record_as_stored
from kinerja.db import responses as db_responses
from kinerja.db import stale
from kinerja.lib.evidence import evidence_type

from . import links, published, rollup
from .models import (
    CODES,
    SCORE_FIELDS,
    FollowUp,
    PublishedIkm,
    ReceiptCode,
    Response,
    Service,
    ServiceSlug,
    ServiceVolume,
)

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NOON = 12
PUBLIC_CHANNELS = frozenset({Response.Channel.ONLINE, Response.Channel.KIOSK})
# What a correction of a paper form may change: what is written on the paper.
CORRECTABLE = ("submitted_at", "day", "session", "gender", "age", "education", "occupation",
               "suggestion", *SCORE_FIELDS)  # fmt: skip


class SurveyRefused(Exception):
    """A submission the rules refuse (e.g. a used receipt code); the message is for the user."""


@dataclass(frozen=True)
class Answer:
    """One respondent's answers, validated by a form or the CSV reader."""

    scores: Mapping[str, int]  # "U1" … "U9" → 1–4
    gender: str = ""
    age: int | None = None
    education: str = ""
    occupation: str = ""
    suggestion: str = ""


def require_survey_editor(user: UserLike | None, unit: OrgUnit) -> None:
    """``user`` None is the system (a command, the demo): full rights."""
    if user is not None:
        access.require(user, access.EDIT_SURVEY, unit)


def aware(moment: datetime) -> datetime:
    """Naive times (CSV dates, paper forms) are read as office time, Asia/Jakarta."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def paper_time(day: date, session: str) -> datetime:
    """When a paper form of ``day`` and ``session`` counts as submitted: 09:00 or 13:00 office
    time (a paper form names only its morning or afternoon)."""
    hour = 9 if session == Response.Session.MORNING else 13
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build_response(
    service: Service,
    answer: Answer,
    *,
    submitted_at: datetime,
    channel: str,
    idempotency_key: str | None = None,
    batch_id: int | None = None,
) -> Response:
    """An unsaved response with its denormalised unit, day and session filled in."""
    moment = aware(submitted_at)
    local = timezone.localtime(moment)
    return Response(
        service=service,
        unit_id=service.unit_id,
        submitted_at=moment,
        day=local.date(),
        session=Response.Session.MORNING if local.hour < NOON else Response.Session.AFTERNOON,
        channel=channel,
        gender=answer.gender or "",
        age=answer.age,
        education=answer.education or "",
        occupation=answer.occupation or "",
        suggestion=answer.suggestion,
        idempotency_key=idempotency_key,
        batch_id=batch_id,
        **{field: answer.scores[code] for field, code in zip(SCORE_FIELDS, CODES, strict=True)},
    )


def do_submit_response(
    service: Service,
    answer: Answer,
    *,
    channel: str,
    idempotency_key: str | None = None,
    submitted_at: datetime | None = None,
    receipt_code: str | None = None,
    user: UserLike | None = None,
) -> tuple[Response, bool]:
    """Store one response; returns (response, created).

    A key already used returns the stored response and ``created`` False: a double-tap or a
    replayed POST stores exactly one response. In receipt-code mode the code is spent in the
    same transaction, so a refused code leaves nothing behind.

    Citizens answer anonymously through the public form and the office kiosk; paper entry and
    imports need ``user`` to edit the service's surveys.
    """
    if channel not in PUBLIC_CHANNELS:
        require_survey_editor(user, service.unit)
    response = build_response(
        service,
        answer,
        submitted_at=submitted_at or timezone.now(),
        channel=channel,
        idempotency_key=idempotency_key,
    )
    # On the hot path of the public form every statement counts: no look-up first and no
    # savepoint, the INSERT itself skips a replay (kinerja/db/responses.py). Only a receipt
    # code needs a savepoint: a refused code takes the response back, the caller goes on.
    with transaction.atomic(savepoint=service.receipt_codes_required):
        created = db_responses.insert_response(response)
        if created:
            if service.receipt_codes_required:
                spend_receipt_code(service, receipt_code or "")
            rollup.add_responses([response])
    if not created:
        return Response.stored.get(idempotency_key=idempotency_key), False
    return response, True


def normalise_code(text: str) -> str:
    return "".join(text.split()).upper().replace("-", "")


def receipt_code_usable(service: Service, code: str) -> bool:
    return ReceiptCode.objects.filter(
        service=service, code=normalise_code(code), used_at__isnull=True
    ).exists()


def spend_receipt_code(service: Service, code: str) -> None:
    """Mark a code used; one UPDATE guarded by ``used_at IS NULL``, so only one use wins."""
    spent = ReceiptCode.objects.filter(
        service=service, code=normalise_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not spent:
        raise SurveyRefused(_("This survey code is not valid or has already been used."))


def do_issue_receipt_codes(
    service: Service, count: int, user: UserLike | None = None
) -> list[ReceiptCode]:
    """Create ``count`` fresh single-use codes (8 characters, unambiguous letters)."""
    require_survey_editor(user, service.unit)
    if not 1 <= count <= 1000:
        raise SurveyRefused(_("Issue between 1 and 1000 codes at a time."))
    created: list[ReceiptCode] = []
    with transaction.atomic():
        while len(created) < count:
            code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
            try:
                with transaction.atomic():
                    created.append(ReceiptCode.objects.create(service=service, code=code))
            except IntegrityError:  # pragma: no cover - 31⁸ codes: a clash is astronomically rare
                continue
    return created


def do_correct_response(
    user: UserLike | None,
    response: Response,
    answer: Answer,
    *,
    submitted_on: date | None = None,
    session: str | None = None,
    reason: str = "",
) -> Response:
    """Correct a paper form typed in by staff: its answers, profile, suggestion, and the date
    and session written on it. The rollup follows in the same transaction, and the change is
    kept in the history with who made it, when and why, after the form as first stored
    (audit/tracked.py). A citizen's own answer (online, kiosk) or an imported row is not
    corrected here: the first is theirs, the second is corrected in its file.
    """
    require_survey_editor(user, response.service.unit)
    if response.channel != Response.Channel.PAPER:
        raise SurveyRefused(_("Only paper forms typed in here can be corrected."))
    with transaction.atomic():
        stored = Response.objects.select_for_update().select_related("service").get(pk=response.pk)
        record_as_stored(stored, stored.created_at)
        rollup.add_responses([stored], sign=-1)
        moment = timezone.localtime(stored.submitted_at)
        if submitted_on is not None or session is not None:
            moment = paper_time(submitted_on or moment.date(), session or stored.session)
        corrected = build_response(
            stored.service, answer, submitted_at=moment, channel=stored.channel
        )
        for name in CORRECTABLE:
            if getattr(stored, name) != getattr(corrected, name):
                setattr(stored, name, getattr(corrected, name))
        ask_for_history(stored, user, reason)
        stored.save()
        rollup.add_responses([stored])
    return stored


def do_delete_response(response: Response, user: UserLike | None = None) -> None:
    require_survey_editor(user, response.service.unit)
    with transaction.atomic():
        rollup.add_responses([response], sign=-1)
        response.delete()


def do_save_service(
    unit: OrgUnit,
    *,
    code: str,
    name: str,
    active: bool = True,
    receipt_codes_required: bool = False,
    yearly_users: Mapping[int, int] | None = None,
    service: Service | None = None,
    slug: str | None = None,
    user: UserLike | None = None,
) -> Service:
    """Create or update a service with its yearly users (years absent are left as they are).

    ``slug`` is its public link code: a new service without one gets one made from its name.
    A changed code keeps the old one leading to the service (``ServiceSlug``); a malformed
    code, or one another service has or had, raises ``links.SlugRefused`` naming it and
    stores nothing."""
    require_survey_editor(user, unit)
    if service is not None and service.unit_id != unit.pk:
        require_survey_editor(user, service.unit)
    with transaction.atomic():
        if service is None:
            service = Service(unit=unit)
            service.slug = (
                links.checked_slug(slug, service) if slug else links.unique_slug_for(name)
            )
        elif slug and slug.strip().lower() != service.slug:
            _change_slug(service, links.checked_slug(slug, service))
        service.code = code
        service.name = name
        service.active = active
        service.receipt_codes_required = receipt_codes_required
        try:
            with transaction.atomic():
                service.save()
        except IntegrityError:
            links.checked_slug(service.slug, service)  # taken meanwhile: refused, naming it
            raise
        for year, users in (yearly_users or {}).items():
            ServiceVolume.objects.update_or_create(
                service=service, year=year, defaults={"users": users}
            )
    return service


def _change_slug(service: Service, slug: str) -> None:
    """Give ``service`` a new link code; its current one (already saved) will redirect."""
    ServiceSlug.objects.filter(service=service, slug=slug).delete()  # taking one back
    ServiceSlug.objects.get_or_create(service=service, slug=service.slug)
    service.slug = slug


def do_save_followup(
    unit: OrgUnit,
    period: str,
    *,
    element: str,
    action: str,
    owner: str,
    deadline: date | None,
    status: str,
    followup: FollowUp | None = None,
    user: UserLike | None = None,
) -> FollowUp:
    require_survey_editor(user, unit)
    if element not in CODES:
        raise SurveyRefused(_("Unknown element %(code)s.") % {"code": element})
    followup = followup or FollowUp(unit=unit, period=period)
    followup.element = element
    followup.action = action
    followup.owner = owner
    followup.deadline = deadline
    followup.status = status
    followup.save()
    return followup


# simple-history keeps a change reason of at most 100 characters; the whole reason is in the row.
REASON_LENGTH = 100


def acting(user: UserLike | None) -> UserLike | None:
    """The user a row and its history name: none for a command without ``--as``."""
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def do_record_published_ikm(
    unit: OrgUnit,
    year: int,
    *,
    value: Decimal,
    grade: str,
    method: str,
    document_title: str,
    document_number: str = "",
    evidence: File[bytes] | None = None,
    user: UserLike | None = None,
) -> PublishedIkm:
    """Record, or correct, the IKM ``unit`` published for ``year`` with the published document
    as evidence (docs/rules.md#ikm-published-values).

    A new record needs the document; a correction may keep the stored one (a replaced document
    stays in storage: the row's history names it). A new record is in force; whether it stays so
    is a decision of its own, with a reason (``do_decide_published_ikm``).
    """
    require_survey_editor(user, unit)
    published.check_published(year, value, grade, method)
    row = PublishedIkm.objects.select_for_update().filter(unit=unit, year=year).first()
    if row is None:
        row = PublishedIkm(unit=unit, year=year)
        if evidence is None:
            raise ValidationError({"evidence": _("Attach the published document.")})
    row.value, row.grade, row.method = value, grade, method
    row.document_title, row.document_number = document_title.strip(), document_number.strip()
    row.entered_by = acting(user)  # type: ignore[assignment]
    row.entered_at = timezone.now()
    if evidence is not None:
        row.evidence_type = evidence_type(evidence, evidence.size)
        row.evidence.save(evidence.name or "dokumen", evidence, save=False)
    row.full_clean()  # the columns' lengths, also for a command
    row._history_user = acting(user)  # type: ignore[attr-defined]
    row.save()
    # A published value stands in for the answers: that year's results are out of date.
    stale.mark_units([(row.unit_id, row.year)], kind="surveys")
    return row


def answered_in(unit: OrgUnit, year: int) -> int:
    """How many answers of ``year`` the unit's subtree has."""
    start, end = published.year_span(year)
    return rollup.tally_for(unit, start, end).respondents


@transaction.atomic
def do_decide_published_ikm(
    record: PublishedIkm, *, use_answers: bool, reason: str, user: UserLike | None = None
) -> PublishedIkm:
    """Decide whether the year's IKM of the record's unit is its answers (``use_answers``) or
    the published value, for the reason given; the row's history and the audit log keep who
    decided, when and why (docs/rules.md#ikm-published-values)."""
    require_survey_editor(user, record.unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for this decision."))
    row = PublishedIkm.objects.select_for_update().select_related("unit").get(pk=record.pk)
    if row.in_force != use_answers:
        already = (
            _("The IKM of %(year)s already uses the answers.")
            if use_answers
            else _("The IKM of %(year)s already uses the published value.")
        )
        raise ValidationError(already % {"year": row.year})
    if use_answers and not answered_in(row.unit, row.year):
        raise ValidationError(
            _("%(unit)s has no answers of %(year)s: the published value stays in use.")
            % {"unit": row.unit, "year": row.year}
        )
    row.in_force = not use_answers
    row.decision_reason = reason
    row._change_reason = reason[:REASON_LENGTH]  # type: ignore[attr-defined]
    row._history_user = acting(user)  # type: ignore[attr-defined]
    row.save()
    # A published value stands in for the answers: that year's results are out of date.
    stale.mark_units([(row.unit_id, row.year)], kind="surveys")
    return row


def bulk_store(responses: Sequence[Response]) -> int:
    """Insert prepared responses and their rollup in the caller's transaction."""
    Response.objects.bulk_create(responses, batch_size=1000)
    rollup.add_responses(responses)
    return len(responses)
