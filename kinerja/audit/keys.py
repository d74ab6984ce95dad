"""The audit chain's HMAC key, kept outside the database.

``KINERJA_AUDIT_KEY`` (the environment) wins; otherwise a random key is generated once into
``KINERJA_AUDIT_KEY_FILE`` (mode 600). Whoever can write the database but not read this key
cannot compute a valid hash for an entry they add, edit or renumber (docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 32  # characters of the key text: 32 hex digits are 128 bits


def audit_key() -> bytes:
    text = settings.KINERJA_AUDIT_KEY
    if text:
        return checked(text, "KINERJA_AUDIT_KEY")
    return key_from_file(Path(settings.KINERJA_AUDIT_KEY_FILE))


def checked(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{where}: the audit key must be at least {MIN_LENGTH} characters long"
        )
    return text.encode("utf-8")


@lru_cache(maxsize=8)
def key_from_file(path: Path) -> bytes:
    """Read the key file, creating it first if there is none (cached: appends stay cheap)."""
    if not path.exists():
        create_key_file(path)
    return checked(path.read_text(encoding="utf-8"), str(path))


def create_key_file(path: Path) -> None:
    """Write a new key so that no process ever reads a half-written file: the key goes into a
    private temporary file first, which is then linked to the final name; if another process
    linked its key first, that key stays and ours is dropped."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process's key won: keep it
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
