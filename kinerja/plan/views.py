from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.plan.lookups import get_plan_or_404

from .actions import PlanRefused, check_plan_text, do_load_plan
from .chain import crosswalk_rows
from .forms import PlanUploadForm
from .models import Indicator, Plan, Target
from .planfile import dump_plan, export_plan, has_errors
from .units import refusals


def visible_plans(request: HttpRequest) -> Any:
    return Plan.objects.filter(unit__in=access.units_for(request.user, access.VIEW)).select_related(
        "unit"
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = visible_plans(request).order_by("unit__path", "code")
    can_upload = access.units_for(request.user, access.EDIT_PLAN).exists()
    return render(request, "plan/plan_list.html", {"plans": plans, "can_upload": can_upload})


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator with its yearly targets (None where the year has none) and quarter targets."""

    indicator: Indicator
    targets: list[Target | None]
    quarters: list[Target]


def plan_context(plan: Plan) -> dict[str, Any]:
    """Everything the plan page and the printed IKU document show, in three queries."""
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .select_related("goal", "objective")
        .prefetch_related("targets")
        .order_by("order")
    )
    years = plan.years
    rows: list[IndicatorRow] = []
    for ind in indicators:
        by_year = {t.year: t for t in ind.targets.all() if t.quarter == 0}
        quarters = sorted(
            ((t.year, t.quarter, t) for t in ind.targets.all() if t.quarter), key=lambda x: x[:2]
        )
        rows.append(
            IndicatorRow(
                indicator=ind,
                targets=[by_year.get(y) for y in years],
                quarters=[q[2] for q in quarters],
            )
        )
    goals = []
    for goal in plan.goals.prefetch_related("objectives").order_by("order"):
        goal_rows = [
            r for r in rows if r.indicator.goal_id == goal.pk and r.indicator.objective_id is None
        ]
        objectives = [
            {"objective": o, "rows": [r for r in rows if r.indicator.objective_id == o.pk]}
            for o in goal.objectives.order_by("order")
        ]
        goals.append({"goal": goal, "rows": goal_rows, "objectives": objectives})
    iku_rows = [
        r for r in rows if r.indicator.level == Indicator.Level.OBJECTIVE and r.indicator.iku
    ]
    return {"plan": plan, "years": years, "goals": goals, "rows": rows, "iku_rows": iku_rows}


@login_required
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    context = plan_context(plan)
    context["can_edit"] = access.can(request.user, access.EDIT_PLAN, plan.unit)
    context["crosswalk"] = crosswalk_rows(plan)
    return render(request, "plan/plan_detail.html", context)


@login_required
def plan_export(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    response = HttpResponse(
        dump_plan(export_plan(plan)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.yaml"'
    return response


@login_required
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload a plan file: always checked and shown; stored only when the planner confirms.

    What the uploader may not store (units or a plan code outside their administration) is
    shown as a form error at the check already; do_load_plan refuses it again when storing.
    """
    if not access.units_for(request.user, access.EDIT_PLAN).exists():
        raise PermissionDenied
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        doc, problems = check_plan_text(form.cleaned_data["text"])
        failed = doc is None or has_errors(problems)
        refused = [] if doc is None or failed else refusals(doc, request.user)
        if not refused and not failed and form.cleaned_data["store"]:
            assert doc is not None
            try:
                plan = do_load_plan(doc, request.user)
            except PlanRefused as exc:  # changed since the check a moment ago
                refused = exc.problems
            else:
                messages.success(request, _("Plan %(code)s stored.") % {"code": plan.code})
                return redirect("plan:detail", code=plan.code)
        for problem in refused:
            form.add_error(None, problem.message)
        context.update({"problems": problems, "failed": failed or bool(refused), "doc": doc})
    return render(request, "plan/plan_upload.html", context)
