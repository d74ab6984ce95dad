"""The public questionnaire's POST body is refused before anything reads it unless it is a small
UTF-8 web form.

The questionnaire has no file field and its largest answer is a 2 000-character suggestion, yet
Django would parse any multipart body (files of any size spooled to disk) and decode text with
errors replaced, so a body in another encoding would be stored as mojibake. This middleware
sits before the CSRF middleware (the first to read ``request.POST``) and, for views marked with
``public_post``, answers from the headers alone: 400 for anything but
application/x-www-form-urlencoded in UTF-8, 413 for a body over KINERJA_PUBLIC_POST_MAX_BYTES;
then it reads the (small) body and answers 400 if its percent-decoded bytes are not valid UTF-8
(docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

FORM = "application/x-www-form-urlencoded"
UTF8 = {"utf-8", "utf8"}

View = Callable[..., HttpResponse]


def public_post(view: View) -> View:
    """Mark a public view whose POST bodies the guard checks."""
    view.public_post = True  # type: ignore[attr-defined]  # a mark the guard reads
    return view


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _utf8(body: bytes) -> bool:
    """Whether the form's names and values, percent-decoded, are UTF-8 (a separator, '&' or
    '=', is ASCII and cannot complete a character, so checking the whole body checks each)."""
    try:
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def refusal(request: HttpRequest) -> tuple[int, str] | None:
    """(status, message) when the body must be refused, None when the form may be read."""
    charset = (request.content_params or {}).get("charset", "utf-8")
    if request.content_type != FORM:
        return 400, _("The form must be sent as an ordinary web form, without files.")
    if charset.strip().lower() not in UTF8:
        return 400, _(
            "The form must be sent as UTF-8 text. Please send it again from the form page."
        )
    length = _declared_length(request)
    if length is None:
        return 400, _("The form must be sent as an ordinary web form, without files.")
    limit = settings.KINERJA_PUBLIC_POST_MAX_BYTES
    if length > limit:
        return 413, _(
            "The form is too large (at most %(limit)s bytes). Please shorten the suggestion "
            "and send it again."
        ) % {"limit": limit}
    if not _utf8(request.body):
        return 400, _(
            "The form must be sent as UTF-8 text. Please send it again from the form page."
        )
    return None


class PublicPostGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if request.method != "POST" or not getattr(view, "public_post", False):
            return None
        refused = refusal(request)
        if refused is None:
            return None
        status, message = refused
        context = {"message": message, "slug": kwargs.get("slug")}
        return render(request, "surveys/public/refused.html", context, status=status)
