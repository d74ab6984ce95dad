"""Writes that keep the plan's invariants: loading a plan file, and revising a plan.

Loading stores the checked document (kinerja.plan.planfile.write) inside one transaction, so a
failed load leaves the stored plan exactly as it was. A load or a revision is first compared with
the stored plan (kinerja.plan.diff) and refused if it would destroy what results were reported
with (docs/rules.md#plan-revisions); every stored load is kept as a PlanVersion.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import UserLike
from kinerja.db import stale
from kinerja.lib.measure_registry import MEASURES

from .chain import chain_problems
from .diff import PlanDiff, diff_plans, refused_changes
from .limits import length_problem
from .models import Plan, PlanVersion
from .planfile import (
    PlanDocument,
    PlanFileError,
    Problem,
    dump_plan,
    export_plan,
    has_errors,
    lint_plan,
    parse_plan,
    store_plan,
)
from .planfile.growth import lint_growth
from .revision import store_revision
from .signals import plan_loaded
from .units import refusals
from .versions import stored_facts


class PlanRefused(PlanFileError):
    """The file has errors, or its uploader may not store it; nothing was stored."""


@dataclass(frozen=True)
class Revision:
    """A new version in force from ``effective`` on, why, and the decree that set it."""

    effective: int
    reason: str
    decree: str = ""


def check_plan_text(text: str) -> tuple[PlanDocument | None, list[Problem]]:
    """Parse and lint; returns (document or None, every problem found)."""
    try:
        doc = parse_plan(text)
    except PlanFileError as exc:
        return None, exc.problems
    found = lint_plan(doc, MEASURES)
    # The chain's and the growth checks go before the plan's notes, which close the report.
    extra = [*chain_problems(doc), *lint_growth(doc, MEASURES)]
    notes = [p for p in found if p.severity == "note"]
    return doc, [p for p in found if p.severity != "note"] + extra + notes


def do_load_plan_text(
    text: str, user: UserLike | None = None, revision: Revision | None = None
) -> Plan:
    doc, problems = check_plan_text(text)
    if doc is None or has_errors(problems):
        raise PlanRefused([p for p in problems if p.severity == "error"])
    return do_load_plan(doc, user, revision)


def plan_diff(doc: PlanDocument, revision: Revision | None = None) -> PlanDiff:
    """What storing ``doc`` would change in the stored plan of its code (a revision: from its
    effective year on)."""
    stored = Plan.objects.filter(code=doc.code).first()
    diff = diff_plans(export_plan(stored) if stored else None, doc)
    return diff.from_year(revision.effective) if revision else diff


def revision_problems(doc: PlanDocument, revision: Revision) -> list[Problem]:
    """What is wrong with the revision itself, naming the field (nothing stored is read but the
    plan and its latest version)."""
    out: list[Problem] = []
    where = doc.code
    if not revision.reason.strip():
        out.append(Problem(_("a revision needs a reason"), where=where, field="reason"))
    too_long = length_problem(revision.reason, int(settings.KINERJA_PLAN_REVISION_REASON_MAX_CHARS))
    if too_long:
        out.append(Problem(too_long, where=where, field="reason"))
    decree_max = PlanVersion._meta.get_field("decree").max_length
    assert decree_max is not None
    too_long = length_problem(revision.decree, decree_max)
    if too_long:
        out.append(Problem(too_long, where=where, field="decree"))
    stored = Plan.objects.filter(code=doc.code).first()
    if stored is None:
        out.append(
            Problem(
                _("there is no stored plan %(code)s to revise") % {"code": doc.code},
                where=where,
                field="code",
            )
        )
        return out
    if revision.effective not in doc.period.years:
        out.append(
            Problem(
                _("%(year)s is not a year of the plan (%(start)s–%(end)s)")
                % {"year": revision.effective, "start": doc.period.start, "end": doc.period.end},
                where=where,
                field="effective",
            )
        )
    latest = PlanVersion.objects.filter(plan=stored).order_by("-number").first()
    if latest is not None and revision.effective < latest.effective_from:
        out.append(
            Problem(
                _("version %(number)s is in force from %(year)s: a revision cannot start before it")
                % {"number": latest.number, "year": latest.effective_from},
                where=where,
                field="effective",
            )
        )
    return out


def load_refusals(doc: PlanDocument, revision: Revision | None) -> list[Problem]:
    """Every reason the load (or revision) of ``doc`` is refused; empty when it may be stored."""
    problems = revision_problems(doc, revision) if revision else []
    if problems:
        return problems
    stored = Plan.objects.filter(code=doc.code).first()
    diff = plan_diff(doc, revision)
    reasons = refused_changes(diff, stored_facts(stored), revision.effective if revision else None)
    field = "effective" if revision else "indicators"
    return [Problem(r, where=doc.code, field=field) for r in reasons]


@transaction.atomic
def do_load_plan(
    doc: PlanDocument, user: UserLike | None = None, revision: Revision | None = None
) -> Plan:
    """Store a checked document as ``user`` (None: the command line, with full rights); with
    ``revision``, as a new version in force from its effective year.

    Refused, with nothing stored, when the file would create or change units the user does not
    administer, take a plan code that belongs to another unit (see kinerja.plan.units), or change
    what stored results were reported with (see load_refusals).
    """
    refused = refusals(doc, user)
    # Checked again under the transaction: the stored plans may have changed since the check.
    refused += [p for p in chain_problems(doc) if p.severity == "error"]
    if refused:
        raise PlanRefused(refused)
    # Lock the stored plan row so a concurrent load cannot slip between the check and the store.
    stored = Plan.objects.select_for_update().filter(code=doc.code).first()
    refused = load_refusals(doc, revision)
    if refused:
        raise PlanRefused(refused)
    diff = plan_diff(doc, revision)
    latest = PlanVersion.objects.filter(plan=stored).order_by("-number").first() if stored else None
    if stored is not None and latest is None:
        # A plan stored before versions were kept: what it holds becomes version 1.
        latest = record_version(stored, export_plan(stored), PlanDiff(), 1, stored.start_year)
    plan = store_revision(doc, revision.effective) if revision else store_plan(doc)
    plan_loaded.send(sender=Plan, plan=plan, document=doc, user=user)
    # Definitions, targets or units may have changed: every stored result of the plan is stale.
    stale.mark_plan(plan)
    if revision is None and latest is not None and latest.text == dump_plan(doc):
        return plan  # the same file again: no new version
    record_version(
        plan,
        doc,
        diff,
        (latest.number + 1) if latest else 1,
        revision.effective if revision else (latest.effective_from if latest else plan.start_year),
        revision,
        user,
    )
    return plan


def record_version(
    plan: Plan,
    doc: PlanDocument,
    diff: PlanDiff,
    number: int,
    effective: int,
    revision: Revision | None = None,
    user: UserLike | None = None,
) -> PlanVersion:
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        effective_from=effective,
        reason=revision.reason.strip() if revision else "",
        decree=revision.decree.strip() if revision else "",
        created_by=user if isinstance(user, User) else None,
        created_at=timezone.now(),
        text=dump_plan(doc),
        summary=diff.summary(),
        changes=diff.as_json(),
    )
