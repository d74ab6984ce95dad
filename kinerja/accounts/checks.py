"""Start-up safety: a weak secret key or a bad OTP key stops a production start (docs/security.md).

``kinerja check --deploy`` reports them as errors (kinerja.E001, kinerja.E002), and
``kinerja server run`` refuses to start when DEBUG is off (production) and either is found. Django's
own security.W009 only warns about a weak secret key, and a warning starts the server anyway.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from . import otpkey

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 8
# Share of distinct 4-character pieces a random key has (about all of them); a key built from a
# repeated pattern ("x7Qp" × 16) has few.
SECRET_KEY_MIN_VARIETY = 0.75
# Keys that are published, so no secret: Django's development prefix and the documentation's
# placeholders.
PUBLISHED_PREFIXES = ("django-insecure-", "<50+ random characters", "change-me", "changeme")


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions and CSRF tokens in production, or None."""
    text = key or ""
    if text.lower().startswith(PUBLISHED_PREFIXES):
        return "the secret key is a published default or example key"
    if len(text) < SECRET_KEY_MIN_LENGTH:
        return f"the secret key is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    if len(set(text)) < SECRET_KEY_MIN_DISTINCT:
        return f"the secret key has fewer than {SECRET_KEY_MIN_DISTINCT} different characters"
    pieces = {text[i : i + 4] for i in range(len(text) - 3)}
    if len(pieces) < SECRET_KEY_MIN_VARIETY * (len(text) - 3):
        return "the secret key has low entropy (a repeated pattern)"
    return None


HOW_TO_MAKE_A_KEY = (
    'Set KINERJA_SECRET_KEY to 50+ random characters: python3 -c "import secrets; '
    'print(secrets.token_urlsafe(50))" (or unset it to use the one generated into var/).'
)


def otp_key_problem(create: bool) -> str | None:
    """What is wrong with the OTP key (missing, malformed, weak, readable by others), or None."""
    try:
        otpkey.key(create=create)
    except otpkey.OTPKeyError as error:
        return str(error)
    return otpkey.file_problem()


def check_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if (problem := secret_key_problem(settings.SECRET_KEY)) is not None:
        errors.append(checks.Error(problem, hint=HOW_TO_MAKE_A_KEY, id="kinerja.E001"))
    # A missing key file is no error here: it is created on first use (kinerja server run does).
    if not otpkey.missing() and (problem := otp_key_problem(create=False)) is not None:
        errors.append(
            checks.Error(
                problem, hint="See KINERJA_OTP_KEY in docs/configuration.md.", id="kinerja.E002"
            )
        )
    return errors


def register() -> None:
    checks.register(check_keys, checks.Tags.security, deploy=True)


def stored_devices_problem() -> str | None:
    """The OTP key must open the TOTP secrets already stored; a new key would lock users out."""
    from .models import EncryptedTOTPDevice

    try:
        device = EncryptedTOTPDevice.objects.order_by("pk").first()
    except DatabaseError:  # not migrated yet: nothing stored to lose
        return None
    if device is None:
        return None
    if otpkey.missing():
        return (
            f"the OTP key is missing: {settings.KINERJA_OTP_KEY_FILE} does not exist and "
            "KINERJA_OTP_KEY is not set, but two-factor devices are stored. Restore the key "
            "file from the backup of var/ (a new key would lock every enrolled user out)"
        )
    try:
        device.bin_key  # noqa: B018 - opening it is the check
    except otpkey.OTPKeyError as error:
        return str(error)
    return None


def startup_problems() -> list[str]:
    """What stops ``kinerja server run`` in production (DEBUG off); empty when it may start."""
    if settings.DEBUG:
        return []
    problems = []
    if (problem := secret_key_problem(settings.SECRET_KEY)) is not None:
        problems.append(f"{problem}. {HOW_TO_MAKE_A_KEY}")
    problem = stored_devices_problem() or otp_key_problem(create=True)
    if problem is not None:
        problems.append(problem)
    return problems
