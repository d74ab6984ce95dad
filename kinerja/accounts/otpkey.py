"""The OTP key: it encrypts TOTP secrets and keys the hash of recovery codes, outside the database.

A copy of the database (a stolen backup, a read-only SQL injection) then holds neither a usable
TOTP secret nor anything to test recovery-code guesses against (docs/security.md). The key is
``KINERJA_OTP_KEY`` from the environment, else the key file ``KINERJA_OTP_KEY_FILE`` (var/otp_key),
created on first use with mode 600: 32 random bytes written in URL-safe base64, as Fernet keys
are (``python3 -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"``).

TOTP secrets are sealed with AES-256-GCM, bound to their user's id, so a sealed secret copied
into another user's row does not open.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
# Random bytes show ~30 different values in 32; a typed or patterned "key" shows few.
MIN_DISTINCT_BYTES = 16
NONCE_BYTES = 12
SEALED_PREFIX = "g1:"  # AES-256-GCM, layout 1: nonce + ciphertext + tag, URL-safe base64


class OTPKeyError(ImproperlyConfigured):
    """The OTP key is missing, malformed or weak; the message says which and where."""


def source() -> str:
    """Where the key comes from, for messages."""
    if settings.KINERJA_OTP_KEY:
        return "KINERJA_OTP_KEY"
    return str(settings.KINERJA_OTP_KEY_FILE)


def missing() -> bool:
    """No key set and no key file yet (it would be created on first use)."""
    return not settings.KINERJA_OTP_KEY and not Path(settings.KINERJA_OTP_KEY_FILE).exists()


def decode(text: str, where: str) -> bytes:
    """The key's bytes, or OTPKeyError naming what is wrong with it."""
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise OTPKeyError(
            f"the OTP key in {where} is not {KEY_BYTES} bytes in URL-safe base64 "
            '(make one with: python3 -c "import base64, os; '
            'print(base64.urlsafe_b64encode(os.urandom(32)).decode())")'
        )
    if len(set(raw)) < MIN_DISTINCT_BYTES:
        raise OTPKeyError(f"the OTP key in {where} is weak (not random): make a new one")
    return raw


def new_key_text() -> str:
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def create_key_file(path: Path) -> None:
    """Write a new key file, mode 600, unless one exists; never a half-written file.

    The key goes to a private temporary file first and is then linked into place: the link
    fails if another process won the race, and then that process's key is the one used.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def key(create: bool = True) -> bytes:
    """The OTP key's 32 bytes (the key file is created on first use unless ``create`` is off)."""
    if settings.KINERJA_OTP_KEY:
        return decode(settings.KINERJA_OTP_KEY, "KINERJA_OTP_KEY")
    path = Path(settings.KINERJA_OTP_KEY_FILE)
    if not path.exists():
        if not create:
            raise OTPKeyError(f"the OTP key file {path} is missing")
        create_key_file(path)
    return decode(path.read_text(encoding="ascii", errors="replace"), str(path))


def file_problem() -> str | None:
    """A key file others on the machine may read, or None."""
    if settings.KINERJA_OTP_KEY:
        return None
    path = Path(settings.KINERJA_OTP_KEY_FILE)
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        return f"the OTP key file {path} is readable by other users: chmod 600 {path}"
    return None


def binding(user_id: int) -> bytes:
    return f"kinerja-totp:{user_id}".encode()


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_PREFIX)


def seal(secret: bytes, user_id: int) -> str:
    """``secret`` encrypted for ``user_id``'s device: printable, 67 characters for 20 bytes."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key()).encrypt(nonce, secret, binding(user_id))
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(text: str, user_id: int) -> bytes:
    """The secret back; OTPKeyError if this key (or this user) did not seal it."""
    if not is_sealed(text):
        raise OTPKeyError("a TOTP device holds a key that is not encrypted")
    try:
        blob = base64.urlsafe_b64decode(text[len(SEALED_PREFIX) :])
        return AESGCM(key()).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], binding(user_id))
    except (InvalidTag, binascii.Error, ValueError):
        raise OTPKeyError(
            f"the OTP key in {source()} does not open the stored TOTP secrets "
            "(another installation's key, or a changed key)"
        ) from None


def recovery_digest(code: str) -> str:
    """What is stored for a recovery code: an HMAC under a key derived from the OTP key.

    Codes are random (60 bits), so a slow password hash would add little; the key, kept outside
    the database, is what stops offline guessing from a copy of it. 16 characters fit
    django-otp's token column and keep 80 bits.
    """
    derived = hmac.new(key(), b"kinerja recovery codes", hashlib.sha256).digest()
    mac = hmac.new(derived, normalise_recovery_code(code).encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii")[:16].lower()


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())
