"""Staff pages: services, QR posters, receipt codes, paper entry, import, results, follow-up,
published IKM values."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.lookups import get_unit_or_404
from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages, pending
from kinerja.lib.default_year import default_year
from kinerja.lib.evidence import evidence_response
from kinerja.lib.importhelp import TEMPLATE_FORMATS, template_response
from kinerja.lib.models import PendingUpload
from kinerja.lib.paging import page_of
from kinerja.lib.tables import csv_response, xlsx_response
from kinerja.surveys.lookups import get_service_or_404
from kinerja_core.errors import InputError
from kinerja_core.numbers import format_decimal
from kinerja_core.periods import Period
from kinerja_core.survey_csv import ELEMENT_ORDERS, ElementOrder

from . import analysis, exports, import_columns, jobs, links, qr, reports, targets, tokens
from .actions import (
    answered_in,
    do_correct_response,
    do_decide_published_ikm,
    do_issue_receipt_codes,
    do_record_published_ikm,
    do_save_followup,
    do_save_service,
    do_submit_response,
    paper_time,
)
from .forms import (
    ELEMENT_NAMES,
    FollowUpForm,
    ImportForm,
    PaperCorrectionForm,
    PaperForm,
    PublishedDecisionForm,
    PublishedIkmForm,
    ReceiptCodesForm,
    ServiceForm,
    too_large_message,
)
from .importing import do_import
from .models import FollowUp, ImportJob, PublishedIkm, ReceiptCode, Response, Service
from .periods import url_period, year_window

PAPER = "paper"
SUGGESTIONS_SHOWN = 10  # on the results page: the most frequent, the rest one click away
SUGGESTIONS_PAGE = 50
# Room for the multipart envelope and the form's other fields around an upload.
FORM_SLACK = 64 * 1024
# The counter poster's stylesheet, inlined into the PDF (WeasyPrint has no static server).
POSTER_CSS = Path(__file__).parent / "static" / "surveys" / "poster.css"


def public_url(request: HttpRequest, service: Service) -> str:
    return links.form_url(service, request)


def _year(request: HttpRequest, unit: OrgUnit) -> int:
    """The year a services page shows (``?tahun=``, by default docs/rules.md#default-year),
    within the survey URLs' window."""
    asked = request.GET.get("tahun", "")
    if not asked:
        return default_year(unit)
    if not asked.isdigit():
        raise Http404(f"year {asked!r}")
    return url_period(asked).year


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    units = list(
        access.units_for(request.user, access.VIEW)
        .exclude(level=OrgUnit.Level.PROVINCE)
        .order_by("path")
    )
    if not units and not request.user.is_superuser:
        raise PermissionDenied
    year = timezone.localdate().year
    first, last = year_window()
    with_data = analysis.years_with_responses(units)
    # Every year with answers (a survey of 2020 stays reachable), and this year to start one.
    rows = [
        (unit, sorted({year, *(y for y in with_data[unit.pk] if first <= y <= last)}, reverse=True))
        for unit in units
    ]
    services = Service.objects.filter(unit__in=units).select_related("unit")
    return render(
        request,
        "surveys/staff_home.html",
        {
            "rows": rows,
            "services": services,
            "year": year,
            "public_base": links.public_base(request),
        },
    )


@login_required
def service_list(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    year = _year(request, unit)
    first, last = year_window()
    services = list(Service.objects.filter(unit=unit).select_related("unit"))
    return render(
        request,
        "surveys/service_list.html",
        {
            "unit": unit,
            "year": year,
            "previous_year": year - 1 if year > first else None,
            "next_year": year + 1 if year < last else None,
            "target": targets.unit_target(services, year),
            "public_base": links.public_base(request),
            "can_edit": access.can(request.user, access.EDIT_SURVEY, unit),
        },
    )


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One service: its public link and QR code, and per year its users, its Krejcie–Morgan
    target and the answers so far."""
    service = get_service_or_404(request.user, access.VIEW, pk=pk)
    url = public_url(request, service)
    return render(
        request,
        "surveys/service_detail.html",
        {
            "service": service,
            "unit": service.unit,
            "url": url,
            "qr": qr.qr_svg(url, scale=5),
            "years": targets.years_of(service, timezone.localdate().year),
            "old_slugs": list(service.old_slugs.all()),
            "public_url_set": bool(settings.KINERJA_PUBLIC_URL),
            "public_base": links.public_base(request),
            "can_edit": access.can(request.user, access.EDIT_SURVEY, service.unit),
        },
    )


def _service_form(request: HttpRequest, unit: OrgUnit, service: Service | None) -> HttpResponse:
    initial = {}
    if service is not None:
        initial["yearly_users"] = "\n".join(
            f"{v.year}: {format_decimal(v.users, 0, request.LANGUAGE_CODE)}"
            for v in service.volumes.order_by("year")
        )
        initial["slug"] = service.slug
    form = ServiceForm(request.POST or None, instance=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicate = Service.objects.filter(unit=unit, code=data["code"])
        if service is not None:
            duplicate = duplicate.exclude(pk=service.pk)
        if duplicate.exists():
            form.add_error("code", _("This unit already has a service with this code."))
        else:
            try:
                saved = do_save_service(
                    unit,
                    code=data["code"],
                    name=data["name"],
                    active=data["active"],
                    receipt_codes_required=data["receipt_codes_required"],
                    yearly_users=data["yearly_users"],
                    service=service,
                    slug=data["slug"],
                    user=request.user,
                )
            except links.SlugRefused as exc:
                form.add_error("slug", str(exc))
            else:
                messages.success(request, _("Service %(name)s saved.") % {"name": saved.name})
                return redirect("surveys:service_detail", pk=saved.pk)
    return render(
        request,
        "surveys/service_form.html",
        {
            "unit": unit,
            "form": form,
            "service": service,
            "public_base": links.public_base(request),
        },
    )


@login_required
def service_create(request: HttpRequest, unit_code: str) -> HttpResponse:
    return _service_form(
        request, get_unit_or_404(request.user, unit_code, access.EDIT_SURVEY), None
    )


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service_or_404(request.user, access.EDIT_SURVEY, pk=pk)
    return _service_form(request, service.unit, service)


@login_required
def service_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in {"svg", "png"}:
        raise Http404(fmt)
    service = get_service_or_404(request.user, access.VIEW, pk=pk)
    url = public_url(request, service)
    if fmt == "svg":
        return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    response = HttpResponse(qr.qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survei-{service.slug}.png"'
    return response


def _counter_poster_context(request: HttpRequest, service: Service) -> dict[str, Any]:
    url = public_url(request, service)
    return {"service": service, "url": url, "qr": qr.qr_svg(url, scale=10)}


@login_required
def service_poster(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service_or_404(request.user, access.VIEW, pk=pk)
    return render(request, "surveys/counter_poster.html", _counter_poster_context(request, service))


@login_required
def service_poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    import weasyprint
    from django.template.loader import render_to_string

    service = get_service_or_404(request.user, access.VIEW, pk=pk)
    html = render_to_string(
        "surveys/counter_poster.html",
        {**_counter_poster_context(request, service), "pdf": True, "css": POSTER_CSS.read_text()},
    )
    response = HttpResponse(
        weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="poster-survei-{service.slug}.pdf"'
    return response


@login_required
def receipt_codes(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service_or_404(request.user, access.EDIT_SURVEY, pk=pk)
    form = ReceiptCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = do_issue_receipt_codes(service, form.cleaned_data["count"], request.user)
        messages.success(request, _("%(n)s new codes issued.") % {"n": len(created)})
        return redirect("surveys:receipt_codes", pk=service.pk)
    unused = ReceiptCode.objects.filter(service=service, used_at__isnull=True)
    return render(
        request,
        "surveys/receipt_codes.html",
        {
            "service": service,
            "form": form,
            "codes": unused[:500],
            "unused": unused.count(),
            "used": ReceiptCode.objects.filter(service=service, used_at__isnull=False).count(),
            "url": public_url(request, service),
        },
    )


@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper form per screen; saving shows the next empty form with the same date."""
    service = get_service_or_404(request.user, access.EDIT_SURVEY, pk=pk)
    if request.method == "POST":
        form = PaperForm(request.POST)
        if form.is_valid():
            key = tokens.idempotency_key(form.cleaned_data["token"], PAPER, service.pk)
            if key is None:
                form.add_error(None, _("This form has expired; please save it again."))
            else:
                day = form.cleaned_data["submitted_on"]
                moment = paper_time(day, form.cleaned_data["session"])
                _response, created = do_submit_response(
                    service,
                    form.answer(),
                    channel=Response.Channel.PAPER,
                    idempotency_key=key,
                    submitted_at=moment,
                    user=request.user,
                )
                if created:
                    messages.success(request, _("Form saved."))
                query = f"?tanggal={day.isoformat()}&sesi={form.cleaned_data['session']}"
                return redirect(reverse("surveys:paper_entry", args=[service.pk]) + query)
        if tokens.idempotency_key(form.data.get("token", ""), PAPER, service.pk) is None:
            data = request.POST.copy()  # the form's data
            data["token"] = tokens.issue(PAPER, service.pk)
            form.data = data
    else:
        form = PaperForm(
            initial={
                "token": tokens.issue(PAPER, service.pk),
                "submitted_on": request.GET.get("tanggal") or timezone.localdate(),
                "session": request.GET.get("sesi") or "morning",
            }
        )
    today = timezone.localdate()
    entered_today = Response.objects.filter(
        service=service, channel=Response.Channel.PAPER, created_at__date=today
    ).count()
    day = parse_day(request.GET.get("tanggal", "")) or today
    # The forms of the date being typed in, each with a link to correct it.
    entered = Response.objects.filter(
        service=service, channel=Response.Channel.PAPER, day=day
    ).order_by("-created_at", "-pk")
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "service": service,
            "form": form,
            "entered_today": entered_today,
            "day": day,
            "entered": entered,
        },
    )


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@login_required
def paper_correct(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Correct a paper form already stored; the history keeps who, when, why and what."""
    service = get_service_or_404(request.user, access.EDIT_SURVEY, pk=pk)
    response = get_object_or_404(
        Response, pk=response_pk, service=service, channel=Response.Channel.PAPER
    )
    form = PaperCorrectionForm(
        request.POST or None, initial=PaperCorrectionForm.initial_of(response)
    )
    back = reverse("surveys:paper_entry", args=[service.pk]) + f"?tanggal={response.day}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrected = do_correct_response(
            request.user,
            response,
            form.answer(),
            submitted_on=data["submitted_on"],
            session=data["session"],
            reason=data["reason"],
        )
        messages.success(request, _("Correction saved."))
        return redirect(
            reverse("surveys:paper_entry", args=[service.pk]) + f"?tanggal={corrected.day}"
        )
    history = response.history.select_related("history_user").order_by("-history_date")  # type: ignore[attr-defined]
    return render(
        request,
        "surveys/paper_correct.html",
        {"service": service, "response": response, "form": form, "back": back, "history": history},
    )


@csrf_exempt  # checked below, once the size is known: Django's check reads the whole body
@login_required
def import_file(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Check a survey file (small ones at once, large ones as a background job); it is stored
    only when its uploader confirms the check (``import_confirm``)."""
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_SURVEY)
    context = _import_context(request, unit)
    # Refused before the body is read, so an oversized upload costs neither disk nor time.
    sent = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and sent > settings.KINERJA_IMPORT_MAX_UPLOAD_BYTES + FORM_SLACK:
        context["form"] = ImportForm()
        context["problems"] = [too_large_message()]
        return render(request, "surveys/import.html", context, status=413)
    return _import_file(request, context)


def _import_context(request: HttpRequest, unit: OrgUnit) -> dict[str, Any]:
    example = Service.objects.filter(unit=unit).order_by("code").values_list("code", flat=True)
    return {
        "unit": unit,
        "jobs": ImportJob.objects.filter(unit=unit, user=access.signed_in(request))[:5],
        "inline_mb": f"{settings.KINERJA_IMPORT_INLINE_MAX_BYTES / 2**20:g}",
        "columns": import_columns.columns(example.first() or "ktp"),
        "columns_id": "columns",
        "columns_title": _("The columns of the file"),
        "template_links": [
            (fmt, reverse("surveys:import_template", args=[unit.code, fmt]))
            for fmt in TEMPLATE_FORMATS
        ],
    }


def import_purpose(unit: OrgUnit) -> str:
    """What a kept survey file was checked for: this unit's import, and no other's."""
    return f"surveys:import:{unit.code}"


@csrf_protect
def _import_file(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    unit = context["unit"]
    form = context["form"] = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        order = form.order()
        try:
            kept = pending.keep(
                access.signed_in(request), import_purpose(unit), upload, {"order": order}
            )
        except InputError as exc:  # not a CSV or XLSX name
            context["problems"] = coremessages.problem_texts(exc.problems)
            return render(request, "surveys/import.html", context)
        path = pending.directory() / kept.path
        if kept.size > settings.KINERJA_IMPORT_INLINE_MAX_BYTES:
            with path.open("rb") as stream:
                job = jobs.do_enqueue_import(
                    request.user,
                    unit,
                    File(stream, name=kept.filename),
                    dry_run=True,
                    order=order,
                    language=request.LANGUAGE_CODE,
                )
            kept.options = {**kept.options, "job": str(job.pk)}
            kept.save(update_fields=["options"])
            return redirect("surveys:import_job", job.pk)
        try:
            with path.open("rb") as stream:
                result = do_import(
                    unit, stream, kept.filename, dry_run=True, user=request.user, order=order
                )
        except InputError as exc:
            pending.discard(request.user, kept.pk, import_purpose(unit))
            context["problems"] = coremessages.problem_texts(exc.problems)
        else:
            context.update(result=result, **_confirm_context(unit, kept))
    return render(request, "surveys/import.html", context)


def _confirm_context(unit: OrgUnit, kept: PendingUpload) -> dict[str, Any]:
    return {
        "pending": kept,
        "confirm_url": reverse("surveys:import_confirm", args=[unit.code, kept.pk]),
    }


def stored_order(kept: PendingUpload) -> ElementOrder | None:
    """The element order the kept file was checked with (written by ``_import_file``)."""
    order = kept.options.get("order")
    return cast(ElementOrder, order) if order in ELEMENT_ORDERS else None


@login_required
@require_POST
def import_confirm(request: HttpRequest, unit_code: str, pk: UUID) -> HttpResponse:
    """Store the file its uploader checked ("Simpan"), or discard it; no one else's."""
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_SURVEY)
    user = access.signed_in(request)
    if "discard" in request.POST:
        pending.discard(user, pk, import_purpose(unit))
        messages.info(request, _("The checked file was discarded; nothing was stored."))
        return redirect("surveys:import", unit.code)
    context = _import_context(request, unit)
    context["form"] = ImportForm()
    with pending.claimed(user, pk, import_purpose(unit)) as (kept, path):
        order = stored_order(kept)
        if kept.size > settings.KINERJA_IMPORT_INLINE_MAX_BYTES:
            with path.open("rb") as stream:
                job = jobs.do_enqueue_import(
                    user,
                    unit,
                    File(stream, name=kept.filename),
                    dry_run=False,
                    order=order,
                    language=request.LANGUAGE_CODE,
                )
            return redirect("surveys:import_job", job.pk)
        try:
            with path.open("rb") as stream:
                context["result"] = do_import(unit, stream, kept.filename, user=user, order=order)
        except InputError as exc:  # the unit's services changed since the check
            context["problems"] = coremessages.problem_texts(exc.problems)
    return render(request, "surveys/import.html", context)


@login_required
def import_template(request: HttpRequest, unit_code: str, fmt: str) -> HttpResponseBase:
    """The survey file template: its header and one example row, as CSV or XLSX."""
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_SURVEY)
    example = Service.objects.filter(unit=unit).order_by("code").values_list("code", flat=True)
    columns = import_columns.columns(example.first() or "ktp")
    return template_response(f"templat-survei-{unit.code}", "survei", columns, fmt)


@login_required
def import_job(request: HttpRequest, pk: UUID) -> HttpResponse:
    """A background import's progress and outcome: its uploader's and administrators' only."""
    job = get_object_or_404(ImportJob.objects.select_related("unit"), pk=pk)
    if job.user_id != request.user.pk and not access.can(request.user, access.ADMINISTER, job.unit):
        raise Http404
    context: dict[str, Any] = {"job": job, "unit": job.unit}
    if job.dry_run and job.state == ImportJob.State.DONE:
        kept = pending.waiting_for(request.user, import_purpose(job.unit), "job", str(job.pk))
        if kept is not None:
            context.update(_confirm_context(job.unit, kept))
    return render(request, "surveys/import_job.html", context)


@login_required
def results(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    period = url_period(period_key)
    data = reports.survey_report_data(unit, period)
    current = analysis.period_result(unit, period)
    context = {
        "unit": unit,
        "period": period,
        "data": data,
        "result": current.result,
        "chart": reports.element_chart(data, ELEMENT_NAMES) if data["elements"] else "",
        "breakdowns": analysis.breakdowns(unit, period) if current.respondents else {},
        "scope": analysis.ikm_scope(unit, period),
        "suggestions": analysis.suggestion_groups(unit, period)[:SUGGESTIONS_SHOWN],
        "suggestion_totals": analysis.suggestion_totals(unit, period),
        # Channel names as people say them ("formulir kertas"), not the stored codes.
        "channels": {
            Response.Channel(ch).label: n
            for ch, n in analysis.counts_by_channel(unit, period).items()
        },
        "element_names": ELEMENT_NAMES,
        "periods": period_links(period),
        "without_users": targets.without_users(unit, period.year),
        "can_edit": access.can(request.user, access.EDIT_SURVEY, unit),
    }
    return render(request, "surveys/results.html", context)


def period_links(period: Period) -> list[Period]:
    """The year, its semesters, quarters and months: the periods a results page offers."""
    year = period.year
    return [
        Period(year),
        *(Period(year, "semester", i) for i in (1, 2)),
        *(Period(year, "quarter", i) for i in range(1, 5)),
        *(Period(year, "month", i) for i in range(1, 13)),
    ]


@login_required
def export(request: HttpRequest, unit_code: str, period_key: str, fmt: str) -> HttpResponseBase:
    if fmt not in {"csv", "xlsx"}:
        raise Http404(fmt)
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    period = url_period(period_key)
    header, rows = exports.response_rows(unit, period)
    name = f"survei-{unit.code}-{period.key}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", [(_("Responses"), header, rows)])


@login_required
def suggestions(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    """Every suggestion of the period, identical ones counted once, searchable, page by page."""
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    period = url_period(period_key)
    search = request.GET.get("q", "").strip()
    groups = analysis.suggestion_groups(unit, period, search)
    page, query = page_of(request, groups, SUGGESTIONS_PAGE)
    return render(
        request,
        "surveys/suggestions.html",
        {
            "unit": unit,
            "period": period,
            "page": page,
            "search": search,
            "query": query,
            "totals": analysis.suggestion_totals(unit, period),
        },
    )


@login_required
def suggestions_export(
    request: HttpRequest, unit_code: str, period_key: str, fmt: str
) -> HttpResponseBase:
    """The suggestions page's groups (its search too) as CSV or XLSX, formula-safe."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404(fmt)
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    period = url_period(period_key)
    groups = analysis.suggestion_groups(unit, period, request.GET.get("q", "").strip())
    header = [_("Suggestion"), _("Count"), _("Latest")]
    rows = (
        [g["text"], g["count"], timezone.localtime(g["latest"]).date()]
        for g in groups.iterator(chunk_size=2000)
    )
    name = f"saran-{unit.code}-{period.key}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", [(_("Suggestions"), header, rows)])


@login_required
def followup(request: HttpRequest, unit_code: str, period_key: str) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    period = url_period(period_key)
    can_edit = access.can(request.user, access.EDIT_SURVEY, unit)
    edit_pk = request.GET.get("ubah") or request.POST.get("pk")
    instance = None
    if edit_pk and str(edit_pk).isdigit():
        instance = get_object_or_404(FollowUp, pk=int(edit_pk), unit=unit, period=period.key)
    form = FollowUpForm(request.POST or None, instance=instance)
    if request.method == "POST":
        access.require(request.user, access.EDIT_SURVEY, unit)
        if form.is_valid():
            data = form.cleaned_data
            do_save_followup(
                unit,
                period.key,
                element=data["element"],
                action=data["action"],
                owner=data["owner"],
                deadline=data["deadline"],
                status=data["status"],
                followup=instance,
                user=request.user,
            )
            messages.success(request, _("Follow-up saved."))
            return redirect("surveys:followup", unit_code=unit.code, period_key=period.key)
    data = reports.survey_report_data(unit, period)
    ranked = sorted(data["elements"], key=lambda e: (e["nrr"], e["code"]))
    plans = FollowUp.objects.filter(unit=unit, period=period.key).order_by("element", "pk")
    # Last period's plans, each with whether its element's score rose since.
    current = {e["code"]: e for e in data["elements"]}
    earlier = reports.survey_report_data(unit, period.prev())
    before = {e["code"]: e for e in earlier["elements"]}
    previous_plans = [
        {
            "plan": p,
            "before": before.get(p.element, {}).get("ikm"),
            "now": current.get(p.element, {}).get("ikm"),
        }
        for p in FollowUp.objects.filter(unit=unit, period=period.prev().key).order_by(
            "element", "pk"
        )
    ]
    return render(
        request,
        "surveys/followup.html",
        {
            "unit": unit,
            "period": period,
            "ranked": ranked,
            "plans": plans,
            "previous_plans": previous_plans,
            "form": form,
            "instance": instance,
            "can_edit": can_edit,
            "element_names": ELEMENT_NAMES,
        },
    )


def _record_initial(row: PublishedIkm | None) -> dict[str, Any]:
    if row is None:
        return {"method": "kepmenpan-25-2004-rounded-weight"}
    return {
        "year": row.year,
        "value": f"{row.value}".replace(".", ","),
        "grade": row.grade,
        "method": row.method,
        "document_title": row.document_title,
        "document_number": row.document_number,
    }


@login_required
def published_ikm(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The IKM values a unit published for years whose answers are not in Kinerja: the list,
    recording or correcting one, and the decision between published value and answers."""
    unit = get_unit_or_404(request.user, unit_code, access.VIEW)
    can_edit = access.can(request.user, access.EDIT_SURVEY, unit)
    rows = list(PublishedIkm.objects.filter(unit=unit).select_related("entered_by"))
    wanted = request.GET.get("tahun", "")
    editing = next((r for r in rows if wanted.isdigit() and r.year == int(wanted)), None)
    form = PublishedIkmForm(
        request.POST or None, request.FILES or None, initial=_record_initial(editing)
    )
    if request.method == "POST":
        access.require(request.user, access.EDIT_SURVEY, unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = do_record_published_ikm(
                    unit,
                    data["year"],
                    value=data["value"],
                    grade=data["grade"],
                    method=data["method"],
                    document_title=data["document_title"],
                    document_number=data["document_number"],
                    evidence=data["evidence"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Published IKM of %(year)s saved. Recompute the results to show it.")
                    % {"year": saved.year},
                )
                return redirect("surveys:published_ikm", unit_code=unit.code)
    context = {
        "unit": unit,
        "rows": [(row, answered_in(unit, row.year)) for row in rows],
        "form": form,
        "editing": editing,
        "can_edit": can_edit,
    }
    return render(request, "surveys/published_ikm.html", context)


@login_required
@require_POST
def published_ikm_decide(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_SURVEY)
    row = get_object_or_404(PublishedIkm, unit=unit, year=year)
    form = PublishedDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for this decision."))
    else:
        try:
            do_decide_published_ikm(
                row,
                use_answers=form.cleaned_data["use"] == "answers",
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision recorded. Recompute the results to apply it."))
    return redirect("surveys:published_ikm", unit_code=unit.code)


@login_required
def published_ikm_document(request: HttpRequest, pk: int) -> FileResponse:
    row = get_object_or_404(PublishedIkm.objects.select_related("unit"), pk=pk)
    access.require(request.user, access.VIEW, row.unit)
    return evidence_response(row.evidence, row.evidence_type)
