"""Writes of the reports app: issuing a document (docs/rules.md#issued-documents)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.plan.models import Plan
from kinerja.results.models import YearApproval

from . import issuing, signing
from .models import IssuedDocument, new_code
from .registry import TITLES, UnknownReport, check
from .skm_report import NoResponses

# Documents that report a year's results: issued only once the unit head approved that year.
# The IKU (the plan) and the PK (signed at the start of the year) report none.
NEEDS_APPROVED_YEAR = frozenset({"capaian", "skm"})


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
    except signing.SigningError as exc:
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
    except (signing.SigningError, NoResponses) as exc:
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
