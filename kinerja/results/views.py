"""Results pages: dashboard, drill-down, recompute, manual values, quarters, year approval and
locks.

Views are thin: they check access, call queries (reading) or actions (writing) and render.
No page computes an indicator; the recompute button is a POST that runs the action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.evidence import evidence_response
from kinerja.plan.chain import in_force_among
from kinerja.plan.explanation import to_html
from kinerja.plan.lookups import get_plan_or_404
from kinerja.plan.models import Plan
from kinerja.results.lookups import get_year_or_404
from kinerja_core.periods import Period

from .actions import (
    STEPS,
    do_apply_pending,
    do_approve_year,
    do_lock_year,
    do_recompute,
    do_return_year,
    do_save_manual_value,
    do_submit_year,
    plan_years,
    self_approval_refused,
)
from .dashboard import Card, dashboard_data, live_cards
from .default_year import current_year, plan_default_year
from .drilldown import input_rows
from .forms import ApplyForm, ApprovalNoteForm, ManualValueForm
from .live import worker_silence
from .models import ManualValue, PendingChange, Result, ResultChange, YearApproval, YearLock
from .quarterly import PageReads, quarterly_data, remember_reads
from .queries import bands_of
from .recompute_lock import RecomputeBusy
from .templatetags.result_cells import CellWriter


def visible_plans(
    request: HttpRequest, memberships: access.Memberships | None = None
) -> QuerySet[Plan]:
    paths = (memberships or access.Memberships.of(request.user)).paths(access.VIEW)
    return Plan.objects.filter(unit__in=access.units_within(paths)).select_related("unit")


def chosen_plan(
    request: HttpRequest, memberships: access.Memberships | None = None
) -> tuple[list[Plan], Plan | None]:
    """The plans the user may see, and the one asked for by ?plan= (default: the first unit's
    plan in force this year, else its first)."""
    plans = list(visible_plans(request, memberships).order_by("unit__path", "code"))
    code = request.GET.get("plan")
    asked = next((p for p in plans if p.code == code), None)
    if asked is not None or not plans:
        return plans, asked
    first = [p for p in plans if p.unit_id == plans[0].unit_id]
    return plans, in_force_among(first, timezone.localdate().year) or plans[0]


def asked_year(request: HttpRequest, plan: Plan) -> int | None:
    """The year of ?year= when it is one of the plan's."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in plan_years(plan) else None


def chosen_year(request: HttpRequest, plan: Plan, unit: OrgUnit | None = None) -> int:
    asked = asked_year(request, plan)
    return asked if asked is not None else plan_default_year(plan, unit)


def chosen_unit(request: HttpRequest, plan: Plan) -> OrgUnit:
    code = request.GET.get("unit")
    if not code or code == plan.unit.code:
        return plan.unit
    unit = OrgUnit.objects.filter(code=code, path__startswith=plan.unit.path).first()
    if unit is None:
        raise Http404
    return unit


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # The roles, the plans and the plan's reads serve the page and its header's early warnings.
    memberships = access.Memberships.of(request.user)
    plans, plan = chosen_plan(request, memberships)
    if plan is None:
        return render(request, "results/dashboard.html", {"plans": []})
    unit = chosen_unit(request, plan)
    asked = asked_year(request, plan)
    year = asked if asked is not None else plan_default_year(plan)
    data = dashboard_data(plan, unit, year, current_year(plan, year if asked is None else None))
    remember_reads(request, PageReads(plans, {plan.pk: data.pop("current_quarters")}))
    context: dict[str, Any] = {
        "plans": plans,
        "plan": plan,
        "unit": unit,
        "year": year,
        "plan_years": plan_years(plan),
        "can_recompute": memberships.can(access.EDIT_RESULTS, plan.unit),
        "live_poll_seconds": settings.KINERJA_LIVE_POLL_SECONDS,
        # Results that wait for a worker nobody runs say so, and how to start it.
        "worker_silence": worker_silence() if data["updating"] else None,
        **data,
    }
    return render(request, "results/dashboard.html", context)


@login_required
def live_status(request: HttpRequest) -> JsonResponse:
    """The dashboard's cards as its script updates them in place while their results are being
    recomputed (docs/rules.md#live-results): per card the stale flag, the "diperbarui" line, the
    value and achievement as printed, and the card's figures written as the page writes them
    (``CellWriter.figures``).

    Who may see what is the dashboard's rule: the plan among the user's visible plans (named, as
    the page's script always names it; any other is not found, as a unit outside the plan is on
    the page), the unit under the plan's unit, the year one of the plan's.
    """
    plan = visible_plans(request).filter(code=request.GET.get("plan", "")).first()
    if plan is None:
        raise Http404
    unit = chosen_unit(request, plan)
    year = chosen_year(request, plan)
    cards = live_cards(plan, unit, year)
    out = CellWriter()

    def shown(card: Card) -> dict[str, Any]:
        cell = card.cell
        return {
            "code": cell.indicator.code,
            "stale": card.stale,
            "state": card.state,
            "updated": _("updated %(time)s") % {"time": card.updated} if card.updated else "",
            "value": out.value_text(cell),
            "achievement": out.achievement_text(cell),
            "html": out.figures(card, plan.unit),
        }

    return JsonResponse(
        {
            "plan": plan.code,
            "unit": unit.code,
            "year": year,
            "updating": any(card.stale for card in cards),
            "cards": [shown(card) for card in cards],
        }
    )


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(
        Result.objects.select_related("plan", "indicator", "unit", "plan__unit"), pk=pk
    )
    access.require(request.user, access.VIEW, result.unit)
    context = {
        "result": result,
        "plan": result.plan,
        "indicator": result.indicator,
        "explanation": to_html(result.indicator.explanation),
        "rows": input_rows(result),
        "band": bands_of(result.plan).get(result.status),
        "locked": YearLock.objects.filter(plan=result.plan, year=result.year).first(),
    }
    return render(request, "results/result_detail.html", context)


@login_required
@require_POST
def recompute(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code, access.EDIT_RESULTS)
    try:
        summary = do_recompute(plan, user=request.user)
    except RecomputeBusy as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Results recomputed: %(summary)s") % {"summary": summary})
    target = request.POST.get("next") or reverse("home")
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("home")
    return redirect(target)


@login_required
def manual_values(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    editable = access.units_for(request.user, access.EDIT_RESULTS).filter(
        path__startswith=plan.unit.path
    )
    can_edit = bool(plan.manual_measures) and editable.exists()
    form = None
    if can_edit:
        form = ManualValueForm(plan, editable, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                do_save_manual_value(
                    plan,
                    data["name"],
                    data["unit"],
                    Period.parse(data["period"]),
                    data["value"],
                    request.user,
                    data["note"],
                    data["evidence"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Value saved. Recompute the results to show it on the dashboard."),
                )
                return redirect("results:manual", code=plan.code)
    elif request.method == "POST":
        raise PermissionDenied
    values = (
        ManualValue.objects.filter(plan=plan)
        .filter(unit__in=access.units_for(request.user, access.VIEW))
        .select_related("unit", "entered_by")
    )
    labels = {m["name"]: m.get("label") or m["name"] for m in plan.manual_measures}
    context = {
        "plan": plan,
        "form": form,
        "values": [(v, labels.get(v.name, v.name)) for v in values],
        "can_recompute": access.can(request.user, access.EDIT_RESULTS, plan.unit),
    }
    return render(request, "results/manual_values.html", context)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    value = get_object_or_404(ManualValue.objects.select_related("unit"), pk=pk)
    access.require(request.user, access.VIEW, value.unit)
    return evidence_response(value.evidence, value.evidence_type)


@login_required
def quarterly(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    unit = chosen_unit(request, plan)
    access.require(request.user, access.VIEW, unit)
    year = chosen_year(request, plan)
    context = {
        "plan": plan,
        "unit": unit,
        "year": year,
        "plan_years": plan.years,
        **quarterly_data(plan, unit, year),
    }
    return render(request, "results/quarterly.html", context)


def approval_rights(request: HttpRequest, plan: Plan) -> dict[str, bool]:
    """Which of the approval and lock actions the user may do on the plan's unit."""
    return {
        action: access.can(request.user, action, plan.unit)
        for action in (access.SUBMIT, access.APPROVE, access.LOCK)
    }


def year_card(
    year: int,
    lock: YearLock | None,
    approval: YearApproval | None,
    rights: dict[str, bool],
    user: Any,
) -> dict[str, Any]:
    """What the lock page shows of one year and which buttons the user gets (by the same
    rules as the actions, so a button never leads to a refusal)."""
    State = YearApproval.State
    status = approval.status if approval is not None else State.DRAFT

    def may(to: str) -> bool:
        return lock is None and rights[STEPS[to].action] and status in STEPS[to].allowed_from

    own = may(State.APPROVED) and self_approval_refused(approval, user)
    return {
        "year": year,
        "lock": lock,
        "approval": approval,
        "status": status,
        "status_label": State(status).label,
        "may_submit": may(State.SUBMITTED),
        "may_approve": may(State.APPROVED) and not own,
        "own_submission": own,
        "may_return": may(State.RETURNED),
        "may_lock": lock is None and rights[access.LOCK] and status == State.APPROVED,
        "trail": [],
        "pending": [],
    }


@login_required
def locks(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    year_locks = {
        lock.year: lock for lock in YearLock.objects.filter(plan=plan).select_related("locked_by")
    }
    approvals = {
        a.year: a
        for a in YearApproval.objects.filter(plan=plan).select_related("submitted_by", "decided_by")
    }
    rights = approval_rights(request, plan)
    years = {
        y: year_card(y, year_locks.get(y), approvals.get(y), rights, request.user)
        for y in plan_years(plan)
    }
    # Each submission, return and approval with its note, oldest first, from the row's history.
    # The history manager django-simple-history adds (it declares no types).
    trail = YearApproval.history.filter(plan=plan).select_related("history_user")  # type: ignore[attr-defined]
    for step in trail.order_by("history_date", "history_id"):
        if step.year in years:
            years[step.year]["trail"].append(step)
    for p in PendingChange.objects.filter(plan=plan).select_related("indicator", "unit"):
        if p.year in years:
            years[p.year]["pending"].append(p)
    changes = list(
        ResultChange.objects.filter(plan=plan).select_related("indicator", "unit", "changed_by")[
            :200
        ]
    )
    context = {
        "plan": plan,
        "years": list(years.values()),
        "changes": changes,
        "can_lock": rights[access.LOCK],
        "form": ApplyForm(),
        "note_form": ApprovalNoteForm(),
    }
    return render(request, "results/locks.html", context)


# URL step → the state it moves the year to, the action that moves it, and the message when done.
APPROVAL_STEPS: dict[str, tuple[str, Callable[..., YearApproval], Any]] = {
    "submit": (
        YearApproval.State.SUBMITTED,
        do_submit_year,
        gettext_lazy("Year %(year)s is submitted to the unit head for approval."),
    ),
    "approve": (
        YearApproval.State.APPROVED,
        do_approve_year,
        gettext_lazy("Year %(year)s is approved and can now be locked."),
    ),
    "return": (
        YearApproval.State.RETURNED,
        do_return_year,
        gettext_lazy("Year %(year)s is returned to the planner with your note."),
    ),
}


@login_required
@require_POST
def approval_step(request: HttpRequest, code: str, year: int, step: str) -> HttpResponse:
    to, action, done = APPROVAL_STEPS[step]
    plan = get_plan_or_404(request.user, code, STEPS[to].action)
    year = get_year_or_404(plan, year)
    form = ApprovalNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("note", [])))
        return redirect("results:locks", code=plan.code)
    try:
        action(plan, year, request.user, form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"year": year})
    return redirect(reverse("results:locks", args=[plan.code]) + f"#year-{year}")


@login_required
@require_POST
def lock_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, code, access.LOCK)
    year = get_year_or_404(plan, year)
    try:
        do_lock_year(plan, year, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Year %(year)s is locked.") % {"year": year})
    return redirect("results:locks", code=plan.code)


@login_required
@require_POST
def apply_pending(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, code, access.LOCK)
    year = get_year_or_404(plan, year)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for changing the results of a locked year."))
        return redirect("results:locks", code=plan.code)
    count = do_apply_pending(plan, year, form.cleaned_data["reason"], request.user)
    messages.success(
        request,
        _("%(count)s changed results of %(year)s applied and logged.")
        % {"count": count, "year": year},
    )
    return redirect("results:locks", code=plan.code)
