from __future__ import annotations

import io
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kinerja.ops.serving import default_workers

ROOT = Path(settings.BASE_DIR)
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import CommandError, call_command
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps({name: getattr(settings, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "PASSWORD_HASHERS", "KINERJA_REQUIRE_2FA"]}))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Only what a production machine would have: no KINERJA_ or test-only Django variables.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KINERJA_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kinerja.settings",
            "KINERJA_DEBUG": "0",
            "KINERJA_HTTPS": "1",
            "KINERJA_SECRET_KEY": secrets.token_urlsafe(50),
            "KINERJA_ALLOWED_HOSTS": "kinerja.probolinggokota.go.id",
            "KINERJA_VAR_DIR": str(tmp_path),
        }
    )
    env.update(extra)
    return env


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False and values["KINERJA_REQUIRE_2FA"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_it_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    page = response.content.decode()
    assert "<script>" not in page and " onclick=" not in page
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_takes_the_worker_count_from_the_cpus():
    assert [default_workers(n) for n in (1, 2, 4, 16)] == [3, 5, 9, 12]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_serves_under_gunicorn(tmp_path):
    port = free_port()
    env = production_env(tmp_path, KINERJA_HTTPS="0", KINERJA_ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kinerja.cli",
            "server",
            "run",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    assert r.status == 200 and r.read() == b"ok"
                    assert "Content-Security-Policy" in r.headers
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = server.stdout.read() if server.stdout else ""
    assert "with 1 workers (gunicorn)" in output and "Booting worker" in output


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_into_a_fresh_database_identically(tmp_path, settings):
    from kinerja.test import load_wonoasih, personas

    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "community" / "evidence" / "2024" / "foto.jpg"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"\xff\xd8 a photo")
    load_wonoasih()
    personas()

    def snapshot() -> str:
        out = io.StringIO()
        call_command("dumpdata", "--all", "--natural-foreign", "--indent", "0", stdout=out)
        return out.getvalue()

    before = snapshot()
    archive = tmp_path / "backup" / "kinerja.tar.gz"
    call_command("backup", "create", str(archive), stdout=io.StringIO())
    assert archive.is_file()

    with pytest.raises(CommandError, match="already holds accounts"):
        call_command("backup", "restore", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)  # a fresh, empty database
    import shutil

    shutil.rmtree(settings.MEDIA_ROOT)
    assert snapshot() != before
    call_command("backup", "restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before
    assert evidence.read_bytes() == b"\xff\xd8 a photo"


def test_it_refuses_an_archive_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable tar.gz"):
        call_command("backup", "restore", str(bogus), stdout=io.StringIO())
