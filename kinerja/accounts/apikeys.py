"""API keys as text: how a key is made and hashed (only the hash is stored)."""

from __future__ import annotations

import hashlib
import secrets


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def make_key() -> tuple[str, str]:
    """A fresh key and its public prefix; the key is shown once and never stored."""
    prefix = secrets.token_hex(4)
    return prefix, f"knj_{prefix}_{secrets.token_urlsafe(32)}"
