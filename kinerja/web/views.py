from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.accounts import access
from kinerja.plan.models import Plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.filter(
        unit__in=access.units_for(request.user, access.VIEW)
    ).select_related("unit")
    return render(request, "web/home.html", {"plans": plans})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
