"""Kinerja settings: one file, driven by the environment (docs/configuration.md lists every setting).

Nothing secret lives here; the secret key is read from the environment or generated once into
``var/`` so a fresh clone works without setup and no key is ever committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KINERJA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def load_secret_key() -> str:
    """Use KINERJA_SECRET_KEY, else a key generated once into var/ (mode 600)."""
    key = os.environ.get("KINERJA_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = load_secret_key()
DEBUG = env_bool("KINERJA_DEBUG", False)
ALLOWED_HOSTS = env_list("KINERJA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KINERJA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kinerja.accounts",
    "kinerja.plan",
    "kinerja.community",
    "kinerja.surveys",
    "kinerja.results",
    "kinerja.reports",
    "kinerja.api",
    "simple_history",
    "kinerja.audit",
    "kinerja.web",
    "kinerja.benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kinerja.accounts.securityheaders.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kinerja.audit.middleware.RefusedAccessMiddleware",
]

ROOT_URLCONF = "kinerja.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.context_processors.site",
            ],
        },
    }
]


def database_config() -> dict[str, object]:
    url = os.environ.get("KINERJA_DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kinerja.sqlite3",
            # Kept open between requests like PostgreSQL's: opening a SQLite connection
            # (Django registers its SQL functions, then the PRAGMAs below) cost ~1.6 ms, more
            # than the public form's view itself, on every request that reads the database.
            "CONN_MAX_AGE": 60,
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run during a write; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing with "database is locked" mid-way.
        # synchronous=FULL syncs the WAL at every commit: an answer the server acknowledged
        # survives a power cut too, as PostgreSQL's commits do (NORMAL keeps it only through a
        # crash of the server process). Measured: ~0.2 ms of disk wait per commit, no CPU.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
        config["TEST"] = {"NAME": None}
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (memory-hard, the OWASP recommendation); PBKDF2 stays so older hashes still
# verify and are upgraded to Argon2 at the user's next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Log-in throttling (kinerja.accounts.throttle): failures within the window block the account
# (or the client address) for the lockout time. Per client the limit is higher because an office
# shares one address behind its router.
KINERJA_LOGIN_MAX_FAILURES = int(os.environ.get("KINERJA_LOGIN_MAX_FAILURES", 5))
KINERJA_LOGIN_MAX_FAILURES_PER_CLIENT = int(
    os.environ.get("KINERJA_LOGIN_MAX_FAILURES_PER_CLIENT", 20)
)
KINERJA_LOGIN_WINDOW_MINUTES = int(os.environ.get("KINERJA_LOGIN_WINDOW_MINUTES", 15))
KINERJA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("KINERJA_LOGIN_LOCKOUT_MINUTES", 15))
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
KINERJA_PROXY_COUNT = int(os.environ.get("KINERJA_PROXY_COUNT", 0))
# Two-factor log-in required for administrators and unit heads (on unless KINERJA_DEBUG);
# users with a TwoFactorExemption (the demo users) are let through.
KINERJA_REQUIRE_2FA = env_bool("KINERJA_REQUIRE_2FA", not DEBUG)
# Production hardening (docs/deploy.md). Behind an HTTPS reverse proxy set KINERJA_HTTPS=1: the
# proxy must overwrite X-Forwarded-Proto, because Django then trusts it to tell HTTPS requests.
KINERJA_HTTPS = env_bool("KINERJA_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if KINERJA_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("KINERJA_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("KINERJA_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KINERJA_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("KINERJA_HSTS_PRELOAD", True)
    # /healthz is probed over plain HTTP by the proxy or the monitor on the same machine.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy: unset → the strict default of kinerja.accounts.securityheaders;
# empty → no header.
KINERJA_CSP = os.environ.get("KINERJA_CSP")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("KINERJA_SESSION_AGE", 8 * 3600))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # No manifest: URLs work without a collectstatic step (tests, a fresh clone).
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Without collectstatic (tests, runserver) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Demo data is labelled on every page while loaded (see kinerja.context_processors).
KINERJA_DEMO_BANNER = env_bool("KINERJA_DEMO_BANNER", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINERJA_LOG_LEVEL", "WARNING")},
}

# Long imports and background jobs (docs/security.md): an import stores its rows in short
# transactions of this many rows, so no other writer (a citizen's form) waits behind it for
# long; a running import silent this long (or whose process is gone) is abandoned and cleaned up.
KINERJA_IMPORT_CHUNK_ROWS = max(1, int(os.environ.get("KINERJA_IMPORT_CHUNK_ROWS", 5000)))
KINERJA_IMPORT_STALE_SECONDS = int(os.environ.get("KINERJA_IMPORT_STALE_SECONDS", 300))
# Uploads through the web: refused above the maximum (before the body is read); above the
# inline size they go to a background job (``kinerja worker``) with a progress page instead of
# running inside the request, where a large file met the server's 60 s timeout.
KINERJA_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("KINERJA_IMPORT_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
)
KINERJA_IMPORT_INLINE_MAX_BYTES = int(
    os.environ.get("KINERJA_IMPORT_INLINE_MAX_BYTES", 1024 * 1024)
)
KINERJA_IMPORT_UPLOAD_DIR = Path(os.environ.get("KINERJA_IMPORT_UPLOAD_DIR", VAR_DIR / "imports"))
# Background jobs: Django's task framework (the django-tasks backport until Django 6) with its
# database backend, so SQLite and PostgreSQL need no extra server.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KINERJA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
