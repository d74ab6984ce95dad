from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts import two_factor
from kinerja.accounts.models import EncryptedTOTPDevice, LoginBlock, TwoFactorExemption
from kinerja.accounts.tests.helpers import code_at, enrol_during_login
from kinerja.audit.models import AuditEntry
from kinerja.test import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def post_login(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in_user(client: Client) -> User | AnonymousUser:
    return client.get(reverse("home")).wsgi_request.user


def test_it_hashes_passwords_with_argon2_in_production_settings():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from kinerja import settings as production

    assert production.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("s3cret", hasher.salt())  # argon2-cffi is installed and works
    assert encoded.startswith("argon2$argon2id$") and hasher.verify("s3cret", encoded)


def test_it_logs_in_a_user_without_two_factor_with_the_password_alone(client, people):
    response = post_login(client, "perencana", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client) == people["planner"]
    assert AuditEntry.objects.filter(action="login", actor_name="perencana").exists()


def test_it_blocks_an_account_after_five_failures_for_fifteen_minutes(client, people):
    for _ in range(4):
        response = post_login(client, "perencana", "wrong")
        assert "Masukkan nama pengguna" in response.content.decode() or response.status_code == 200
    response = post_login(client, "perencana", "wrong")
    assert "Terlalu banyak" in response.content.decode()
    # Now even the right password is refused, without being checked.
    response = post_login(client, "perencana", PASSWORD)
    assert response.status_code == 200 and "Terlalu banyak" in response.content.decode()
    assert "15 menit" in response.content.decode()
    assert not logged_in_user(client).is_authenticated
    block = LoginBlock.objects.get(kind="account", key="perencana")
    assert timedelta(minutes=14) < block.until - timezone.now() <= timedelta(minutes=15)
    assert AuditEntry.objects.filter(action="login_failed", actor_name="perencana").count() == 5
    assert AuditEntry.objects.filter(action="login_throttled", actor_name="perencana").exists()
    # Another account from another address is not affected.
    assert post_login(client, "camat", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302
    # When the block ends, the right password works again.
    LoginBlock.objects.update(until=timezone.now() - timedelta(seconds=1))
    client.logout()
    assert post_login(client, "perencana", PASSWORD).status_code == 302


@override_settings(KINERJA_LOGIN_MAX_FAILURES_PER_CLIENT=3)
def test_it_blocks_a_client_address_trying_many_accounts(client, people):
    for name in ("a", "b", "c"):
        post_login(client, name, "wrong", REMOTE_ADDR="192.0.2.7")
    assert LoginBlock.objects.filter(kind="client", key="192.0.2.7").exists()
    response = post_login(client, "perencana", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert "Terlalu banyak" in response.content.decode()
    assert post_login(client, "perencana", PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 302


@override_settings(KINERJA_PROXY_COUNT=1)
def test_it_takes_the_client_address_from_the_trusted_proxy(client, people):
    post_login(
        client, "x", "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4"
    )
    entry = AuditEntry.objects.filter(action="login_failed").first()
    assert entry is not None
    assert entry.ip == "198.51.100.4"


def enrol_admin(client) -> EncryptedTOTPDevice:
    device, codes = enrol_during_login(client, "admin")
    assert len(codes) == 10
    return device


@override_settings(KINERJA_REQUIRE_2FA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_it_requires_administrators_to_enrol_and_then_asks_for_a_code(client, people):
    device = enrol_admin(client)
    assert logged_in_user(client) == people["admin"]
    assert two_factor.device_of(people["admin"]) == device
    client.logout()

    response = post_login(client, "admin", PASSWORD)
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert not logged_in_user(client).is_authenticated
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert "tidak benar" in response.content.decode()
    # The code used at enrolment is refused (no replay); the next step's code is accepted.
    device.refresh_from_db()
    used = device.last_t
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_at(device, used)})
    assert not logged_in_user(client).is_authenticated
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_at(device, used + 1)}
    )
    assert response.status_code == 302
    assert logged_in_user(client) == people["admin"]


@override_settings(KINERJA_REQUIRE_2FA=True)
def test_it_blocks_guessing_of_two_factor_codes(client, people):
    enrol_admin(client)
    client.logout()
    post_login(client, "admin", PASSWORD)
    for _ in range(5):
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert LoginBlock.objects.filter(kind="account", key="admin").exists()
    # The half-done log-in was dropped; a new password log-in is blocked too.
    assert client.get(reverse("accounts:two_factor_verify"))["Location"] == reverse("login")
    assert "Terlalu banyak" in post_login(client, "admin", PASSWORD).content.decode()


@override_settings(KINERJA_REQUIRE_2FA=True)
def test_it_requires_two_factor_of_unit_heads_but_not_of_planners(people):
    assert two_factor.required(people["head"]) and two_factor.required(people["admin"])
    assert not two_factor.required(people["planner"])
    assert not two_factor.required(people["operator"])


@override_settings(KINERJA_REQUIRE_2FA=True)
def test_it_lets_exempt_demo_users_log_in_with_the_password(client, people):
    from kinerja.demo.accounts import exempt_demo_users

    exempt_demo_users(None)  # type: ignore[arg-type]  # a demo step that does not read its plan
    assert TwoFactorExemption.objects.filter(user=people["admin"]).exists()
    assert post_login(client, "admin", PASSWORD)["Location"] == reverse("home")


@override_settings(KINERJA_REQUIRE_2FA=False)
def test_it_lets_anyone_turn_on_two_factor_optionally(client, people, login):
    client = login(people["planner"])
    page = client.get(reverse("accounts:security"))
    assert page.status_code == 200 and "Aktifkan verifikasi dua langkah" in page.content.decode()
    client.get(reverse("accounts:two_factor_enrol"))
    device = EncryptedTOTPDevice.objects.get(user=people["planner"])
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_at(device)})
    assert response.status_code == 200 and "Kode pemulihan" in response.content.decode()
    assert two_factor.device_of(people["planner"]) is not None
    client.post(reverse("accounts:two_factor_disable"))
    assert not EncryptedTOTPDevice.objects.filter(user=people["planner"]).exists()
    assert two_factor.recovery_codes_left(people["planner"]) == 0
    assert AuditEntry.objects.filter(action="security", reason="two-factor removed").exists()


def test_it_sends_the_admin_log_in_to_the_kinerja_log_in(client, people):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_refuses_a_foreign_next_url(client, people):
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"username": "perencana", "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")


def test_it_opens_the_admin_to_superusers_only(people, login):
    from kinerja.test import make_user

    staff = make_user("staf-admin")
    staff.is_staff = True
    staff.save()
    response = login(staff).get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert login(people["admin"]).get("/admin/").status_code == 200
