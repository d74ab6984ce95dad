"""Public pages (no login): the questionnaire, its thank-you page, published results, poster."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts.models import OrgUnit
from kinerja_core.periods import Period

from . import answered, formcache, links, publicpages, ratelimit, tokens
from .actions import SurveyRefused, do_submit_response, receipt_code_usable
from .forms import PublicForm
from .models import Response, Service
from .periods import url_period
from .publicpost import public_post

PURPOSE = "web"
FORM_TEMPLATE = "surveys/public/form.html"
THANKS_TEMPLATE = "surveys/public/thanks.html"
# A POST to an old link is sent on with its body (a form opened before the link changed).
PERMANENT_REDIRECT_KEEPING_METHOD = 308


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


def follows_old_links(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A link code a service had before (see ``ServiceSlug``) is sent on, permanently, to the
    same page under the service's current code, with its query string; a POST keeps its body.
    Consulted only when the view finds no service, so current links cost nothing more."""

    @functools.wraps(view)
    def following(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, slug, **kwargs)
        except Http404:
            current = links.current_slug(slug)
            if current is None:
                raise
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match else "surveys_public:form"
        url = reverse(name, kwargs={**kwargs, "slug": current})
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))
        if request.method not in ("GET", "HEAD"):
            response.status_code = PERMANENT_REDIRECT_KEEPING_METHOD
        return response

    return following


def _kiosk(request: HttpRequest) -> bool:
    return (request.GET.get("kiosk") or request.POST.get("kiosk")) == "1"


def _thanks_url(service: Service, kiosk: bool) -> str:
    return reverse("surveys_public:thanks", args=[service.slug]) + ("?kiosk=1" if kiosk else "")


# Seconds a kiosk shows its thank-you page before a blank form; a button there stops it for a
# person who needs longer to read it.
KIOSK_NEXT_SECONDS = 6


def _recorded(request: HttpRequest, service: Service, kiosk: bool) -> HttpResponse:
    """The thank-you page: after an answer, and as the form page of a browser that has just
    answered. A kiosk returns to a blank form by itself; elsewhere the next person presses
    "Isi untuk responden lain"."""
    again = reverse("surveys_public:form", args=[service.slug]) + ("?kiosk=1" if kiosk else "")
    return render(
        request,
        THANKS_TEMPLATE,
        {
            "service": service,
            "kiosk": kiosk,
            "kiosk_seconds": KIOSK_NEXT_SECONDS,
            "again": again,
            "another": reverse("surveys_public:another", args=[service.slug]),
        },
    )


@public_post
@follows_old_links
@require_http_methods(["GET", "POST"])
@page_limited
@never_cache
def survey_form(request: HttpRequest, slug: str) -> HttpResponse:
    found = formcache.active_service(slug)
    service = found.service
    kiosk = _kiosk(request)
    if not kiosk and answered.is_marked(request, service):
        # This browser has just answered: a form sent from it anyway (another tab, a page the
        # back button refilled) is the same citizen again, and is not stored.
        if request.method == "POST":
            return redirect(_thanks_url(service, kiosk))
        return _recorded(request, service, kiosk)

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
        response = redirect(_thanks_url(service, kiosk))
        if stored and not kiosk:
            answered.mark(request, response, service)
        return response
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


@follows_old_links
@page_limited
@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("unit"), slug=slug)
    return _recorded(request, service, _kiosk(request))


@public_post
@follows_old_links
@require_POST
@never_cache
def another(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Isi untuk responden lain": the next person on a shared device gets a blank form (the
    mark of the last answer is removed). A POST, so that no link, prefetch or back button
    removes the mark by itself."""
    if not ratelimit.allow_page(request):
        return _too_many(request)
    service = formcache.active_service(slug).service
    response = redirect("surveys_public:form", slug=service.slug)
    answered.unmark(response, service)
    return response


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
