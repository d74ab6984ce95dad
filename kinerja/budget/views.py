"""Staff pages of budget lines: thin, every write through actions.py, every read scoped by access."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.lookups import get_unit_or_404
from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages, pending
from kinerja.lib.tables import csv_response, iter_rows, xlsx_response
from kinerja_core.errors import InputError

from . import actions, queries
from .exports import HEADER, TEMPLATE_ROWS, line_rows
from .forms import BudgetLineForm, ImportForm
from .models import BudgetLine


def year_param(request: HttpRequest) -> int:
    """The year asked for, within the years the site knows; this year otherwise."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    low = int(settings.KINERJA_PERIOD_FIRST_YEAR)
    high = this_year + int(settings.KINERJA_PERIOD_YEARS_AHEAD)
    return year if low <= year <= high else this_year


def checked_year(year: int) -> int:
    """A year in a page's address, refused (404) outside the years the site knows."""
    high = timezone.localdate().year + int(settings.KINERJA_PERIOD_YEARS_AHEAD)
    if not int(settings.KINERJA_PERIOD_FIRST_YEAR) <= year <= high:
        raise Http404
    return year


@login_required
def line_list(request: HttpRequest) -> HttpResponse:
    """The tree of one unit's lines of one year, with totals; the units the user may view."""
    units = list(
        access.units_for(request.user, access.VIEW)
        .exclude(level=OrgUnit.Level.KELURAHAN)
        .order_by("path")
    )
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit")
    unit = next((u for u in units if u.code == wanted), None)
    if unit is None:
        with_lines = BudgetLine.objects.filter(unit__in=units).values_list("unit", flat=True)
        unit = next((u for u in units if u.pk in set(with_lines)), units[0])
    year = year_param(request)
    nodes = queries.tree(unit, year)
    return render(
        request,
        "budget/line_list.html",
        {
            "units": units,
            "unit": unit,
            "year": year,
            "years": sorted(
                set(BudgetLine.objects.filter(unit=unit).values_list("year", flat=True)) | {year}
            ),
            "nodes": nodes,
            "totals": queries.totals_of(queries.top_lines(n.line for n in nodes)),
            "can_edit": actions.can_edit(request.user, unit),
        },
    )


def line_form(request: HttpRequest, line: BudgetLine) -> HttpResponse:
    form = BudgetLineForm(request.POST or None, line=line)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_line(
                request.user,
                line,
                form.values(),
                form.cleaned_data["objectives"],
                form.cleaned_data["indicators"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved the budget line %(code)s.") % {"code": line.code})
            return redirect(list_url(line))
    return render(request, "budget/line_form.html", {"form": form, "line": line})


def list_url(line: BudgetLine) -> str:
    return f"{reverse('budget:list')}?unit={line.unit.code}&year={line.year}"


@login_required
def line_create(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_BUDGET)
    return line_form(request, BudgetLine(unit=unit, year=checked_year(year)))


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.select_related("unit"), pk=pk)
    actions.require_editor(request.user, line.unit)
    return line_form(request, line)


@login_required
@require_POST
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.select_related("unit"), pk=pk)
    back = list_url(line)
    try:
        count = actions.do_delete_line(request.user, line)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        _("Deleted the budget line %(code)s (%(count)d lines with those under it).")
        % {"code": line.code, "count": count},
    )
    return redirect(back)


def import_purpose(unit: OrgUnit, year: int) -> str:
    """What a kept budget file was checked for: this unit's year, and no other's."""
    return f"budget:import:{unit.code}:{year}"


def checked_import(
    user: User, unit: OrgUnit, year: int, path: Path, replace: bool, dry_run: bool
) -> dict[str, Any]:
    """The import of the file at ``path`` (checked only, on a ``dry_run``): its report, or every
    problem."""
    try:
        with path.open("rb") as stream:
            report = actions.do_import_lines(
                user,
                unit,
                year,
                iter_rows(stream, path.name),
                dry_run=dry_run,
                replace=replace,
            )
    except InputError as exc:
        return {"problems": coremessages.problem_texts(exc.problems)}
    return {"report": report}


@login_required
def import_view(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    """Upload a budget file: checked, and kept for the uploader's "Simpan"
    (docs/rules.md#imports-check-then-confirm)."""
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_BUDGET)
    year = checked_year(year)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "unit": unit, "year": year}
    if request.method == "POST" and form.is_valid():
        user = access.signed_in(request)
        purpose = import_purpose(unit, year)
        replace = bool(form.cleaned_data["replace"])
        try:
            kept = pending.keep(user, purpose, form.cleaned_data["file"], {"replace": replace})
        except InputError as exc:  # not CSV or XLSX
            context["problems"] = coremessages.problem_texts(exc.problems)
            return render(request, "budget/import.html", context)
        except ValidationError as exc:  # above the upload maximum
            context["problems"] = list(exc.messages)
            return render(request, "budget/import.html", context)
        path = pending.directory() / kept.path
        context.update(checked_import(user, unit, year, path, replace, dry_run=True))
        if "report" in context:
            context.update(
                pending=kept,
                confirm_url=reverse("budget:import_confirm", args=[unit.code, year, kept.pk]),
            )
        else:
            pending.discard(user, kept.pk, purpose)
    return render(request, "budget/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, unit_code: str, year: int, pk: UUID) -> HttpResponse:
    """Store the budget file its uploader checked ("Simpan"), or discard it; no one else's."""
    unit = get_unit_or_404(request.user, unit_code, access.EDIT_BUDGET)
    year = checked_year(year)
    user = access.signed_in(request)
    purpose = import_purpose(unit, year)
    if "discard" in request.POST:
        pending.discard(user, pk, purpose)
        messages.info(request, _("The checked file was discarded; nothing was stored."))
        return redirect("budget:import", unit.code, year)
    context: dict[str, Any] = {"form": ImportForm(), "unit": unit, "year": year}
    with pending.claimed(user, pk, purpose) as (kept, path):
        # A refusal here means the budget or a Rencana Aksi changed since the check.
        replace = bool(kept.options.get("replace"))
        context.update(checked_import(user, unit, year, path, replace, dry_run=False))
    return render(request, "budget/import.html", context)


def download(name: str, fmt: str, rows: Any) -> HttpResponseBase:
    if fmt == "csv":
        return csv_response(f"{name}.csv", HEADER, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", [(_("Budget lines"), HEADER, rows)])
    raise Http404


@login_required
def export_view(request: HttpRequest, unit_code: str, year: int) -> HttpResponseBase:
    unit = get_unit_or_404(request.user, unit_code)
    rows = line_rows(unit, checked_year(year))
    return download(f"anggaran-{unit.code}-{year}", request.GET.get("format", "xlsx"), rows)


@login_required
def template_view(request: HttpRequest) -> HttpResponseBase:
    """The import template: the columns the import reads, with example rows."""
    return download("templat-anggaran", request.GET.get("format", "xlsx"), TEMPLATE_ROWS)
