"""Attack regressions: the survey rate limit counts each citizen, also behind a reverse proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kinerja.surveys import ratelimit
from kinerja.surveys.models import Response

from .test_public import fresh_form, send

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every request reaches the application from the reverse proxy


def citizen(address: str) -> Client:
    """A phone behind the proxy: the proxy appends its address to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_it_gives_each_forwarded_client_its_own_survey_budget(settings: Any, service: Any) -> None:
    settings.KINERJA_PROXY_COUNT = 1
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 0  # many respondents on each device
    first, second = citizen("198.51.100.7"), citizen("203.0.113.9")
    for _ in range(ratelimit.LIMIT):
        assert send(first, service, fresh_form(first, service)).status_code == 302
    assert send(first, service, fresh_form(first, service)).status_code == 429
    # Another citizen behind the same proxy still has a whole budget.
    assert send(second, service, fresh_form(second, service)).status_code == 302
    assert Response.objects.count() == ratelimit.LIMIT + 1


def test_it_ignores_what_a_client_writes_into_x_forwarded_for(settings: Any, service: Any) -> None:
    settings.KINERJA_PROXY_COUNT = 1
    for n in range(ratelimit.LIMIT):
        # The client forges a new address each time; the proxy appends the real one last.
        forger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7")
        assert send(forger, service, fresh_form(forger, service)).status_code == 302
    forger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.9.9.99, 198.51.100.7")
    assert send(forger, service, fresh_form(forger, service)).status_code == 429
