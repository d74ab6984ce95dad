from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.accounts.access import signed_in

from .guide import BY_SLUG, INDEX, PAGES, pages_for_roles, source, title, to_html


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def guide(request: HttpRequest, page: str | None = None) -> HttpResponse:
    """The user guide (docs/panduan/) for every logged-in user, the pages of the user's roles
    highlighted. Without a page: its contents (README.md)."""
    if page is not None and page not in BY_SLUG:
        raise Http404
    slug = page or INDEX
    text = source(slug)
    user = signed_in(request)
    roles = user.memberships.values_list("role", flat=True)
    return render(
        request,
        "guide.html",
        {
            "title": title(text),
            "body": to_html(text),
            "pages": PAGES,
            "current": slug,
            "own": pages_for_roles(roles, user.is_superuser),
        },
    )
