"""Fixtures for the whole suite: the Wonoasih plan, personas, and a Playwright browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags that work in our closed network (no background calls to Google's hosts).
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    """Every test starts in the product's default language, whatever ran before it."""
    from django.utils import translation

    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Personas need a password hash, not a slow one: Argon2 at production cost takes up to a
    second a hash on a busy CI machine. Tests of the production hashers read the settings module
    itself (kinerja/accounts/tests/test_login.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence goes to a scratch directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_caches() -> None:
    """Each test starts with empty caches: no public-page counts or renderings of an earlier one."""
    from django.core.cache import caches

    from kinerja.surveys.ratelimit import forget_page_counts

    for cache in caches.all():
        cache.clear()
    forget_page_counts()


@pytest.fixture(autouse=True)
def key_files(settings: Any, tmp_path: Any) -> None:
    """The audit key and anchor and the OTP key of each test live in its scratch directory,
    never in var/."""
    settings.KINERJA_OTP_KEY = ""
    settings.KINERJA_OTP_KEY_FILE = tmp_path / "otp_key"
    settings.KINERJA_AUDIT_KEY = ""
    settings.KINERJA_AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.KINERJA_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.json"


@pytest.fixture
def wonoasih(db: Any) -> Any:
    from kinerja.test import load_wonoasih

    return load_wonoasih()


@pytest.fixture
def people(wonoasih: Any) -> dict[str, Any]:
    from kinerja.test import personas

    return personas()


@pytest.fixture
def login(client: Any) -> Any:
    def do(user: Any) -> Any:
        client.force_login(user)
        return client

    return do


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's ORM calls in the same test are safe
    # because they do not run concurrently with it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    yield context.new_page()
    context.close()
