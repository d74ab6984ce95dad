"""Fixtures for the whole suite: the Wonoasih plan, personas, and a Playwright browser."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["pytester"]  # kinerja/lib/tests/test_axe.py runs a browser test in its own pytest

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
def default_group_kinds(transactional_db: Any) -> None:
    """The default community group kinds come from a data migration; an earlier transactional
    test ends by emptying the database, so browser tests put them back the way the migration
    does."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kinerja.community.migrations.0002_default_kinds")
    migration.create_kinds(apps, None)


@pytest.fixture
def demo(default_group_kinds: None) -> Any:
    """The demo data (``kinerja demo load``) in a transactional database, with the group kinds
    it needs: the plan it loaded. For browser and rendered-document tests."""
    from kinerja.demo.loader import run_demo

    return run_demo(say=lambda _line: None)


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
def chromium() -> Iterator[Any]:
    """One Chromium per test process; tests reach it through `browser` (checked by axe-core)."""
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's ORM calls in the same test are safe
    # because they do not run concurrently with it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def axe() -> Iterator[Any]:
    """The axe-core check of the test's pages (docs/accessibility.md): the test fails on any
    serious or critical violation of any page it visited."""
    from kinerja.lib.axe import AxeCheck

    check = AxeCheck()
    yield check
    problems = check.finish()
    for note in check.notes:
        warnings.warn(f"axe-core: {note}", stacklevel=1)
    if problems:
        pytest.fail(
            f"axe-core: {len(problems)} serious or critical accessibility violation(s):\n"
            + "\n".join(problems),
            pytrace=False,
        )


@pytest.fixture
def browser(chromium: Any, axe: Any) -> Iterator[Any]:
    """The Chromium of this process, where every context a test opens, however it opens it, is
    watched by axe-core and closed by the check once the test is done."""
    new_context = chromium.new_context

    def checked_context(**options: Any) -> Any:
        return axe.watch(new_context(**options))

    def checked_page(**options: Any) -> Any:
        return checked_context(**options).new_page()

    chromium.new_context, chromium.new_page = checked_context, checked_page
    try:
        yield chromium
    finally:
        del chromium.new_context, chromium.new_page


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True
    )
    return context.new_page()


@pytest.fixture
def desktop(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    return context.new_page()


@pytest.fixture(scope="module")
def replica(django_db_setup: None) -> Iterator[str]:
    """The alias ``replica``, mirroring the primary's test database (as ``KINERJA_REPLICA_URL``
    sets one up), for one module's tests; added before pytest-django checks the aliases a test
    may use. Its tests commit (``transaction=True``) so that the second connection sees the rows.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    from kinerja.db.routing import REPLICA

    mirror = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = mirror
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
