from __future__ import annotations

import hashlib
import json
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

from .actions import (
    PlanRefused,
    Revision,
    check_plan_text,
    do_load_plan,
    load_refusals,
    plan_diff,
)
from .chain import crosswalk_rows
from .diff import PlanDiff, diff_plans
from .forms import PlanUploadForm
from .models import Indicator, Plan, Target
from .planfile import Problem, dump_plan, export_plan, has_errors, parse_plan
from .units import refusals
from .versions import indicators_of, version_in_force, versions_of


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


def plan_context(plan: Plan, year: int | None = None) -> dict[str, Any]:
    """Everything the plan page and the printed IKU document show, in three queries: the
    definitions in force in ``year`` (None: the current version)."""
    indicators = indicators_of(plan, year)
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
        # Objectives and goals left with only an earlier version's indicators are not shown.
        objectives = [
            {"objective": o, "rows": [r for r in rows if r.indicator.objective_id == o.pk]}
            for o in goal.objectives.order_by("order")
            if any(r.indicator.objective_id == o.pk for r in rows) or not o.indicators.exists()
        ]
        if goal_rows or objectives or not goal.indicators.exists():
            goals.append({"goal": goal, "rows": goal_rows, "objectives": objectives})
    iku_rows = [
        r for r in rows if r.indicator.level == Indicator.Level.OBJECTIVE and r.indicator.iku
    ]
    return {"plan": plan, "years": years, "goals": goals, "rows": rows, "iku_rows": iku_rows}


@login_required
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    year = number_param(request, "year", plan.years)
    context = plan_context(plan, year)
    context["can_edit"] = access.can(request.user, access.EDIT_PLAN, plan.unit)
    context.update(versions_context(request, plan, year))
    context["crosswalk"] = crosswalk_rows(plan)
    return render(request, "plan/plan_detail.html", context)


def number_param(request: HttpRequest, name: str, allowed: list[int]) -> int | None:
    """An integer query parameter among ``allowed``; anything else is ignored (the default)."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) in allowed else None


def versions_context(request: HttpRequest, plan: Plan, year: int | None) -> dict[str, Any]:
    """The plan's versions, the one shown, and the difference between two chosen ones (default:
    the last two)."""
    versions = versions_of(plan)
    numbers = [v.number for v in versions]
    shown = version_in_force(plan, year) if year else (versions[-1] if versions else None)
    new = number_param(request, "to", numbers) or (numbers[-1] if numbers else None)
    old = number_param(request, "from", numbers) or (new - 1 if new and new > 1 else None)
    compared = None
    if old is not None and new is not None and old != new:
        by_number = {v.number: v for v in versions}
        diff = diff_plans(parse_plan(by_number[old].text), parse_plan(by_number[new].text))
        if new > old:  # a later version changes the years from its effective year on
            diff = diff.from_year(by_number[new].effective_from)
        compared = {"from": old, "to": new, "changes": diff.changes}
    return {"versions": versions, "shown_version": shown, "shown_year": year, "compared": compared}


@login_required
def plan_export(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, code)
    response = HttpResponse(
        dump_plan(export_plan(plan)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.yaml"'
    return response


def diff_digest(diff: PlanDiff) -> str:
    """What the planner saw: a confirmation stores only if the difference is still this one."""
    payload = json.dumps(diff.as_json(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@login_required
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload a plan file: always checked, compared with the stored plan and shown; stored only
    when the planner confirms the difference shown (docs/rules.md#plan-revisions).

    What the uploader may not store (units or a plan code outside their administration) and
    what would destroy stored results are shown as form errors at the check already;
    do_load_plan refuses them again when storing.
    """
    if not access.units_for(request.user, access.EDIT_PLAN).exists():
        raise PermissionDenied
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        doc, problems = check_plan_text(data["text"])
        failed = doc is None or has_errors(problems)
        revision = None
        if data["effective"] is not None:
            revision = Revision(data["effective"], data["reason"], data["decree"])
        refused: list[Problem] = []
        diff = None
        if doc is not None and not failed:
            refused = refusals(doc, request.user)
            if not refused:  # only the plan's own planners may see what is stored in it
                refused = load_refusals(doc, revision)
                diff = plan_diff(doc, revision)
        stored_before = (
            doc is not None and diff is not None and Plan.objects.filter(code=doc.code).exists()
        )
        # A stored plan changes only once the planner has seen this very difference.
        seen = not stored_before or not diff or data["digest"] == diff_digest(diff)
        if not refused and not failed and data["store"] and seen:
            assert doc is not None
            try:
                plan = do_load_plan(doc, request.user, revision)
            except PlanRefused as exc:  # changed since the check a moment ago
                refused = exc.problems
            else:
                messages.success(request, _("Plan %(code)s stored.") % {"code": plan.code})
                return redirect("plan:detail", code=plan.code)
        for problem in refused:
            form.add_error(None, str(problem))
        context.update(
            {
                "problems": problems,
                "failed": failed or bool(refused),
                "doc": doc,
                "diff": diff if stored_before else None,
                "confirm": not failed and not refused and stored_before and bool(diff),
                "confirm_form": PlanUploadForm(
                    initial={
                        **{k: data[k] for k in ("effective", "reason", "decree", "text")},
                        "store": True,
                        "digest": diff_digest(diff) if diff else "",
                    }
                ),
            }
        )
    return render(request, "plan/plan_upload.html", context)
