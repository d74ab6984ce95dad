"""Two-factor log-in on django-otp: who must use it, enrolment, codes, recovery codes.

A user's authenticator app is an EncryptedTOTPDevice (django-otp's TOTP device with its secret
encrypted); their recovery codes are one RecoveryCodeDevice (django-otp's static device with its
codes hashed). Every check goes through ``django_otp.verify_token``, which locks the device row
so that a code is accepted once even by concurrent requests, and applies django-otp's back-off.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticToken

from . import otpkey
from .models import (
    EncryptedTOTPDevice,
    Membership,
    RecoveryCodeDevice,
    Role,
    TwoFactorExemption,
)

AnyUser = User | AnonymousUser
TOTP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4


def required(user: AnyUser) -> bool:
    """Administrators and unit heads must use a second factor (unless exempted: demo users)."""
    if not settings.KINERJA_REQUIRE_2FA or not user.is_authenticated:
        return False
    if TwoFactorExemption.objects.filter(user=user).exists():
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.HEAD]).exists()
    )


def device_of(user: AnyUser) -> EncryptedTOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    device: EncryptedTOTPDevice | None = (
        EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )
    return device


def recovery_codes_left(user: AnyUser) -> int:
    left: int = StaticToken.objects.filter(device__user=user).count()
    return left


def enrolment_device(user: User, device_id: int | None) -> EncryptedTOTPDevice:
    """The unconfirmed device being set up (its id kept in the session), or a new one.

    The secret lives encrypted in this row from the start, never in the session.
    """
    device: EncryptedTOTPDevice | None = EncryptedTOTPDevice.objects.filter(
        pk=device_id, user=user, confirmed=False
    ).first()
    if device is None:
        EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = EncryptedTOTPDevice(user=user, name=TOTP_NAME, confirmed=False)
        device.save()
    return device


def secret_text(device: EncryptedTOTPDevice) -> str:
    """The secret as an authenticator app's manual entry shows it: base32 in groups of 4."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (no image request, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


@dataclass(frozen=True)
class Check:
    """The outcome of a typed code."""

    ok: bool
    kind: str = ""  # "totp" or "recovery" when ok
    wait_until: datetime | None = None  # set when django-otp's back-off refused to check it


def is_totp_code(code: str) -> bool:
    return "".join(code.split()).isdigit()


def verify(user: User, device: EncryptedTOTPDevice | RecoveryCodeDevice | None, code: str) -> Check:
    if device is None:
        return Check(False)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return Check(False, wait_until=(info or {}).get("locked_until"))
    token = "".join(code.split())
    if django_otp.verify_token(user, device.persistent_id, token) is None:
        return Check(False)
    kind = "recovery" if isinstance(device, RecoveryCodeDevice) else "totp"
    return Check(True, kind)


def check_code(user: User, code: str) -> Check:
    """A 6-digit code goes to the authenticator app, anything else to the recovery codes."""
    if is_totp_code(code):
        return verify(user, device_of(user), code)
    recovery = RecoveryCodeDevice.objects.filter(user=user).first()
    return verify(user, recovery, code)


def confirm(device: EncryptedTOTPDevice, code: str) -> Check:
    """Accept the first code of a device being set up; it then replaces any older device."""
    check = verify(device.user, device, code) if is_totp_code(code) else Check(False)
    if check.ok:
        with transaction.atomic():
            EncryptedTOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            EncryptedTOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    return check


def new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def new_recovery_codes(user: User) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working); only their hashes are kept."""
    codes = [new_recovery_code() for _ in range(settings.KINERJA_RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user=user).delete()
        device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_NAME)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=otpkey.recovery_digest(code)) for code in codes
        )
    return codes


def remove_all(user: User) -> bool:
    """Delete the user's authenticator apps and recovery codes; whether there were any."""
    with transaction.atomic():
        apps: int = EncryptedTOTPDevice.objects.filter(user=user).delete()[0]
        codes: int = RecoveryCodeDevice.objects.filter(user=user).delete()[0]
    return apps + codes > 0
