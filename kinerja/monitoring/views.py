"""Quarterly monitoring pages: the Renaksi, the quarterly report, "belum lapor", notifications.

Views are thin: they check access, call queries (reading) or actions (writing) and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.plan.lookups import get_plan_or_404
from kinerja.plan.models import Indicator, Plan
from kinerja.results.default_year import plan_default_year

from . import actions, budgetlinks, queries, rules
from .forms import ActionForm, NarrativeForm, QuarterTargetsForm
from .models import Notification, QuarterReport, RenaksiAction

# The steps a report page posts, by the name in their address.
STEPS = {
    "submit": QuarterReport.State.SUBMITTED,
    "approve": QuarterReport.State.APPROVED,
    "return": QuarterReport.State.RETURNED,
}


def chosen_unit(request: HttpRequest, plan: Plan) -> OrgUnit:
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code or code == plan.unit.code:
        return plan.unit
    unit = OrgUnit.objects.filter(code=code, path__startswith=plan.unit.path).first()
    if unit is None:
        raise Http404
    access.require(request.user, access.VIEW, unit)
    return unit


def chosen_year(request: HttpRequest, plan: Plan, unit: OrgUnit) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in plan.years:
        return int(raw)
    return plan_default_year(plan, unit)


def plan_year(plan: Plan, year: int, quarter: int = 1) -> None:
    if year not in plan.years or quarter not in range(1, 5):
        raise Http404


def indicator_of(plan: Plan, code: str) -> Indicator:
    return get_object_or_404(Indicator, plan=plan, code=code)


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def renaksi(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    unit = chosen_unit(request, plan)
    year = chosen_year(request, plan, unit)
    rows = queries.quarter_rows(plan, unit, year)
    editable = access.can(request.user, access.EDIT_PLAN, unit)
    choices = budgetlinks.choices(unit, year) if editable else []
    has_budget = bool(choices) or budgetlinks.has_budget(unit, year)
    context: dict[str, Any] = {
        "plan": plan,
        "unit": unit,
        "year": year,
        "rows": rows,
        "editable": editable,
        "action_form": ActionForm(budget_of=(unit, year, has_budget)),
        "has_budget": has_budget,
        "budget_choices": choices,
        "months": range(1, 13),
        "quarters": range(1, 5),
    }
    return render(request, "monitoring/renaksi.html", context)


def back_to_renaksi(plan: Plan, unit: OrgUnit, year: int, anchor: str = "") -> HttpResponse:
    url = reverse("monitoring:renaksi", args=[plan.code]) + f"?year={year}&unit={unit.code}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def save_targets(request: HttpRequest, code: str, year: int, indicator: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year)
    unit = chosen_unit(request, plan)
    ind = indicator_of(plan, indicator)
    form = QuarterTargetsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            f"{ind.code}: " + " ".join(str(e) for errs in form.errors.values() for e in errs),
        )
        return back_to_renaksi(plan, unit, year, f"ind-{ind.pk}")
    data = form.cleaned_data
    try:
        actions.do_save_quarter_targets(
            access.signed_in(request),
            plan,
            unit,
            year,
            ind,
            [data["q1"], data["q2"], data["q3"], data["q4"]],
            data["mode"],
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{ind.code}: ok")
    return back_to_renaksi(plan, unit, year, f"ind-{ind.pk}")


@login_required
@require_POST
def add_action(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year)
    unit = chosen_unit(request, plan)
    ind = indicator_of(plan, request.POST.get("indicator", ""))
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label}: {' '.join(str(m) for m in e)}"
                for f, e in form.errors.items()
            ),
        )
        return back_to_renaksi(plan, unit, year, f"ind-{ind.pk}")
    try:
        actions.do_add_renaksi_action(
            access.signed_in(request), plan, unit, year, ind, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    return back_to_renaksi(plan, unit, year, f"ind-{ind.pk}")


@login_required
@require_POST
def delete_action(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        RenaksiAction.objects.select_related("renaksi__plan", "renaksi__unit"), pk=pk
    )
    renaksi = row.renaksi
    access.require(request.user, access.EDIT_PLAN, renaksi.unit)
    actions.do_delete_renaksi_action(access.signed_in(request), row)
    return back_to_renaksi(renaksi.plan, renaksi.unit, renaksi.year)


@login_required
def report(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year, quarter)
    unit = chosen_unit(request, plan)
    row = QuarterReport.objects.filter(plan=plan, unit=unit, year=year, quarter=quarter).first()
    narratives = queries.narratives_of(row)
    rows = [
        {"row": r, "cell": r.quarters[quarter - 1], "narrative": narratives.get(r.indicator.pk)}
        for r in queries.quarter_rows(plan, unit, year)
    ]
    status = row.status if row else QuarterReport.State.DRAFT
    rights = {
        a: access.can(request.user, a, unit)
        for a in (access.EDIT_RESULTS, access.SUBMIT, access.APPROVE)
    }
    context = {
        "plan": plan,
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "report": row,
        "status_label": QuarterReport.State(status).label,
        "rows": rows,
        "due": rules.reporting_due(year, quarter),
        "editable": rights[access.EDIT_RESULTS]
        and status in (QuarterReport.State.DRAFT, QuarterReport.State.RETURNED),
        "may_submit": rights[access.SUBMIT]
        and status in (QuarterReport.State.DRAFT, QuarterReport.State.RETURNED),
        "may_decide": rights[access.APPROVE] and status == QuarterReport.State.SUBMITTED,
        "quarters": range(1, 5),
    }
    return render(request, "monitoring/report.html", context)


def back_to_report(plan: Plan, unit: OrgUnit, year: int, quarter: int) -> HttpResponse:
    url = reverse("monitoring:report", args=[plan.code, year, quarter])
    return redirect(f"{url}?unit={unit.code}")


@login_required
@require_POST
def save_narrative(
    request: HttpRequest, code: str, year: int, quarter: int, indicator: str
) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year, quarter)
    unit = chosen_unit(request, plan)
    ind = indicator_of(plan, indicator)
    form = NarrativeForm(request.POST)
    form.is_valid()  # three optional texts: always valid; the action checks their length
    text = rules.NarrativeText(**{k: form.cleaned_data.get(k, "") for k in form.fields})
    try:
        actions.do_save_quarter_narrative(
            access.signed_in(request), plan, unit, year, quarter, ind, text
        )
    except ValidationError as exc:
        messages.error(request, f"{ind.code}: {refusal_text(exc)}")
    return back_to_report(plan, unit, year, quarter)


@login_required
@require_POST
def report_step(
    request: HttpRequest, code: str, year: int, quarter: int, step: str
) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year, quarter)
    unit = chosen_unit(request, plan)
    try:
        actions.do_move_quarter(
            access.signed_in(request),
            plan,
            unit,
            year,
            quarter,
            STEPS[step],
            request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    return back_to_report(plan, unit, year, quarter)


@login_required
def not_reported(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    plan_year(plan, year, quarter)
    positions = queries.positions_status(plan, plan.unit, year, quarter)
    context = {
        "plan": plan,
        "year": year,
        "quarter": quarter,
        "due": rules.reporting_due(year, quarter),
        "positions": [p for p in positions if p.missing],
        "reported_positions": [p for p in positions if not p.missing],
        "kelurahan": queries.kelurahan_status(plan, year, quarter),
    }
    return render(request, "monitoring/not_reported.html", context)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=access.signed_in(request))[:100]
    return render(request, "monitoring/notifications.html", {"notifications": rows})


@login_required
@require_POST
def read_notification(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    row = get_object_or_404(Notification, pk=pk, user=user)
    actions.do_read_notification(user, row)
    return redirect(row.link or reverse("monitoring:notifications"))
