"""Per-client rate limits: public submissions (at most 20 in any 60 seconds) and page views.

Why the database and not Django's cache: the default cache is per process (LocMemCache), so
with several gunicorn workers each would count separately and a client could submit 20 × the
workers. One ``RateBucket`` row per client holds its recent submission times; it is read with
SELECT … FOR UPDATE inside a transaction (PostgreSQL locks the row; SQLite's immediate
transactions serialise writers), so concurrent requests from one client are counted exactly.
The key is an HMAC of the client address: no IP address is stored.

It runs on every public POST, so it is two plain SQL statements in one transaction (read the
row, then UPDATE it or INSERT … ON CONFLICT DO NOTHING it: ``kinerja.db.ratelimit``), not the
ORM's get_or_create with its savepoint and extra UPDATE: the ORM version cost about as much as
storing the response.

The client is the address ``kinerja.lib.clientip.client_ip`` gives, the one the log-in
throttle uses too: REMOTE_ADDR, or behind a reverse proxy (KINERJA_PROXY_COUNT) the address the
proxy appended to X-Forwarded-For, so citizens behind the proxy do not share its budget and a
client cannot pick its own bucket by writing that header.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kinerja.db.ratelimit import update_bucket
from kinerja.db.routing import write_alias
from kinerja.lib.clientip import client_ip

from .models import RateBucket

LIMIT = 20
WINDOW = timedelta(seconds=60)
STALE = timedelta(days=1)
PURGE_EVERY = timedelta(minutes=1)
_purged = datetime.min.replace(tzinfo=UTC)


def client_key(request: HttpRequest) -> str:
    address = client_ip(request) or "unknown"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"survey-rate:{address}".encode(), hashlib.sha256
    ).hexdigest()


def allow(request: HttpRequest, limit: int = LIMIT, window: timedelta = WINDOW) -> bool:
    """Count one submission for the client; False when it already had ``limit`` in ``window``."""
    now = timezone.now()
    since = (now - window).timestamp()
    allowed = False

    def counted(stored: list[float]) -> list[float]:
        nonlocal allowed
        hits = [t for t in stored if t > since]
        allowed = len(hits) < limit
        if allowed:
            hits.append(now.timestamp())
        return hits

    # Inside the caller's transaction when there is one (the form view's): no savepoint.
    with transaction.atomic(using=write_alias(RateBucket), savepoint=False):
        update_bucket(client_key(request), now, counted)
        _forget_stale(now)
    return allowed


def _forget_stale(now: datetime) -> None:
    """Forget clients not seen for a day: once a minute per process, not on every POST (it
    used to run on every POST of each minute's first second)."""
    global _purged  # noqa: PLW0603 - one timestamp per process
    if now - _purged >= PURGE_EVERY:
        _purged = now
        RateBucket.objects.filter(updated_at__lt=now - STALE).delete()


PAGE_WINDOW = 60  # seconds: the public page limits are per minute
# Clients counted in one minute, at most; past it the counts start again (a flood from this
# many addresses is beyond what a per-client limit can stop anyway).
PAGE_CLIENTS = 100_000
_page_minute = -1
_page_counts: dict[tuple[str, str], int] = {}


def _count(request: HttpRequest, kind: str, rate: int) -> bool:
    """Count one ``kind`` of request by the client; False past ``rate`` in the current minute
    (0: no limit).

    Counted in this process's memory, not in ``RateBucket`` nor a cache: a page view must
    never take the database's write lock the citizens' submissions wait for, and the blank
    questionnaire is served in well under a millisecond, which a cache round trip would
    noticeably add to. So each worker counts on its own: a client gets at most the rate times
    the workers (docs/security.md). Addresses are never written anywhere.
    """
    global _page_minute  # noqa: PLW0603 - one counter table per process
    if rate <= 0:
        return True
    minute = int(time.time()) // PAGE_WINDOW
    if minute != _page_minute or len(_page_counts) >= PAGE_CLIENTS:
        _page_counts.clear()
        _page_minute = minute
    key = (kind, client_ip(request) or "unknown")
    count = _page_counts[key] = _page_counts.get(key, 0) + 1
    return count <= rate


def allow_page(request: HttpRequest) -> bool:
    """One view of a public page, within KINERJA_PUBLIC_PAGE_RATE a minute."""
    return _count(request, "page", settings.KINERJA_PUBLIC_PAGE_RATE)


def allow_render(request: HttpRequest) -> bool:
    """One poster rendered for the client (not found in the cache: about a second of a worker),
    within KINERJA_PUBLIC_RENDER_RATE a minute."""
    return _count(request, "render", settings.KINERJA_PUBLIC_RENDER_RATE)


def forget_page_counts() -> None:
    """Start counting afresh (tests)."""
    _page_counts.clear()
