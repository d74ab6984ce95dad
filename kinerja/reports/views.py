"""Report pages: the list of documents of a plan and year, and each document's download."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.plan.lookups import get_plan_or_404
from kinerja.plan.models import Plan
from kinerja.plan.versions import indicators_of
from kinerja.results.actions import plan_years
from kinerja.results.views import chosen_plan, chosen_year
from kinerja.surveys.links import public_base

from . import pk, skm_report
from .actions import (
    SignatoryInput,
    do_delete_signatory,
    do_delete_signing_date,
    do_end_signatory,
    do_issue_document,
    do_save_signatory,
    do_save_signing_date,
)
from .forms import SignatoryForm, SigningDateForm
from .models import IssuedDocument, PkVersion, Signatory, SigningDate
from .registry import (
    CONTENT_TYPES,
    RENDERERS,
    TITLES,
    UnknownReport,
    filename,
    kinds,
    render_data,
)
from .registry import render as render_report


@login_required
def index(request: HttpRequest) -> HttpResponse:
    plans, plan = chosen_plan(request)
    if plan is None:
        return render(request, "reports/index.html", {"plans": []})
    year = chosen_year(request, plan)
    skm_years = skm_report.survey_years(plan.unit)
    issued: dict[str, list[IssuedDocument]] = {}
    for document in IssuedDocument.objects.filter(plan=plan, year=year).order_by("-version"):
        issued.setdefault(document.kind, []).append(document)
    documents = [
        {
            "kind": kind,
            "title": TITLES[kind],
            "formats": list(RENDERERS[kind]),
            "issued": issued.get(kind, []),
        }
        for kind in kinds()
    ]
    context = {
        "plans": plans,
        "plan": plan,
        "year": year,
        "plan_years": plan_years(plan),
        "documents": documents,
        "may_issue": access.can(request.user, access.LOCK, plan.unit),
        # The SKM report covers every surveyed year, inside the plan's period or not
        # (docs/rules.md#default-year); a year without responses offers none.
        "survey_years": sorted(skm_years, reverse=True),
        "year_surveyed": year in skm_years,
        "pk_officers": pk.officer_positions(plan, indicators_of(pk.plan_for(plan, year), year)),
        "pk_versions": PkVersion.objects.filter(plan=pk.plan_for(plan, year), year=year),
    }
    return render(request, "reports/index.html", context)


def report_year(request: HttpRequest, plan: Plan, kind: str) -> int:
    """The year asked for; the SKM report takes any year with responses (never another year
    in its place: a year without any is refused)."""
    raw = request.GET.get("year", "")
    if kind == "skm" and raw.isdigit():
        return skm_report.report_year(plan.unit, int(raw))
    return chosen_year(request, plan)


@login_required
def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    plan = get_plan_or_404(request.user, request.GET.get("plan", ""))
    try:
        year = report_year(request, plan, kind)
        if kind == "pk":
            # the PK of a level, an officer, a stored version (docs/rules.md#pk-per-level)
            content = render_data(kind, fmt, pk.download_query(request.GET, plan, year))
        else:
            content = render_report(kind, fmt, plan, year)
    except UnknownReport as exc:
        raise Http404(str(exc)) from exc
    except (skm_report.NoResponses, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(f"{reverse('reports:index')}?{urlencode({'plan': plan.code})}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, fmt, plan, year)}"'
    return response


@login_required
@require_POST
def issue(request: HttpRequest, kind: str) -> HttpResponse:
    """ "Terbitkan": freeze the document's PDF as its next issued version."""
    plan = get_plan_or_404(request.user, request.POST.get("plan", ""), access.LOCK)
    raw = request.POST.get("year", "")
    if not raw.isdigit():
        raise Http404
    year = int(raw)
    try:
        document = do_issue_document(
            access.signed_in(request), plan, kind, year, public_base(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s %(year)s is issued as %(number)s (version %(version)s).")
            % {
                "title": document.title,
                "year": year,
                "number": document.number,
                "version": document.version,
            },
        )
    return redirect(f"{reverse('reports:index')}?{urlencode({'plan': plan.code, 'year': year})}")


def _saved(form: SignatoryForm | SigningDateForm, save: object) -> bool:
    """Run ``save`` on a valid form; an action's refusal becomes the form's error."""
    if not form.is_valid():
        return False
    assert callable(save)
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    return True


def _removed(user: User, unit: OrgUnit, post: QueryDict) -> HttpResponse | bool | None:
    """End a signatory's period, or delete a signatory or a signing date, when the form asks;
    None when it asks for none of these. Only rows of ``unit`` are found."""
    if "end_signatory" in post:
        signatory = get_object_or_404(Signatory, pk=post["end_signatory"], unit=unit)
        try:
            last_day = date.fromisoformat(post.get("last_day", ""))
            do_end_signatory(user, signatory, last_day)
        except (ValueError, ValidationError):
            return HttpResponseBadRequest(_("Give the last day as a date after the first."))
        return True
    if "delete_signatory" in post:
        do_delete_signatory(
            user, get_object_or_404(Signatory, pk=post["delete_signatory"], unit=unit)
        )
        return True
    if "delete_date" in post:
        do_delete_signing_date(
            user, get_object_or_404(SigningDate, pk=post["delete_date"], unit=unit)
        )
        return True
    return None


@login_required
def signing(request: HttpRequest) -> HttpResponse:
    """The plan unit's signatories (with their periods) and its documents' signing dates."""
    user = access.signed_in(request)
    plan = get_plan_or_404(user, request.GET.get("plan", ""))
    unit = plan.unit
    can_edit = access.can(user, access.EDIT_PLAN, unit)
    person_form, date_form = SignatoryForm(prefix="s"), SigningDateForm(prefix="d")
    here = reverse("reports:signing") + f"?plan={plan.code}"
    if request.method == "POST":
        access.require(user, access.EDIT_PLAN, unit)
        if (done := _removed(user, unit, request.POST)) is not None:
            return done if isinstance(done, HttpResponse) else redirect(here)
        if "save_signatory" in request.POST:
            person_form = SignatoryForm(request.POST, prefix="s")
            done = _saved(
                person_form,
                lambda d: do_save_signatory(user, unit, SignatoryInput(**d)),
            )
        else:
            date_form = SigningDateForm(request.POST, prefix="d")
            done = _saved(
                date_form,
                lambda d: do_save_signing_date(
                    user, unit, d["kind"], d["year"], d["date"], d["place"]
                ),
            )
        if done:
            return redirect(here)
    context = {
        "plan": plan,
        "can_edit": can_edit,
        "signatories": Signatory.objects.filter(unit=unit),
        "dates": SigningDate.objects.filter(unit=unit),
        "person_form": person_form,
        "date_form": date_form,
    }
    return render(request, "reports/signing.html", context)
