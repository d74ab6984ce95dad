from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.accounts.access import signed_in

from .guide import INDEX, PAGES, pages_for_roles, source, title, to_html


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def guide(request: HttpRequest, page: str = INDEX) -> HttpResponse:
    """The user guide (docs/panduan/) for every logged-in user, the pages of the user's roles
    highlighted."""
    try:
        text = source(page)
    except KeyError:
        raise Http404 from None
    user = signed_in(request)
    roles = user.memberships.values_list("role", flat=True)
    return render(
        request,
        "guide.html",
        {
            "title": title(text),
            "body": to_html(text),
            "pages": PAGES,
            "current": page,
            "own": pages_for_roles(roles, user.is_superuser),
        },
    )
