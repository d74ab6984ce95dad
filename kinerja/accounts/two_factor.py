"""TOTP two-factor log-in: who must use it, enrolment secrets, code checks without replay."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from .models import Membership, Role, TOTPDevice, TwoFactorExemption

STEP_SECONDS = 30
ISSUER = "Kinerja"


def required(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Administrators and unit heads must use a second factor (unless exempted: demo users)."""
    if not settings.KINERJA_REQUIRE_2FA or not user.is_authenticated:
        return False
    if TwoFactorExemption.objects.filter(user=user).exists():
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.HEAD]).exists()
    )


def device_of(user: User | AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (no image request, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


def clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (±1 for clock drift) whose code is ``code``, or None."""
    code = clean_code(code)
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_device_code(device: TOTPDevice, code: str) -> bool:
    """Accept a code once: the conditional update makes a replay (even a concurrent one) fail."""
    step = matching_step(device.secret, code)
    if step is None:
        return False
    updated = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    return updated == 1
