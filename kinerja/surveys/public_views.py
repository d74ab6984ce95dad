"""Public pages (no login): the questionnaire, its thank-you page, published results, poster."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.models import OrgUnit
from kinerja_core.periods import Period

from . import formcache, publicpages, ratelimit, tokens
from .actions import SurveyRefused, do_submit_response, receipt_code_usable
from .forms import PublicForm
from .models import Response, Service
from .periods import url_period
from .publicpost import public_post

PURPOSE = "web"
FORM_TEMPLATE = "surveys/public/form.html"


def page_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count every view but a form's POST (the submission limit counts those) against the
    client's KINERJA_PUBLIC_PAGE_RATE, and its poster renderings against
    KINERJA_PUBLIC_RENDER_RATE; past either, a short 429 page."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" and not ratelimit.allow_page(request):
            return _too_many(request)
        try:
            return view(request, *args, **kwargs)
        except publicpages.RenderRefused:
            return _too_many(request)

    return limited


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "surveys/public/too_many.html", status=429)
    response["Retry-After"] = str(ratelimit.PAGE_WINDOW)
    return response


def _kiosk(request: HttpRequest) -> bool:
    return (request.GET.get("kiosk") or request.POST.get("kiosk")) == "1"


@public_post
@require_http_methods(["GET", "POST"])
@page_limited
def survey_form(request: HttpRequest, slug: str) -> HttpResponse:
    found = formcache.active_service(slug)
    service = found.service
    kiosk = _kiosk(request)

    def page(form: PublicForm, extra: dict[str, Any] | None = None) -> str:
        context = {"service": service, "form": form, "kiosk": kiosk, **(extra or {})}
        return render_to_string(FORM_TEMPLATE, context, request)

    if request.method != "POST":
        token = tokens.issue(PURPOSE, service.pk)
        blank = formcache.blank_page(
            request,
            found,
            kiosk,
            token,
            lambda slot, extra: page(blank_form(service, slot), extra),
        )
        return HttpResponse(blank if blank is not None else page(blank_form(service, token)))
    form = PublicForm(request.POST, service=service)
    bot = bool(form.data.get("website"))  # a bot filled the honeypot: pretend, store nothing
    valid = not bot and form.is_valid()
    # The token's signature is checked before the write lock is taken; whether it was spent
    # already is the unique idempotency key's business, inside the transaction.
    key = tokens.idempotency_key(form.cleaned_data["token"], PURPOSE, service.pk) if valid else None
    # One write transaction per POST: the client's rate-limit count and the response commit
    # together, so SQLite's write lock is taken once per submission, not twice (waiting writers
    # sleep in steps of milliseconds; under load that was the p95).
    with transaction.atomic():
        allowed = ratelimit.allow(request)
        stored = allowed and valid and _store(service, form, kiosk, key)
    if not allowed:
        return render(request, "surveys/public/too_many.html", {"service": service}, status=429)
    if bot or stored:
        thanks = reverse("surveys_public:thanks", args=[service.slug])
        return redirect(thanks + ("?kiosk=1" if kiosk else ""))
    # Re-shown forms get a fresh token only when theirs is unusable.
    if tokens.idempotency_key(form.data.get("token", ""), PURPOSE, service.pk) is None:
        data = request.POST.copy()  # the form's data
        data["token"] = tokens.issue(PURPOSE, service.pk)
        form.data = data
    return HttpResponse(page(form))


def blank_form(service: Service, token: str) -> PublicForm:
    return PublicForm(service=service, initial={"token": token})


def _store(service: Service, form: PublicForm, kiosk: bool, key: str | None) -> bool:
    """Store a valid form's response; False (with the reason added to the form) if refused."""
    code = form.cleaned_data.get("receipt_code") or ""
    if key is None:
        form.add_error(
            None, _("This form has expired. Please check your answers and send it again.")
        )
        return False
    if (
        service.receipt_codes_required
        and not Response.objects.filter(idempotency_key=key).exists()
        and not receipt_code_usable(service, code)
    ):
        form.add_error("receipt_code", _("This survey code is not valid or has already been used."))
        return False
    channel = Response.Channel.KIOSK if kiosk else Response.Channel.ONLINE
    try:
        do_submit_response(
            service, form.answer(), channel=channel, idempotency_key=key, receipt_code=code
        )
    except SurveyRefused as exc:
        form.add_error("receipt_code", str(exc))
        return False
    return True


@page_limited
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("unit"), slug=slug)
    kiosk = _kiosk(request)
    again = reverse("surveys_public:form", args=[service.slug]) + ("?kiosk=1" if kiosk else "")
    return render(
        request,
        "surveys/public/thanks.html",
        {"service": service, "kiosk": kiosk, "again": again},
    )


def _unit_period(unit_code: str, period_key: str) -> tuple[OrgUnit, Period]:
    return get_object_or_404(OrgUnit, code=unit_code), url_period(period_key)


@page_limited
def public_results(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    unit, period = _unit_period(unit_code, period_key)
    return HttpResponse(publicpages.results_html(request, unit, period))


@page_limited
def poster_pdf(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    unit, period = _unit_period(unit_code, period_key)
    response = HttpResponse(
        publicpages.poster_pdf(request, unit, period), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="ikm-{unit.code}-{period.key}.pdf"'
    return response


@page_limited
def poster_png(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    unit, period = _unit_period(unit_code, period_key)
    response = HttpResponse(publicpages.poster_png(request, unit, period), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="ikm-{unit.code}-{period.key}.png"'
    return response
