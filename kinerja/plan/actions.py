"""Writes that keep the plan's invariants: loading a plan file.

Loading stores the checked document (kinerja.plan.planfile.write) inside one transaction, so a
failed load leaves the stored plan exactly as it was.
"""

from __future__ import annotations

from django.db import transaction

from kinerja.accounts.access import UserLike
from kinerja.lib.measure_registry import MEASURES

from .models import Plan
from .planfile import (
    PlanDocument,
    PlanFileError,
    Problem,
    has_errors,
    lint_plan,
    parse_plan,
    store_plan,
)
from .signals import plan_loaded
from .units import refusals


class PlanRefused(PlanFileError):
    """The file has errors, or its uploader may not store it; nothing was stored."""


def check_plan_text(text: str) -> tuple[PlanDocument | None, list[Problem]]:
    """Parse and lint; returns (document or None, every problem found)."""
    try:
        doc = parse_plan(text)
    except PlanFileError as exc:
        return None, exc.problems
    return doc, lint_plan(doc, MEASURES)


def do_load_plan_text(text: str, user: UserLike | None = None) -> Plan:
    doc, problems = check_plan_text(text)
    if doc is None or has_errors(problems):
        raise PlanRefused([p for p in problems if p.severity == "error"])
    return do_load_plan(doc, user)


@transaction.atomic
def do_load_plan(doc: PlanDocument, user: UserLike | None = None) -> Plan:
    """Store a checked document as ``user`` (None: the command line, with full rights).

    Refused, with nothing stored, when the file would create or change units the user does not
    administer, or take a plan code that belongs to another unit (see kinerja.plan.units).
    """
    refused = refusals(doc, user)
    if refused:
        raise PlanRefused(refused)
    plan = store_plan(doc)
    plan_loaded.send(sender=Plan, plan=plan, document=doc, user=user)
    return plan
