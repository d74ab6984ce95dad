"""Content-Security-Policy on every response (Django 5.2 has no built-in CSP).

Scripts only from our own origin: no inline <script>, no onclick=, no eval. Style attributes
stay allowed because server-rendered progress bars and charts set widths inline. Set
KINERJA_CSP to replace the policy; an empty value turns the header off.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        configured = getattr(settings, "KINERJA_CSP", None)
        self.policy = DEFAULT_POLICY if configured is None else configured

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
