from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Personas need a password hash, not a slow one (argon2 takes seconds on a busy CI box)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    """Evidence files go to a scratch directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
