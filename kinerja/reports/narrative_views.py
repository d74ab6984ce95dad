"""The staff page of the LKjIP narratives of a plan's year (docs/rules.md#lkjip): chapter I's
organisation and strategic issues, and per indicator analyses 5 and 7. Every field of the form
is saved in one go, or none when one is refused."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.plan.lookups import get_plan_or_404
from kinerja.plan.versions import indicators_of
from kinerja.results.views import chosen_year

from .actions import do_save_lkjip_narrative
from .models import LkjipNarrative

UNIT_KINDS = (LkjipNarrative.Kind.ORGANISATION, LkjipNarrative.Kind.STRATEGIC_ISSUES)
INDICATOR_KINDS = (LkjipNarrative.Kind.CAUSES, LkjipNarrative.Kind.PROGRAMS)


def field_name(kind: str, code: str = "") -> str:
    return f"{kind}:{code}" if code else kind


@login_required
def narratives(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    plan = get_plan_or_404(user, request.GET.get("plan", ""))
    year = chosen_year(request, plan)
    unit = plan.unit
    can_edit = access.can(user, access.EDIT_PLAN, unit)
    indicators = indicators_of(plan, year)
    stored = {
        field_name(n.kind, n.indicator_code): n.text
        for n in LkjipNarrative.objects.filter(unit=unit, year=year)
    }
    fields = [(field_name(k), "", k) for k in UNIT_KINDS] + [
        (field_name(k, ind.code), ind.code, k) for ind in indicators for k in INDICATOR_KINDS
    ]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access.require(user, access.EDIT_PLAN, unit)
        posted = {name: request.POST.get(name, "") for name, _code, _kind in fields}
        try:
            with transaction.atomic():
                for name, code, kind in fields:
                    try:
                        do_save_lkjip_narrative(user, unit, year, kind, posted[name], code)
                    except ValidationError as exc:
                        errors[name] = [m for ms in exc.message_dict.values() for m in ms]
                if errors:
                    raise ValidationError(_("nothing was saved"))
        except ValidationError:
            stored = posted
        else:
            messages.success(request, _("Narratives of %(year)d saved.") % {"year": year})
            here = (
                reverse("reports:narratives") + "?" + urlencode({"plan": plan.code, "year": year})
            )
            return redirect(here)
    rows = [
        {
            "indicator": ind,
            "fields": [
                {
                    "name": field_name(k, ind.code),
                    "label": k.label,
                    "text": stored.get(field_name(k, ind.code), ""),
                    "errors": errors.get(field_name(k, ind.code), []),
                }
                for k in INDICATOR_KINDS
            ],
        }
        for ind in indicators
    ]
    unit_fields = [
        {
            "name": field_name(k),
            "label": k.label,
            "text": stored.get(field_name(k), ""),
            "errors": errors.get(field_name(k), []),
        }
        for k in UNIT_KINDS
    ]
    context = {
        "plan": plan,
        "year": year,
        "can_edit": can_edit,
        "rows": rows,
        "unit_fields": unit_fields,
        "has_errors": bool(errors),
    }
    return render(request, "reports/narratives.html", context)
