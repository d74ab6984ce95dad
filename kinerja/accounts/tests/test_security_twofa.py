"""Two-factor log-in on django-otp: encrypted TOTP secrets, hashed one-time recovery codes, an
administrator's audited reset, the migration of old devices and the throttling of wrong codes."""

from __future__ import annotations

import base64
import os
import stat
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from kinerja.accounts import otpkey, two_factor
from kinerja.accounts.actions import do_reset_two_factor
from kinerja.accounts.models import EncryptedTOTPDevice, LoginBlock, OrgUnit, Role
from kinerja.accounts.tests.helpers import RECOVERY_CODE, code_at, enrol_during_login, post_login
from kinerja.audit.models import AuditEntry
from kinerja.db import peek
from kinerja.test import make_user

pytestmark = pytest.mark.django_db
VERIFY = "/akun/2fa/kode/"
REQUIRED = override_settings(KINERJA_REQUIRE_2FA=True)


def logged_in_user(client: Client) -> User | AnonymousUser:
    return client.get(reverse("home")).wsgi_request.user


def enrolled(user) -> EncryptedTOTPDevice:
    device = EncryptedTOTPDevice(user=user, name="phone", confirmed=True)
    device.save()
    return device


@REQUIRED
def test_it_stores_totp_secrets_encrypted_with_a_key_outside_the_database(
    client, people, settings, tmp_path
):
    settings.KINERJA_OTP_KEY_FILE = tmp_path / "otp_key"
    device, _codes = enrol_during_login(client, "admin")
    secret = device.bin_key
    base32 = base64.b32encode(secret).decode().rstrip("=")
    raw = peek.stored_value(EncryptedTOTPDevice, "key", device.pk)
    assert raw.startswith("g1:")
    for readable in (base32, base32.lower(), secret.hex(), base64.b64encode(secret).decode()):
        assert readable not in raw
    # The key file was made on first use, readable by its owner only.
    assert stat.S_IMODE(settings.KINERJA_OTP_KEY_FILE.stat().st_mode) == 0o600
    # Without that key (another machine, a stolen database) the secret does not open.
    settings.KINERJA_OTP_KEY = otpkey.new_key_text()
    with pytest.raises(otpkey.OTPKeyError, match="does not open"):
        EncryptedTOTPDevice.objects.get(pk=device.pk).bin_key  # noqa: B018
    # A sealed secret copied into another user's row does not open there either.
    settings.KINERJA_OTP_KEY = ""
    with pytest.raises(otpkey.OTPKeyError):
        otpkey.unseal(raw, people["head"].pk)
    # The admin lists devices without their key (django-otp's QR-code admin is not installed).
    for url in (
        "/admin/accounts/encryptedtotpdevice/",
        f"/admin/accounts/encryptedtotpdevice/{device.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200 and raw not in page.content.decode()
        assert base32 not in page.content.decode()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


@REQUIRED
def test_it_logs_in_with_the_password_then_the_code_of_the_phone(client, people):
    device, _codes = enrol_during_login(client, "admin")
    client.logout()
    assert post_login(client, "admin")["Location"] == VERIFY
    assert not logged_in_user(client).is_authenticated
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": code_at(device, device.last_t + 1)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client) == people["admin"]


@REQUIRED
def test_it_logs_in_with_a_recovery_code_once_and_not_twice(client, people):
    _device, codes = enrol_during_login(client, "admin")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.recovery_codes_left(people["admin"]) == 10
    client.logout()

    post_login(client, "admin")
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert logged_in_user(client) == people["admin"]
    assert "kode pemulihan" in response.content.decode() and "9 kode" in response.content.decode()
    assert two_factor.recovery_codes_left(people["admin"]) == 9
    assert AuditEntry.objects.filter(action="security", reason="recovery code used").exists()
    client.logout()

    post_login(client, "admin")
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200 and "tidak benar" in response.content.decode()
    assert not logged_in_user(client).is_authenticated


@REQUIRED
def test_it_stores_recovery_codes_hashed(client, people):
    _device, codes = enrol_during_login(client, "admin")
    stored = list(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    plain = {otpkey.normalise_recovery_code(c) for c in codes} | set(codes)
    assert not plain & set(stored)
    # Renewing them from the security page shows 10 new ones; the old ones stop working.
    page = client.post(reverse("accounts:recovery_codes_renew"))
    assert page["Cache-Control"] == "no-store"
    renewed = RECOVERY_CODE.findall(page.content.decode())
    assert len(renewed) == 10 and not set(renewed) & set(codes)
    assert two_factor.check_code(people["admin"], codes[0]).ok is False


@REQUIRED
def test_it_lets_an_administrator_reset_a_heads_two_factor_and_logs_it(client, people, login):
    head = people["head"]
    enrolled(head)
    two_factor.new_recovery_codes(head)
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    unit_admin = make_user("admin-kec", Role.ADMIN, kec)
    staff = login(unit_admin)
    page = staff.get(reverse("accounts:roles"))
    assert reverse("accounts:user_detail", args=[head.pk]) in page.content.decode()
    page = staff.get(reverse("accounts:user_detail", args=[head.pk]))
    assert "Atur ulang verifikasi dua langkah" in page.content.decode()
    response = staff.post(reverse("accounts:two_factor_reset", args=[head.pk]), follow=True)
    assert "diatur ulang" in response.content.decode()
    assert two_factor.device_of(head) is None
    assert two_factor.recovery_codes_left(head) == 0
    entry = AuditEntry.objects.get(action="security", object_repr="camat")
    assert (entry.actor_name, entry.reason) == ("admin-kec", "two-factor reset by an administrator")
    # The head sets up a new phone at the next log-in.
    staff.logout()
    assert post_login(client, "camat")["Location"] == reverse("accounts:two_factor_enrol")


@REQUIRED
def test_it_refuses_a_reset_by_a_non_administrator_or_an_outsider(people, login):
    head = people["head"]
    enrolled(head)
    other_admin = make_user(
        "admin-kademangan", Role.ADMIN, OrgUnit.objects.get(code="kec-kademangan")
    )
    kec_admin = make_user("admin-kec", Role.ADMIN, OrgUnit.objects.get(code="kec-wonoasih"))
    for user in (people["planner"], people["outsider"], other_admin, people["operator"]):
        client = login(user)
        assert client.get(reverse("accounts:user_detail", args=[head.pk])).status_code == 403
        response = client.post(reverse("accounts:two_factor_reset", args=[head.pk]))
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            do_reset_two_factor(user, head)
    with pytest.raises(PermissionDenied):  # not oneself: the security page is for that
        do_reset_two_factor(head, head)
    with pytest.raises(PermissionDenied):  # a city administrator's reset is a superuser's
        do_reset_two_factor(kec_admin, people["admin"])
    assert two_factor.device_of(head) is not None
    assert not AuditEntry.objects.filter(reason__startswith="two-factor reset").exists()


def test_it_resets_from_the_command_line_and_logs_it(people, capsys):
    enrolled(people["head"])
    with pytest.raises(CommandError, match="may not reset"):
        call_command("user", "reset-two-factor", "camat", "--as", "perencana")
    assert two_factor.device_of(people["head"]) is not None
    call_command("user", "reset-two-factor", "camat")
    assert "reset" in capsys.readouterr().out
    assert two_factor.device_of(people["head"]) is None
    entry = AuditEntry.objects.get(action="security", object_repr="camat")
    assert entry.actor_name == "kinerja (command line)" and entry.actor_id is None
    with pytest.raises(CommandError, match="no user"):
        call_command("user", "reset-two-factor", "nobody")


@REQUIRED
def test_it_slows_down_wrong_codes_and_still_blocks_the_account(client, people):
    device, _codes = enrol_during_login(client, "admin")
    client.logout()
    post_login(client, "admin")
    device.refresh_from_db()
    good = code_at(device, device.last_t + 1)
    assert "tidak benar" in client.post(VERIFY, {"code": "000000"}).content.decode()
    # django-otp's back-off: right after a wrong code even the right one is not checked.
    response = client.post(VERIFY, {"code": good})
    assert "tunggu" in response.content.decode()
    assert not logged_in_user(client).is_authenticated
    # Once the wait is over, the right code works.
    EncryptedTOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(VERIFY, {"code": good})["Location"] == reverse("home")
    client.logout()

    # The log-in throttle still blocks the account after five wrong codes, back-off or not.
    post_login(client, "admin")
    for _ in range(5):
        response = client.post(VERIFY, {"code": "123456"})
    assert response["Location"] == reverse("login")
    assert LoginBlock.objects.filter(kind="account", key="admin").exists()


@pytest.mark.django_db(transaction=True)
def test_it_migrates_an_old_device_without_losing_it(settings, tmp_path):
    from django.db.migrations.executor import MigrationExecutor

    settings.KINERJA_OTP_KEY_FILE = tmp_path / "otp_key"
    before = [("accounts", "0003_city_label")]
    after = [("accounts", "0004_two_factor_on_django_otp")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("auth", "User").objects.create(username="camat-lama")
    secret = os.urandom(20)
    enrolled_at = timezone.now() - timedelta(days=400)
    last_step = int(timezone.now().timestamp() // 30) - 5
    old_apps.get_model("accounts", "TOTPDevice").objects.create(
        user=user,
        secret=base64.b32encode(secret).decode(),
        last_step=last_step,
        confirmed_at=enrolled_at,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # and every app's latest again: migrating accounts back took the migrations after it away
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth.models import User

    user = User.objects.get(pk=user.pk)
    device = EncryptedTOTPDevice.objects.get(user=user)
    assert device.confirmed and device.bin_key == secret and device.created_at == enrolled_at
    assert device.last_t == last_step and device.key.startswith("g1:")
    assert base64.b32encode(secret).decode() not in device.key
    # The same phone app still works, and an old code is still not accepted again.
    assert two_factor.check_code(user, code_at(device, last_step)).ok is False
    device.throttle_reset()
    assert two_factor.check_code(user, code_at(device)).ok is True
