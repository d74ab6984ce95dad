"""Start-up safety: a weak secret key or an unsafe OTP key stops production, not just a warning."""

from __future__ import annotations

import base64
import io
import secrets
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from kinerja.accounts import checks, otpkey
from kinerja.accounts.models import EncryptedTOTPDevice
from kinerja.ops.tests.test_production import ROOT, production_env

STRONG = secrets.token_urlsafe(50)
WEAK_KEYS = [
    "short-key",
    # Django's development key (a fixed one: xdist workers must collect the same test ids)
    "django-insecure-4r$8kq(w2!zv7^m1n@x#c3e5b0t9y6u-j&h%g*f+d=s)a_p[l]o",
    "a-production-secret-" + "x7Qp" * 16,  # long, but a repeated pattern
    "ab" * 40,  # long, two characters
]


def run_kinerja(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kinerja.cli", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("key", WEAK_KEYS, ids=["short", "django-insecure", "pattern", "two-chars"])
def test_it_calls_short_default_and_low_entropy_secret_keys_weak(key):
    assert checks.secret_key_problem(key) is not None


def test_it_accepts_random_secret_keys():
    for key in (STRONG, secrets.token_hex(32), secrets.token_urlsafe(64)):
        assert checks.secret_key_problem(key) is None, key


def test_it_fails_check_deploy_with_a_weak_secret_key(tmp_path):
    done = run_kinerja(tmp_path, "check", "--deploy", KINERJA_SECRET_KEY=WEAK_KEYS[2])
    assert done.returncode != 0
    assert "kinerja.E001" in done.stderr and "low entropy" in done.stderr


def test_it_refuses_to_serve_in_production_with_a_weak_secret_key(tmp_path):
    done = run_kinerja(tmp_path, "server", "run", "--dry-run", KINERJA_SECRET_KEY="short-key")
    assert done.returncode != 0 and "gunicorn" not in done.stdout
    assert "will not start in production" in done.stderr
    assert "shorter than 50 characters" in done.stderr
    # With a strong key it starts; in development (KINERJA_DEBUG=1) a weak key is let through.
    assert (
        run_kinerja(tmp_path, "server", "run", "--dry-run", KINERJA_SECRET_KEY=STRONG).returncode
        == 0
    )
    debug = run_kinerja(
        tmp_path, "server", "run", "--dry-run", KINERJA_SECRET_KEY="k", KINERJA_DEBUG="1"
    )
    assert debug.returncode == 0 and "gunicorn" in debug.stdout


def key_text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG
    settings.KINERJA_OTP_KEY = ""
    settings.KINERJA_OTP_KEY_FILE = tmp_path / "otp_key"
    return settings


def serve_refusal() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("server", "run", "--dry-run", stdout=io.StringIO())
    return str(refused.value)


@pytest.mark.django_db
def test_it_refuses_to_serve_with_a_weak_or_malformed_otp_key(production):
    production.KINERJA_OTP_KEY = key_text(bytes(32))
    assert "OTP key in KINERJA_OTP_KEY is weak" in serve_refusal()
    production.KINERJA_OTP_KEY = "not-a-key"
    assert "not 32 bytes" in serve_refusal()
    errors = checks.check_keys()
    assert [e.id for e in errors] == ["kinerja.E002"] and "not 32 bytes" in errors[0].msg
    production.KINERJA_OTP_KEY = otpkey.new_key_text()
    out = io.StringIO()
    call_command("server", "run", "--dry-run", stdout=out)
    assert "gunicorn" in out.getvalue() and checks.check_keys() == []


@pytest.mark.django_db
def test_it_refuses_to_serve_with_an_otp_key_file_others_can_read(production):
    otpkey.create_key_file(production.KINERJA_OTP_KEY_FILE)
    production.KINERJA_OTP_KEY_FILE.chmod(0o644)
    assert "chmod 600" in serve_refusal()
    assert [e.id for e in checks.check_keys()] == ["kinerja.E002"]


@pytest.mark.django_db
def test_it_creates_a_missing_otp_key_on_first_start_but_not_over_stored_devices(
    production, people
):
    key_file = production.KINERJA_OTP_KEY_FILE
    assert checks.startup_problems() == [] and key_file.exists()  # first start: a new key
    EncryptedTOTPDevice(user=people["head"], name="phone").save()
    key_file.unlink()  # the key is lost (a restore onto a new machine without var/)
    message = serve_refusal()
    assert "OTP key is missing" in message and "lock every enrolled user out" in message
    assert not key_file.exists()  # no new key was made over the stored secrets
    production.KINERJA_OTP_KEY = otpkey.new_key_text()  # the wrong key
    assert "does not open the stored TOTP secrets" in serve_refusal()
