"""The audit log pages: a unit-wide log with filters and exports, and one record's history."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.lib.tables import csv_response, xlsx_response

from .exports import HEADER, iter_export_rows
from .forms import AuditFilterForm, scope_q
from .models import AuditEntry
from .tracked import labels_of

PAGE_SIZE = 50


def field_labels(label: str) -> dict[str, str]:
    """attname → verbose name of a tracked model's fields (for before/after tables)."""
    try:
        model = apps.get_model(labels_of(label)[0])
    except (LookupError, ValueError):
        return {}
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}


def change_rows(entry: AuditEntry) -> list[dict[str, Any]]:
    changes = entry.changes or {}
    before, after = changes.get("before") or {}, changes.get("after") or {}
    labels = field_labels(entry.model)
    names = list(dict.fromkeys([*before, *after]))
    return [
        {
            "field": labels.get(name, name),
            "before": before.get(name),
            "after": after.get(name),
            "has_before": name in before,
            "has_after": name in after,
        }
        for name in names
    ]


def for_display(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Attach before/after rows and the unit's name (one query for the whole page)."""
    paths = {e.unit_path for e in entries if e.unit_path}
    names = {u.path: str(u) for u in OrgUnit.objects.filter(path__in=paths)}
    for entry in entries:
        # Attributes for the page's template only, on the rows it shows.
        entry.change_rows = change_rows(entry)  # type: ignore[attr-defined]
        entry.unit_name = names.get(entry.unit_path, entry.unit_path)  # type: ignore[attr-defined]
    return entries


@login_required
def audit_log(request: HttpRequest) -> HttpResponseBase:
    # Who changed what is open to everyone who may see the unit: the log of a unit is as
    # visible as its data. Log-ins and refusals (no unit) are for superusers only.
    paths = access.scope_paths(request.user, access.VIEW)
    if paths == []:
        raise PermissionDenied(access.VIEW)
    units = access.units_for(request.user, access.VIEW)
    form = AuditFilterForm(request.GET or None, units=units)
    entries: QuerySet[AuditEntry] = AuditEntry.objects.all()
    scope = scope_q(paths)
    if scope is not None:
        entries = entries.filter(scope)
    entries = form.filter(entries)
    kind = request.GET.get("format")
    if kind == "csv":
        return csv_response("kinerja-audit.csv", HEADER, iter_export_rows(entries))
    if kind == "xlsx":
        return xlsx_response("kinerja-audit.xlsx", [("audit", HEADER, iter_export_rows(entries))])
    page = Paginator(entries.order_by("-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = for_display(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "form": form,
            "page": page,
            "entries": shown,
            "query": query.urlencode(),
        },
    )


@login_required
def object_history(request: HttpRequest, model: str, object_id: str) -> HttpResponse:
    entries = list(
        AuditEntry.objects.filter(model__in=labels_of(model), object_id=object_id).order_by("-seq")
    )
    if not entries:
        raise Http404(_("No history is recorded for this record."))
    # The record's unit now (the newest entry) decides who may read its whole history.
    paths = access.scope_paths(request.user, access.VIEW)
    if not access.covers(paths, entries[0].unit_path):
        raise PermissionDenied(access.VIEW)
    try:
        verbose = str(apps.get_model(labels_of(model)[0])._meta.verbose_name)
    except (LookupError, ValueError):
        verbose = model
    return render(
        request,
        "audit/object_history.html",
        {
            "entries": for_display(entries),
            "record": entries[0].object_repr,
            "record_type": verbose,
            "deleted": entries[0].action == AuditEntry.Action.DELETE,
        },
    )
