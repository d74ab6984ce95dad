"""Staff pages of the registry: thin, every write through actions.py, every read scoped by access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts import access
from kinerja.accounts.levels import VILLAGE_LEVELS, village_label
from kinerja.accounts.lookups import get_unit_or_404
from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages, pending
from kinerja.lib.charts import bar_chart
from kinerja.lib.default_year import default_year
from kinerja.lib.importhelp import TEMPLATE_FORMATS, template_response
from kinerja.lib.paging import page_of
from kinerja.lib.tables import XLSX_TYPE, csv_response
from kinerja_core.errors import CoreError, InputError
from kinerja_core.formula import NotComputable
from kinerja_core.periods import Period

from . import actions, import_columns
from .drilldown import MEASURE_NAMES, drilldown
from .exports import TABLES, export_bytes
from .forms import ActivityForm, GroupForm, GroupKindForm, ImportForm, kinds_for
from .importers import do_import, file_source
from .models import Activity, ActivityGroup, Evidence, Group, GroupKind

PAGE_SIZE = 50


def visible_kelurahan(request: HttpRequest) -> QuerySet[OrgUnit]:
    units = access.units_for(request.user, access.VIEW).filter(level__in=VILLAGE_LEVELS)
    if not units.exists():
        raise PermissionDenied
    return units


def require_view_any(request: HttpRequest, unit_ids: set[int]) -> None:
    """Refuse unless the user may view at least one of these units (one query)."""
    if not access.units_for(request.user, access.VIEW).filter(pk__in=unit_ids).exists():
        raise PermissionDenied


def this_year(unit: OrgUnit | None = None) -> int:
    """The year a registry page opens on (docs/rules.md#default-year)."""
    return default_year(unit)


def int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return value if low <= value <= high else default


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    kelurahan = visible_kelurahan(request)
    year = int_param(request, "year", this_year(), 1900, 2999)
    groups = (
        Group.objects.filter(kelurahan__in=kelurahan)
        .select_related("kelurahan", "kind")
        .annotate(
            reached=Exists(
                ActivityGroup.objects.filter(group=OuterRef("pk"), activity__date__year=year)
            )
        )
    )
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kelurahan", "kind", "active", "reached")}
    if f["q"]:
        groups = groups.filter(
            Q(name__icontains=f["q"]) | Q(code__icontains=f["q"]) | Q(chair__icontains=f["q"])
        )
    if f["kelurahan"]:
        groups = groups.filter(kelurahan__code=f["kelurahan"])
    if f["kind"]:
        groups = groups.filter(kind__code=f["kind"])
    today = timezone.localdate()
    active = Q(dissolved__isnull=True) | Q(dissolved__gte=today)
    if f["active"] == "yes":
        groups = groups.filter(active)
    elif f["active"] == "no":
        groups = groups.exclude(active)
    if f["reached"] in {"yes", "no"}:
        groups = groups.filter(reached=f["reached"] == "yes")
    page, query = page_of(request, groups, PAGE_SIZE)
    return render(
        request,
        "community/group_list.html",
        {
            "page": page,
            "filters": f,
            "query": query,
            "kelurahan": kelurahan,
            # The filter's list reads the same rows, so naming their level costs no query.
            "village_label": village_label(k.level for k in kelurahan),
            "kinds": GroupKind.objects.all(),
            "year": year,
            "can_edit": actions.editable_kelurahan(request.user).exists(),
            "today": today,
        },
    )


def group_form(request: HttpRequest, group: Group) -> HttpResponse:
    editable = actions.editable_kelurahan(request.user)
    if not editable.exists():
        raise PermissionDenied
    previous = group.kelurahan if group.pk else None
    form = GroupForm(request.POST or None, instance=group, kelurahan=editable)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_group(
                request.user,
                form.instance,
                previous if previous != form.instance.kelurahan else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(group)s.") % {"group": saved})
            return redirect("community:group_detail", pk=saved.pk)
    return render(request, "community/group_form.html", {"form": form, "group": group})


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    return group_form(request, Group())


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("kelurahan"), pk=pk)
    access.require(request.user, access.EDIT_REGISTRY, group.kelurahan)
    return group_form(request, group)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("kelurahan", "kind"), pk=pk)
    access.require(request.user, access.VIEW, group.kelurahan)
    activities = group.activities.annotate(n_groups=Count("links")).order_by("-date")
    return render(
        request,
        "community/group_detail.html",
        {
            "group": group,
            "activities": activities,
            "can_edit": actions.can_edit_group(request.user, group),
        },
    )


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    kelurahan = visible_kelurahan(request)
    year = int_param(request, "year", 0, 1900, 2999)
    reaching = ActivityGroup.objects.filter(activity=OuterRef("pk"), group__kelurahan__in=kelurahan)
    chosen = request.GET.get("kelurahan", "").strip()
    if chosen:
        reaching = reaching.filter(group__kelurahan__code=chosen)
    activities = Activity.objects.filter(Exists(reaching)).annotate(
        n_groups=Count("links", distinct=True), n_evidence=Count("evidence", distinct=True)
    )
    if year:
        activities = activities.filter(date__year=year)
    kind = request.GET.get("type", "")
    if kind in Activity.Type.values:
        activities = activities.filter(type=kind)
    page, query = page_of(request, activities.order_by("-date", "title"), PAGE_SIZE)
    return render(
        request,
        "community/activity_list.html",
        {
            "page": page,
            "kelurahan": kelurahan,
            "village_label": village_label(k.level for k in kelurahan),
            "chosen": chosen,
            "year": year or "",
            "type": kind,
            "types": Activity.Type.choices,
            "query": query,
            "can_edit": actions.editable_kelurahan(request.user).exists(),
        },
    )


def activity_form(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Pick one kelurahan, then tick its groups: quick on a phone, no JS needed."""
    editable = actions.editable_kelurahan(request.user)
    if not editable.exists():
        raise PermissionDenied
    linked = list(activity.groups.select_related("kelurahan")) if activity.pk else []
    code = request.GET.get("kelurahan") or (linked[0].kelurahan.code if linked else "")
    if not code and editable.count() == 1:
        code = editable.get().code
    unit = editable.filter(code=code).first() if code else None
    show_all = request.GET.get("all") == "1"
    choices = Group.objects.none()
    if unit is not None:
        choices = Group.objects.filter(kelurahan=unit)
        if not show_all:
            choices = choices.filter(
                Q(dissolved__isnull=True)
                | Q(dissolved__gte=date(timezone.localdate().year - 1, 1, 1))
                | Q(pk__in=[g.pk for g in linked])
            )
    keep = [g for g in linked if unit is None or g.kelurahan_id != unit.pk]
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        groups=choices,
        initial={"groups": [g.pk for g in linked]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_activity(
                request.user,
                form.instance,
                list(form.cleaned_data["groups"]),
                form.cleaned_data["evidence"],
                keep=keep,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved the activity %(title)s.") % {"title": saved.title})
            return redirect("community:activity_edit", pk=saved.pk)
    return render(
        request,
        "community/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "kelurahan": editable,
            "village_label": village_label(k.level for k in editable),
            "unit": unit,
            "keep": keep,
            "show_all": show_all,
            "evidence": list(activity.evidence.all()) if activity.pk else [],
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    return activity_form(request, Activity(date=timezone.localdate()))


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    if actions.activity_editable(request.user, activity):
        return activity_form(request, activity)
    groups = list(activity.groups.select_related("kelurahan"))
    require_view_any(request, {g.kelurahan_id for g in groups})
    return render(
        request,
        "community/activity_detail.html",
        {"activity": activity, "groups": groups, "evidence": list(activity.evidence.all())},
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    if not actions.activity_editable(request.user, activity):
        raise PermissionDenied
    actions.do_delete_activity(request.user, activity)
    messages.success(request, _("Deleted the activity."))
    return redirect("community:activity_list")


@login_required
def kind_list(request: HttpRequest) -> HttpResponse:
    """The kinds the user's kelurahan may use, how many of their groups are of each, and which
    ones the user may change."""
    kelurahan = visible_kelurahan(request)
    kinds = (
        kinds_for(kelurahan)
        .select_related("city")
        .annotate(n_groups=Count("groups", filter=Q(groups__kelurahan__in=kelurahan)))
        .order_by("order", "name")
    )
    owners = set(actions.kind_owners(request.user).values_list("pk", flat=True))
    shared = bool(request.user.is_superuser)
    rows = [(k, (k.city_id in owners) if k.city_id else shared) for k in kinds]
    return render(
        request,
        "community/kind_list.html",
        {
            "rows": rows,
            "kinds_editable": shared or bool(owners),
            "can_edit": actions.editable_kelurahan(request.user).exists(),
        },
    )


def kind_form(request: HttpRequest, kind: GroupKind) -> HttpResponse:
    owners = actions.kind_owners(request.user)
    shared = bool(request.user.is_superuser)
    if not shared and not owners.exists():
        raise PermissionDenied
    form = GroupKindForm(request.POST or None, instance=kind, owners=owners, shared_allowed=shared)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_group_kind(request.user, form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved the kind %(kind)s.") % {"kind": saved})
            return redirect("community:kind_list")
    return render(request, "community/kind_form.html", {"form": form, "kind": kind})


@login_required
def kind_create(request: HttpRequest) -> HttpResponse:
    return kind_form(request, GroupKind())


@login_required
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(GroupKind.objects.select_related("city"), pk=pk)
    actions.require_kind_editor(request.user, kind)
    return kind_form(request, kind)


@login_required
@require_POST
def kind_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kind = get_object_or_404(GroupKind.objects.select_related("city"), pk=pk)
    try:
        actions.do_delete_group_kind(request.user, kind)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("community:kind_edit", pk=kind.pk)
    messages.success(request, _("Deleted the kind %(kind)s.") % {"kind": kind})
    return redirect("community:kind_list")


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence, pk=pk)
    require_view_any(
        request,
        set(
            Group.objects.filter(activity_links__activity=evidence.activity_id).values_list(
                "kelurahan_id", flat=True
            )
        ),
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=not evidence.content_type.startswith(("image/", "application/pdf")),
        filename=evidence.original_name,
    )


# What a kept registry file was checked for (kinerja/lib/pending.py).
REGISTRY_IMPORT = "community:import"


def _import_context(request: HttpRequest) -> dict[str, Any]:
    """The page's column tables and template links, with examples the uploader may use."""
    kelurahan = actions.editable_kelurahan(request.user)
    if not kelurahan.exists():
        raise PermissionDenied
    first = kelurahan.order_by("code").first()
    kind = kinds_for(kelurahan).order_by("code").first()
    group = Group.objects.filter(kelurahan__in=kelurahan).order_by("code").first()
    tables = {
        "groups": import_columns.group_columns(
            kind.code if kind else "rt", first.code if first else ""
        ),
        "activities": import_columns.activity_columns(group.code if group else "WNS-RT01"),
    }
    titles = {
        "groups": _("Columns of a groups file"),
        "activities": _("Columns of an activities file"),
    }
    return {
        "column_tables": [
            {
                "columns": columns,
                "columns_id": f"columns-{kind_name}",
                "columns_title": titles[kind_name],
                "template_links": [
                    (fmt, f"{reverse('community:import_template')}?kind={kind_name}&format={fmt}")
                    for fmt in TEMPLATE_FORMATS
                ],
            }
            for kind_name, columns in tables.items()
        ]
    }


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a groups or activities file: checked, and kept for the uploader's "Simpan"."""
    context = _import_context(request)
    form = context["form"] = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        user = access.signed_in(request)
        kind = form.cleaned_data["kind"] or None
        try:
            kept = pending.keep(user, REGISTRY_IMPORT, form.cleaned_data["file"], {"kind": kind})
        except (InputError, ValidationError) as exc:  # not CSV/XLSX, or too large
            context["problems"] = _problem_texts(exc)
            return render(request, "community/import.html", context)
        source = file_source(pending.directory() / kept.path)
        try:
            report = do_import(source, kind, user=user, dry_run=True)
        except InputError as exc:
            pending.discard(user, kept.pk, REGISTRY_IMPORT)
            context["problems"] = coremessages.problem_texts(exc.problems)
        else:
            context.update(
                report=report,
                pending=kept,
                confirm_url=reverse("community:import_confirm", args=[kept.pk]),
            )
    return render(request, "community/import.html", context)


def _problem_texts(exc: InputError | ValidationError) -> list[str]:
    if isinstance(exc, InputError):
        return coremessages.problem_texts(exc.problems)
    return list(exc.messages)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Store the registry file its uploader checked ("Simpan"), or discard it; no one else's."""
    context = _import_context(request)
    context["form"] = ImportForm()
    user = access.signed_in(request)
    if "discard" in request.POST:
        pending.discard(user, pk, REGISTRY_IMPORT)
        messages.info(request, _("The checked file was discarded; nothing was stored."))
        return redirect("community:import")
    with pending.claimed(user, pk, REGISTRY_IMPORT) as (kept, path):
        try:
            context["report"] = do_import(file_source(path), kept.options.get("kind"), user=user)
        except InputError as exc:  # the registry changed since the check
            context["problems"] = coremessages.problem_texts(exc.problems)
    return render(request, "community/import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponseBase:
    """A groups or activities template (?kind=groups|activities&format=csv|xlsx): its header
    and one example row, with examples from the uploader's own kelurahan."""
    kind, fmt = request.GET.get("kind", ""), request.GET.get("format", "")
    tables = {t["columns_id"]: t["columns"] for t in _import_context(request)["column_tables"]}
    columns = tables.get(f"columns-{kind}")
    if columns is None:
        raise Http404
    return template_response(f"templat-{kind}", kind, columns, fmt)


@login_required
def export_view(request: HttpRequest) -> HttpResponseBase:
    kelurahan = visible_kelurahan(request)
    fmt = request.GET.get("format", "xlsx")
    kind = request.GET.get("kind", "groups")
    if kind not in TABLES or fmt not in {"csv", "xlsx"}:
        raise Http404
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        header, rows = TABLES[kind]
        return csv_response(f"registri-{kind}-{stamp}.csv", header, rows(kelurahan))
    response = HttpResponse(export_bytes("xlsx", kind, kelurahan), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="registri-{stamp}.xlsx"'
    return response


def chart_value(value: Any) -> Decimal | None:
    return None if isinstance(value, NotComputable) else value


@login_required
def drilldown_view(request: HttpRequest) -> HttpResponse:
    """The groups behind a coverage number: ?unit=CODE&year=YYYY&measure=NAME (+kind, activity_type)."""
    viewable = access.units_for(request.user, access.VIEW)
    code = request.GET.get("unit", "")
    if code:
        unit = get_unit_or_404(request.user, code)
    else:
        first = viewable.order_by("path").first()
        if first is None:
            raise PermissionDenied
        unit = first
    year = int_param(request, "year", this_year(unit), 1900, 2999)
    period = Period(year)
    try:  # a sub-year period (2024-Q2) counts from 1 January to its end, as the measures do
        period = Period.parse(request.GET["period"])
        year = period.year
    except (KeyError, CoreError):
        pass
    measure = request.GET.get("measure", "groups_facilitated")
    if measure not in MEASURE_NAMES:
        measure = "groups_facilitated"
    filters = {
        "kind": [k for k in request.GET.getlist("kind") if k],
        "activity_type": [t for t in request.GET.getlist("activity_type") if t],
    }
    data = drilldown(unit, period, filters, measure)
    fostered = measure == "groups_fostered_cumulative"
    chart = bar_chart(
        [
            (
                r.unit.name,
                chart_value(r.fostered_percent if fostered else r.facilitated_percent),
                None,
            )
            for r in data["rows"]
        ],
        max_value=100,
        unit="%",
        title=(
            _("Groups fostered up to %(year)d, by %(villages)s")
            if fostered
            else _("Groups facilitated in %(year)d, by %(villages)s")
        )
        % {"year": year, "villages": data["village_label"].lower()},
    )
    base = {"unit": unit.code, "measure": measure}
    return render(
        request,
        "community/drilldown.html",
        {
            **data,
            "unit": unit,
            "year": year,
            "period": period,
            "measure": measure,
            "measures": MEASURE_NAMES,
            "filters": filters,
            "chart": chart,
            "years": [year - 1, year + 1],
            "base": base,
            "ancestors": viewable.filter(pk__in=[a.pk for a in unit.ancestors()]),
            "can_edit": actions.editable_kelurahan(request.user).exists(),
        },
    )
