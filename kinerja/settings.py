"""Kinerja settings: one file, driven by the environment (docs/configuration.md lists every setting).

Nothing secret lives here; the secret key is read from the environment or generated once into
``var/`` so a fresh clone works without setup and no key is ever committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kinerja.db.options import SQLITE_INIT_COMMAND

# Django's admin, form and file classes take the type arguments of their stubs at run time too
# (``admin.ModelAdmin[Plan]``), so annotations and the type checker agree.
django_stubs_ext.monkeypatch()

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


def env_first(names: tuple[str, ...], default: str) -> str:
    """The value of the first of ``names`` that is set (a renamed variable keeps its old name as
    a fallback for a release), else ``default``."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return default


def env_origin(name: str) -> str:
    """An address of the form scheme://host[:port] (http or https, nothing after the host but
    an optional "/"), without the trailing slash; empty when unset. Anything else stops the
    start with a message naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ImproperlyConfigured(
            f"{name} must be the site's address such as https://skm.example.go.id "
            f"(http or https, no path), not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


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
    "kinerja.budget",
    "kinerja.results",
    "kinerja.monitoring",
    "kinerja.reports",
    "kinerja.api",
    "simple_history",
    "kinerja.audit",
    "kinerja.lib",
    "kinerja.ops",
    "kinerja.demo",
    "kinerja.site",
]

MIDDLEWARE = [
    "kinerja.ops.memory.FreezeLoadedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kinerja.ops.securityheaders.ContentSecurityPolicyMiddleware",
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

ROOT_URLCONF = "kinerja.site.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "kinerja.lib.templating.Templates",
        "NAME": "django",  # the alias Django gives its own backend
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.site.context_processors.site",
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
        # IMMEDIATE takes the write lock at BEGIN so two writers queue on busy_timeout instead
        # of failing with "database is locked" mid-way; the PRAGMAs each connection runs (WAL,
        # synchronous=FULL) are explained in kinerja/db/options.py.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": SQLITE_INIT_COMMAND,
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
# Content-Security-Policy: unset → the strict default of kinerja.ops.securityheaders;
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

# Demo data is labelled on every page while loaded (see kinerja.site.context_processors).
KINERJA_DEMO_BANNER = env_bool("KINERJA_DEMO_BANNER", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINERJA_LOG_LEVEL", "WARNING")},
}

# --- accounts: two-factor log-in (django-otp) and start-up safety ---
# django-otp's TOTP devices (authenticator apps) and static devices (one-time recovery codes);
# kinerja.accounts keeps the TOTP secrets encrypted and the recovery codes hashed with the OTP key.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# The key that encrypts TOTP secrets at rest (AES-256-GCM), never stored in the database: 32
# random bytes in URL-safe base64 from the environment, else the key file (created on first use,
# mode 600). Losing it means every enrolled user must be reset; back it up with var/secret_key.
KINERJA_OTP_KEY = os.environ.get("KINERJA_OTP_KEY", "")
KINERJA_OTP_KEY_FILE = Path(os.environ.get("KINERJA_OTP_KEY_FILE", VAR_DIR / "otp_key"))
# Recovery codes given at once (shown once at set-up and when renewed; each works once).
KINERJA_RECOVERY_CODES = int(os.environ.get("KINERJA_RECOVERY_CODES", 10))
# django-otp's back-off after a wrong code: the next try waits factor × 2^(failures − 1) seconds
# (0 turns it off); the account block of KINERJA_LOGIN_MAX_FAILURES applies as well.
OTP_TOTP_THROTTLE_FACTOR = int(os.environ.get("KINERJA_OTP_THROTTLE_FACTOR", 1))
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
OTP_TOTP_ISSUER = "Kinerja"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Imports: limits on what an uploaded CSV/XLSX may cost and hold (docs/security.md).
KINERJA_XLSX_MAX_PART_BYTES = int(os.environ.get("KINERJA_XLSX_MAX_PART_BYTES", 200 * 1000**2))
KINERJA_XLSX_MAX_RATIO = int(os.environ.get("KINERJA_XLSX_MAX_RATIO", 100))
KINERJA_XLSX_MAX_PARTS = int(os.environ.get("KINERJA_XLSX_MAX_PARTS", 500))
KINERJA_XLSX_MAX_ROWS = int(os.environ.get("KINERJA_XLSX_MAX_ROWS", 1_048_576))
KINERJA_XLSX_MAX_COLUMNS = int(os.environ.get("KINERJA_XLSX_MAX_COLUMNS", 256))
KINERJA_CSV_FIELD_MAX_BYTES = int(os.environ.get("KINERJA_CSV_FIELD_MAX_BYTES", 64 * 1024))
KINERJA_EARLIEST_YEAR = int(os.environ.get("KINERJA_EARLIEST_YEAR", 2000))

# Budget lines: what one budget file may hold (docs/configuration.md#budget-lines).
KINERJA_BUDGET_FILE_MAX_BYTES = int(os.environ.get("KINERJA_BUDGET_FILE_MAX_BYTES", 5 * 1000**2))
KINERJA_BUDGET_MAX_ROWS = int(os.environ.get("KINERJA_BUDGET_MAX_ROWS", 5000))

# Plan files: limits checked before and while a plan file is read (docs/security.md).
KINERJA_PLAN_FILE_MAX_BYTES = int(os.environ.get("KINERJA_PLAN_FILE_MAX_BYTES", 1024 * 1024))
KINERJA_PLAN_YAML_MAX_DEPTH = int(os.environ.get("KINERJA_PLAN_YAML_MAX_DEPTH", 20))
KINERJA_PLAN_NUMBER_MAX_CHARS = int(os.environ.get("KINERJA_PLAN_NUMBER_MAX_CHARS", 40))
KINERJA_PLAN_EXPLANATION_MAX_CHARS = int(os.environ.get("KINERJA_PLAN_EXPLANATION_MAX_CHARS", 2000))
KINERJA_PLAN_TEXT_MAX_CHARS = int(os.environ.get("KINERJA_PLAN_TEXT_MAX_CHARS", 5000))
KINERJA_PLAN_REVISION_REASON_MAX_CHARS = int(
    os.environ.get("KINERJA_PLAN_REVISION_REASON_MAX_CHARS", 2000)
)
# The reason of a PK Perubahan (docs/rules.md#pk-per-level).
KINERJA_PK_REASON_MAX_CHARS = int(os.environ.get("KINERJA_PK_REASON_MAX_CHARS", 2000))

# -- Public surface: survey periods, public pages and the public form (docs/security.md) --------
# Survey URLs name periods from this year up to this many years after the current one; any
# other period key is a 404.
KINERJA_PERIOD_FIRST_YEAR = int(os.environ.get("KINERJA_PERIOD_FIRST_YEAR", 2000))
KINERJA_PERIOD_YEARS_AHEAD = int(os.environ.get("KINERJA_PERIOD_YEARS_AHEAD", 1))
# Anonymous requests to public pages (results, posters, the blank form, its thank-you page) per
# client and minute, counted in each worker process's memory; 0 turns it off.
KINERJA_PUBLIC_PAGE_RATE = int(os.environ.get("KINERJA_PUBLIC_PAGE_RATE", 120))
# Posters (PDF, PNG) rendered for one client a minute, per worker: those not in the cache cost
# about a second each. 0 turns it off.
KINERJA_PUBLIC_RENDER_RATE = int(os.environ.get("KINERJA_PUBLIC_RENDER_RATE", 10))
# Rendered public results pages and posters are kept this long and at most this many per
# worker; their key is a digest of the data they show, so they never go stale.
KINERJA_PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("KINERJA_PUBLIC_PAGE_CACHE_SECONDS", 3600))
KINERJA_PUBLIC_PAGE_CACHE_ENTRIES = int(os.environ.get("KINERJA_PUBLIC_PAGE_CACHE_ENTRIES", 256))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},  # Django's own
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kinerja-public-pages",
        "TIMEOUT": KINERJA_PUBLIC_PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": KINERJA_PUBLIC_PAGE_CACHE_ENTRIES},
    },
}
# The public questionnaire's POST: a UTF-8 web form (no multipart, no files) of at most this
# many bytes, refused from its headers before anything reads it (kinerja.surveys.publicpost).
KINERJA_PUBLIC_POST_MAX_BYTES = int(os.environ.get("KINERJA_PUBLIC_POST_MAX_BYTES", 32 * 1024))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "kinerja.surveys.publicpost.PublicPostGuard",
)
# A browser that has just answered a service's questionnaire is marked this long (a signed
# cookie per service): its form page says the answer is recorded and a second answer from it is
# not stored, until someone presses "Isi untuk responden lain" (kinerja.surveys.answered).
# 0 sets no mark. Kiosks never set one.
KINERJA_PUBLIC_ANSWERED_SECONDS = int(os.environ.get("KINERJA_PUBLIC_ANSWERED_SECONDS", 3600))
# The site's public address (https://skm.example.go.id): QR codes, posters and the links staff
# share start with it, not with whatever host a staff member browsed from (kinerja.surveys.links).
KINERJA_PUBLIC_URL = env_origin("KINERJA_PUBLIC_URL")

# -- Audit chain integrity, approvals, recompute concurrency (docs/configuration.md, "Audit
# integrity and approvals") --
# The audit chain's HMAC key: from the environment, else a key generated once into this file
# (mode 600). Either way it is kept outside the database, so whoever can write the database
# alone cannot forge the chain.
KINERJA_AUDIT_KEY = os.environ.get("KINERJA_AUDIT_KEY", "")
KINERJA_AUDIT_KEY_FILE = Path(os.environ.get("KINERJA_AUDIT_KEY_FILE", VAR_DIR / "audit.key"))
# The chain's count and last hash, rewritten after every commit that appended to the chain:
# a tail removed from the database (and the head row rewound) no longer matches it.
KINERJA_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("KINERJA_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchor.json")
)
# Separation of duties: the approver of a year differs from its submitter, unless a one-person
# office turns this on (each self-approval is then logged as such in the audit chain).
KINERJA_ALLOW_SELF_APPROVAL = env_bool("KINERJA_ALLOW_SELF_APPROVAL", False)
# One recompute per plan at a time: how long a second one waits for the first to finish
# before it is told that one is running.
KINERJA_RECOMPUTE_WAIT_SECONDS = float(os.environ.get("KINERJA_RECOMPUTE_WAIT_SECONDS", "10"))
# Responses after which a process freezes what it has loaded (kinerja/ops/memory.py); 0: never.
KINERJA_GC_FREEZE_REQUESTS = max(0, int(os.environ.get("KINERJA_GC_FREEZE_REQUESTS", "20")))
# What a process keeps drawn or worded, at most this many of each: trend charts (a few kB each;
# a city's dashboards at every unit and year; least recently used dropped) and core messages in
# the user's words (a recompute words the same few reasons for thousands of results; all
# dropped when full). At least one each.
KINERJA_TREND_CHARTS_KEPT = max(1, int(os.environ.get("KINERJA_TREND_CHARTS_KEPT", "2048")))
KINERJA_WORDED_MESSAGES_KEPT = max(1, int(os.environ.get("KINERJA_WORDED_MESSAGES_KEPT", "1024")))
# How often an open dashboard asks whether its results, being recomputed in the background,
# have been updated (only while some are, and only while the page is visible).
KINERJA_LIVE_POLL_SECONDS = float(os.environ.get("KINERJA_LIVE_POLL_SECONDS", "5"))
# The live recompute (docs/rules.md#live-results) under a steady flow of writes: a run that ends
# with marks left queues the next to start no sooner than this many seconds after its own start,
# so the worker does not recompute back to back beside the web server.
KINERJA_LIVE_MIN_INTERVAL_SECONDS = max(
    0.0, float(os.environ.get("KINERJA_LIVE_MIN_INTERVAL_SECONDS", "1"))
)

# Long imports and background jobs (docs/security.md): an import stores its rows in short
# transactions of this many rows, so no other writer (a citizen's form) waits behind it for
# long; a running import silent this long (or whose process is gone) is abandoned and cleaned up.
KINERJA_IMPORT_CHUNK_ROWS = max(1, int(os.environ.get("KINERJA_IMPORT_CHUNK_ROWS", 5000)))
KINERJA_IMPORT_STALE_SECONDS = int(os.environ.get("KINERJA_IMPORT_STALE_SECONDS", 300))
# Chunks a file's reading process may have built ahead of the one being stored (kept in the
# importing process; each holds KINERJA_IMPORT_CHUNK_ROWS rows).
KINERJA_IMPORT_CHUNKS_AHEAD = max(1, int(os.environ.get("KINERJA_IMPORT_CHUNKS_AHEAD", 4)))
# The job worker (``kinerja jobs run``): seconds between its looks at an empty queue (a run of
# the live recompute queued by a write waits up to this long), and how much it lowers its own
# CPU priority (os.nice, 0-19) so the web server's requests go first on a shared machine.
KINERJA_WORKER_POLL_SECONDS = max(0.01, float(os.environ.get("KINERJA_WORKER_POLL_SECONDS", "0.2")))
KINERJA_WORKER_NICE = min(19, max(0, int(os.environ.get("KINERJA_WORKER_NICE", "10"))))
# Every this many seconds (and when it starts) the worker records that it is alive and queues a
# recompute for stale marks no queued task will read (a process that died between a write's
# commit and the queuing of its recompute left them). When results wait and no worker has been
# seen for KINERJA_WORKER_SILENT_SECONDS (keep it well above the sweep), the dashboard says they
# wait for the worker and how to start it (docs/rules.md#live-results).
KINERJA_WORKER_SWEEP_SECONDS = max(0.0, float(os.environ.get("KINERJA_WORKER_SWEEP_SECONDS", "30")))
KINERJA_WORKER_SILENT_SECONDS = max(
    1.0, float(os.environ.get("KINERJA_WORKER_SILENT_SECONDS", "120"))
)
# Uploads through the web: refused above the maximum (before the body is read); above the
# inline size they go to a background job (``kinerja jobs run``) with a progress page instead of
# running inside the request, where a large file met the server's 60 s timeout.
KINERJA_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("KINERJA_IMPORT_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
)
KINERJA_IMPORT_INLINE_MAX_BYTES = int(
    os.environ.get("KINERJA_IMPORT_INLINE_MAX_BYTES", 1024 * 1024)
)
KINERJA_IMPORT_UPLOAD_DIR = Path(os.environ.get("KINERJA_IMPORT_UPLOAD_DIR", VAR_DIR / "imports"))
# Check, then store on confirmation (kinerja/lib/pending.py): a checked upload waits here for
# its uploader's "Simpan" this many seconds, at most this many per user (the oldest goes first),
# each no larger than the survey import's upload maximum.
KINERJA_PENDING_UPLOAD_DIR = Path(
    os.environ.get("KINERJA_PENDING_UPLOAD_DIR", VAR_DIR / "pending-uploads")
)
KINERJA_PENDING_UPLOAD_SECONDS = int(os.environ.get("KINERJA_PENDING_UPLOAD_SECONDS", 3600))
KINERJA_PENDING_UPLOADS_PER_USER = max(
    1, int(os.environ.get("KINERJA_PENDING_UPLOADS_PER_USER", 3))
)
# Background jobs: Django's task framework (the django-tasks backport until Django 6) with its
# database backend, so SQLite and PostgreSQL need no extra server.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KINERJA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# -- Read replica (docs/configuration.md, "Read replica") --
# A PostgreSQL streaming replica of the primary: reads of survey tallies and responses, results,
# plans and the registry made outside a write transaction go to it (kinerja/db/routing.py);
# writes, log-ins and everything read back right after a write stay on the primary. In tests
# the alias mirrors the primary's test database.
KINERJA_REPLICA_URL = os.environ.get("KINERJA_REPLICA_URL", "")
if KINERJA_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(KINERJA_REPLICA_URL, conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["kinerja.db.routing.ReplicaRouter"]

# The pictures of the user guide (docs/panduan/img/, made by the browser tests) are static files
# under panduan/, so collectstatic and WhiteNoise serve them like the rest.
STATICFILES_DIRS = [("panduan", BASE_DIR / "docs" / "panduan" / "img")]
# -- Issued documents (docs/configuration.md, "Issued documents") --
# A PKCS#12 file (.p12/.pfx) whose key signs issued PDFs (PAdES); empty: not signed. Its password
# comes from the environment only. A certificate that cannot be used stops start-up
# (system check kinerja.E201) rather than let an unsigned PDF pass as signed.
KINERJA_SIGNING_P12 = os.environ.get("KINERJA_SIGNING_P12", "")
KINERJA_SIGNING_P12_PASSWORD = os.environ.get("KINERJA_SIGNING_P12_PASSWORD", "")
# The largest PDF anyone may upload to a public verification page to compare with the issued one.
KINERJA_VERIFY_MAX_BYTES = int(os.environ.get("KINERJA_VERIFY_MAX_BYTES", 20 * 1024 * 1024))
# -- Quarterly monitoring (Rencana Aksi, laporan triwulan; docs/configuration.md, "Quarterly
# monitoring") --
# Days after a quarter ends during which its report is on time; later entries are "terlambat".
KINERJA_REPORTING_WINDOW_DAYS = int(os.environ.get("KINERJA_REPORTING_WINDOW_DAYS", "10"))
# The longest quarterly narrative field (faktor pendorong, faktor penghambat, upaya) in
# characters. KINERJA_NARRATIVE_MAX_CHARS, its former name, is still read when the new name
# is unset (for one release; docs/configuration.md).
KINERJA_QUARTER_NARRATIVE_MAX_CHARS = int(
    env_first(("KINERJA_QUARTER_NARRATIVE_MAX_CHARS", "KINERJA_NARRATIVE_MAX_CHARS"), "2000")
)
# The longest name of a Rencana Aksi action (kegiatan / sub-kegiatan) in characters.
KINERJA_RENAKSI_ACTION_MAX_CHARS = int(os.environ.get("KINERJA_RENAKSI_ACTION_MAX_CHARS", "500"))
# Notifications go by e-mail too when a mail server is named (EMAIL_HOST; Django's EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS as usual); empty means in-app only.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kinerja@localhost")
# -- LKjIP narratives (docs/configuration.md, "Reports") --
# The longest narrative staff may write for one analysis or one part of chapter I.
KINERJA_LKJIP_NARRATIVE_MAX_CHARS = int(os.environ.get("KINERJA_LKJIP_NARRATIVE_MAX_CHARS", 10000))
