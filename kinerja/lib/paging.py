"""Lists shown page by page with the site's pager (``_pages.html``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, items: Any, size: int) -> tuple[Page[Any], str]:
    """The page of ``items`` the request asks for (``?page=``; out of range gives the last), and
    the request's other query parameters for the pager's links, so a search or filter stays."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
