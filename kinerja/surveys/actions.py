"""Writes that keep the survey's invariants, used alike by the public form, paper entry, the
CLI, imports and the demo: every response insert or delete updates the daily rollup in the same
transaction, and an idempotency key makes a replayed submission store nothing twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.access import UserLike
from kinerja.accounts.models import OrgUnit
from kinerja.audit.tracked import ask_for_history, record_as_stored

from . import rollup
from .models import CODES, SCORE_FIELDS, FollowUp, ReceiptCode, Response, Service, ServiceVolume

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
    # No look-up first: the unique key refuses a replay, and then nothing of this
    # transaction is kept (on the hot path of the public form every statement counts).
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            if service.receipt_codes_required:
                spend_receipt_code(service, receipt_code or "")
            rollup.add_responses([response])
    except IntegrityError:
        existing = (
            Response.objects.filter(idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if existing is None:
            raise
        return existing, False
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
    user: UserLike | None = None,
) -> Service:
    """Create or update a service with its yearly users (years absent are left as they are)."""
    require_survey_editor(user, unit)
    if service is not None and service.unit_id != unit.pk:
        require_survey_editor(user, service.unit)
    with transaction.atomic():
        if service is None:
            service = Service(unit=unit)
        service.code = code
        service.name = name
        service.active = active
        service.receipt_codes_required = receipt_codes_required
        service.save()
        for year, users in (yearly_users or {}).items():
            ServiceVolume.objects.update_or_create(
                service=service, year=year, defaults={"users": users}
            )
    return service


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


def bulk_store(responses: Sequence[Response]) -> int:
    """Insert prepared responses and their rollup in the caller's transaction."""
    Response.objects.bulk_create(responses, batch_size=1000)
    rollup.add_responses(responses)
    return len(responses)
