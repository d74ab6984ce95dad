"""JSON API v1: thin endpoints; reads scoped by kinerja.accounts.access, writes through the
owning apps' actions (the same do_* functions the pages use)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.lookups import get_unit_or_404
from kinerja.accounts.models import OrgUnit
from kinerja.community.actions import do_save_activity
from kinerja.community.models import Activity, Group
from kinerja.plan.lookups import get_plan_or_404
from kinerja.plan.models import Plan
from kinerja.plan.versions import indicators_of, row_in_force
from kinerja.results.actions import do_save_manual_value
from kinerja.results.models import ManualValue, Result
from kinerja.results.series import series
from kinerja.surveys import links
from kinerja.surveys.actions import SurveyRefused, build_response, do_submit_response
from kinerja.surveys.analysis import period_result
from kinerja.surveys.models import SCORE_FIELDS, Response, Service
from kinerja_core.errors import CoreError
from kinerja_core.periods import Period

from . import serializers as out
from .forms import ActivityBody, ManualValueBody, ResponseBody
from .framework import ApiError, endpoint, page, user_of, validated

OPENAPI = Path(__file__).with_name("openapi.json")
READ = {"GET": False}


@cache
def openapi_document() -> bytes:
    return OPENAPI.read_bytes()


@endpoint(READ, public=True)
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(openapi_document(), content_type="application/json")


@endpoint({"GET": False, "POST": False, "PUT": False, "PATCH": False, "DELETE": False}, public=True)
def not_found(request: HttpRequest, rest: str = "") -> Any:
    raise ApiError(404, "not_found", _("There is no such API address."))


def visible_units(request: HttpRequest) -> QuerySet[OrgUnit]:
    return access.units_for(request.user, access.VIEW)


def period_param(
    request: HttpRequest, name: str = "period", required: bool = False
) -> Period | None:
    raw = request.GET.get(name, "")
    if not raw:
        if required:
            raise ApiError(400, "invalid", _("The request has errors."), {name: [_("Required.")]})
        return None
    try:
        return Period.parse(raw)
    except CoreError as exc:
        raise ApiError(
            400,
            "invalid",
            _("The request has errors."),
            {name: [_("A period key such as 2024, 2024-S1, 2024-Q3 or 2024-07.")]},
        ) from exc


# --- reads ---------------------------------------------------------------------------------


@endpoint(READ)
def units(request: HttpRequest) -> Any:
    return page(request, visible_units(request).order_by("path"), out.unit_json)


@endpoint(READ)
def plans(request: HttpRequest) -> Any:
    rows = Plan.objects.filter(unit__in=visible_units(request)).select_related("unit")
    return page(request, rows.order_by("code"), out.plan_json)


@endpoint(READ)
def plan_detail(request: HttpRequest, code: str) -> Any:
    plan = get_plan_or_404(request.user, code)
    body = out.plan_json(plan)
    body["goals"] = [
        {
            "code": goal.code,
            "name": goal.name,
            "objectives": [{"code": o.code, "name": o.name} for o in goal.objectives.all()],
        }
        for goal in plan.goals.prefetch_related("objectives").order_by("order")
    ]
    body["manual_measures"] = [m["name"] for m in plan.manual_measures]
    return body


@endpoint(READ)
def indicators(request: HttpRequest, code: str) -> Any:
    plan = get_plan_or_404(request.user, code)
    year = period_param(request, "year")
    rows = indicators_of(plan, year.year if year else None)
    return {"plan": plan.code, "results": [out.indicator_json(i) for i in rows]}


@endpoint(READ)
def indicator_series(request: HttpRequest, code: str, indicator: str) -> Any:
    """One indicator's series across the plans the plan continues (docs/rules.md#plans-series-across-plans)."""
    plan = get_plan_or_404(request.user, code)
    found = series(plan, indicator)
    if found is None:
        raise ApiError(404, "not_found", _("The plan has no such indicator."))
    return found.as_json()


@endpoint(READ)
def results(request: HttpRequest, code: str) -> Any:
    plan = get_plan_or_404(request.user, code)
    rows = (
        Result.objects.filter(plan=plan, unit__in=visible_units(request))
        .filter(row_in_force())
        .select_related("indicator", "unit")
    )
    if unit_code := request.GET.get("unit"):
        rows = rows.filter(unit__code=unit_code)
    if period := period_param(request):
        rows = rows.filter(period_key=period.key)
    if request.GET.get("indicator"):
        rows = rows.filter(indicator__code=request.GET["indicator"])
    return page(
        request, rows.order_by("indicator__order", "unit__path", "year", "quarter"), out.result_json
    )


@endpoint(READ)
def ikm(request: HttpRequest, code: str) -> Any:
    unit = get_unit_or_404(request.user, code)
    period = period_param(request, required=True)
    assert period is not None
    services = request.GET.getlist("service") or None
    return out.ikm_json(period_result(unit, period, services))


@endpoint(READ)
def groups(request: HttpRequest, code: str) -> Any:
    unit = get_unit_or_404(request.user, code)
    rows = Group.objects.filter(unit.subtree_q("kelurahan")).select_related("kind", "kelurahan")
    if kind := request.GET.get("kind"):
        rows = rows.filter(kind__code=kind)
    return page(request, rows.order_by("kelurahan__path", "code"), out.group_json)


# --- writes --------------------------------------------------------------------------------


@endpoint({"POST": True})
def submit_response(request: HttpRequest, slug: str) -> Any:
    """A kiosk or another front end sends one survey response for a service."""
    service = links.service_for_link(slug)  # a kiosk keeps working after the code changes
    access.require(request.user, access.EDIT_SURVEY, service.unit)
    if not service.active:
        raise ApiError(409, "inactive", _("This service no longer takes survey responses."))
    form = validated(request, ResponseBody)
    data = form.cleaned_data
    try:
        response, created = do_submit_response(
            service,
            form.answer(),
            channel=Response.Channel.KIOSK,
            # Keys are unique site-wide: namespaced per API user so kiosks never collide.
            idempotency_key=f"api:{request.user.pk}:{data['idempotency_key']}"
            if data.get("idempotency_key")
            else None,
            submitted_at=data.get("submitted_at"),
            user=request.user,
        )
    except SurveyRefused as exc:
        raise ApiError(409, "refused", str(exc)) from exc
    if not created and not same_response(response, service, form):
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "This idempotency key was already used for a different response; the stored "
                "response is unchanged. Send a new key for a new response."
            ),
            {"idempotency_key": [_("Already used with another body.")]},
        )
    return {
        "_created": created,
        "id": response.pk,
        "service": service.slug,
        "submitted_at": response.submitted_at.isoformat(),
        "created": created,
    }


# What a replayed request must repeat to get the stored response back: the service, every
# answer and the time (when the replay gives none, the first call's time stands).
REPLAYED_FIELDS = (
    "service_id",
    *SCORE_FIELDS,
    *("gender", "age", "education", "occupation", "suggestion", "submitted_at"),
)


def same_response(stored: Response, service: Service, form: Any) -> bool:
    """Whether a request that reused ``stored``'s idempotency key asked for that response (as
    the survey would store it: the same rules build both)."""
    wanted = build_response(
        service,
        form.answer(),
        submitted_at=form.cleaned_data.get("submitted_at") or stored.submitted_at,
        channel=stored.channel,
    )
    return all(getattr(stored, name) == getattr(wanted, name) for name in REPLAYED_FIELDS)


@endpoint({"POST": True})
def create_activity(request: HttpRequest) -> Any:
    user = user_of(request)
    form = validated(request, ActivityBody)
    data = form.cleaned_data
    visible = access.units_for(user, access.VIEW)
    found = list(Group.objects.filter(code__in=data["groups"], kelurahan__in=visible))
    missing = sorted(set(data["groups"]) - {g.code for g in found})
    if missing or not found:
        raise ApiError(
            400,
            "invalid",
            _("The request has errors."),
            {
                "groups": [
                    _("Unknown group codes: %(codes)s") % {"codes": ", ".join(missing) or "–"}
                ]
            },
        )
    activity = Activity(
        date=data["date"],
        type=data["type"],
        title=data["title"],
        description=data.get("description") or "",
    )
    activity = do_save_activity(user, activity, found)
    return {
        "_created": True,
        "id": activity.pk,
        "date": activity.date.isoformat(),
        "type": activity.type,
        "title": activity.title,
        "groups": sorted(g.code for g in found),
    }


@endpoint({"GET": False, "POST": True})
def manual_values(request: HttpRequest, code: str) -> Any:
    plan = get_plan_or_404(request.user, code)
    if request.method in ("GET", "HEAD"):
        rows = ManualValue.objects.filter(
            plan=plan, unit__in=visible_units(request)
        ).select_related("unit")
        if period := period_param(request):
            rows = rows.filter(period_key=period.key)
        return page(
            request, rows.order_by("name", "unit__path", "year", "quarter"), out.manual_value_json
        )
    form = validated(request, ManualValueBody)
    data = form.cleaned_data
    unit = OrgUnit.objects.filter(code=data["unit"]).first()
    if unit is None:
        raise ValidationError({"unit": _("Unknown unit %(code)s.") % {"code": data["unit"]}})
    access.require(request.user, access.EDIT_RESULTS, unit)
    row = do_save_manual_value(
        plan,
        data["name"],
        unit,
        data["period"],
        data["value"],
        user_of(request),
        data.get("note") or "",
    )
    return {"_created": True, **out.manual_value_json(row)}
