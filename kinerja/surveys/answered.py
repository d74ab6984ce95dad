"""The mark of a browser that has just answered a service's questionnaire.

Going back after an answer fetches the form page again, with a fresh one-time token, and the
browser refills the answers it remembers: sent again, that would be a second response of the
same citizen, who is counted once (docs/rules.md#ikm-one-answer-per-respondent). So a stored answer
marks the browser with a short-lived signed cookie for that service; while it lasts the form
page says the answer is recorded, and a form sent from that browser anyway (another tab) is not
stored. On a shared device the next person presses "Isi untuk responden lain", which removes the
mark. Kiosks are shared by design: they set no mark and heed none.

The mark is a convenience against honest double counting, not a security boundary: whoever
clears their cookies may answer again (the rate limit and receipt codes are the limits there).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from .models import Service

SALT = "kinerja.surveys.answered"
PREFIX = "skm_dijawab_"
# Sent to every public survey page whatever the service's link is (links can change).
PATH = "/"


def cookie_name(service: Service) -> str:
    return f"{PREFIX}{service.pk}"


def lifetime() -> int:
    """Seconds a mark lasts (KINERJA_PUBLIC_ANSWERED_SECONDS); 0 sets none."""
    return max(0, int(settings.KINERJA_PUBLIC_ANSWERED_SECONDS))


def is_marked(request: HttpRequest, service: Service) -> bool:
    """Whether this browser answered ``service`` within the mark's lifetime. The cookie's
    name is part of its signature, so a mark copied to another service's name is no mark."""
    seconds = lifetime()
    if not seconds:
        return False
    try:
        value = request.get_signed_cookie(cookie_name(service), salt=SALT, max_age=seconds)
    except (KeyError, signing.BadSignature):
        return False
    return bool(value == str(service.pk))


def mark(request: HttpRequest, response: HttpResponse, service: Service) -> None:
    seconds = lifetime()
    if not seconds:
        return
    response.set_signed_cookie(
        cookie_name(service),
        str(service.pk),
        salt=SALT,
        max_age=seconds,
        path=PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def unmark(response: HttpResponse, service: Service) -> None:
    response.delete_cookie(cookie_name(service), path=PATH, samesite="Lax")
