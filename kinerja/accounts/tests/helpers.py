"""Two-factor helpers for the accounts tests: codes an authenticator app would show."""

from __future__ import annotations

import re
import time
from typing import Any

from django.urls import reverse
from django_otp.oath import hotp

from kinerja.accounts.models import EncryptedTOTPDevice
from kinerja.test import PASSWORD

LOGIN = "/accounts/login/"
RECOVERY_CODE = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b")


def code_at(device: EncryptedTOTPDevice, step: int | None = None) -> str:
    """The 6-digit code for a 30-second step (now by default), as the phone app computes it."""
    step = int(time.time() // 30) if step is None else step
    return f"{hotp(device.bin_key, step):06d}"


def post_login(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def enrol_during_login(client: Any, username: str) -> tuple[EncryptedTOTPDevice, list[str]]:
    """Log in as a user who must enrol, scan the QR code, confirm; returns the device and the
    recovery codes shown once."""
    response = post_login(client, username)
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert "<svg" in page.content.decode()
    device = EncryptedTOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_at(device)})
    assert response.status_code == 200, response.get("Location")
    device.refresh_from_db()
    assert device.confirmed
    return device, RECOVERY_CODE.findall(response.content.decode())
