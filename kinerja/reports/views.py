"""Report pages: the list of documents of a plan and year, and each document's download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.plan.lookups import get_plan_or_404
from kinerja.results.actions import plan_years
from kinerja.results.views import chosen_plan, chosen_year

from .registry import CONTENT_TYPES, RENDERERS, TITLES, UnknownReport, filename, kinds
from .registry import render as render_report


@login_required
def index(request: HttpRequest) -> HttpResponse:
    plans, plan = chosen_plan(request)
    if plan is None:
        return render(request, "reports/index.html", {"plans": []})
    year = chosen_year(request, plan)
    documents = [
        {"kind": kind, "title": TITLES[kind], "formats": list(RENDERERS[kind])} for kind in kinds()
    ]
    context = {
        "plans": plans,
        "plan": plan,
        "year": year,
        "plan_years": plan_years(plan),
        "documents": documents,
    }
    return render(request, "reports/index.html", context)


@login_required
def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, request.GET.get("plan", ""))
    year = chosen_year(request, plan)
    try:
        content = render_report(kind, fmt, plan, year)
    except UnknownReport as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, fmt, plan, year)}"'
    return response
