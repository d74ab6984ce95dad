"""Per-client rate limit of public submissions: at most 20 in any 60 seconds.

Why the database and not Django's cache: the default cache is per process (LocMemCache), so
with several gunicorn workers each would count separately and a client could submit 20 × the
workers. One ``RateBucket`` row per client holds its recent submission times; it is read with
SELECT … FOR UPDATE inside a transaction (PostgreSQL locks the row; SQLite's immediate
transactions serialise writers), so concurrent requests from one client are counted exactly.
The key is an HMAC of the client address: no IP address is stored.

The client address is REMOTE_ADDR. Behind a reverse proxy, the proxy must pass the client
address through (e.g. gunicorn's --forwarded-allow-ips with a proxy that sets it), or every
citizen would share the proxy's budget.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import RateBucket

LIMIT = 20
WINDOW = timedelta(seconds=60)
STALE = timedelta(days=1)


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"survey-rate:{address}".encode(), hashlib.sha256
    ).hexdigest()


def allow(request: HttpRequest, limit: int = LIMIT, window: timedelta = WINDOW) -> bool:
    """Count one submission for the client; False when it already had ``limit`` in ``window``."""
    now = timezone.now()
    key = client_key(request)
    with transaction.atomic():
        bucket, _created = RateBucket.objects.select_for_update().get_or_create(key=key)
        since = (now - window).timestamp()
        hits = [t for t in bucket.hits if t > since]
        allowed = len(hits) < limit
        if allowed:
            hits.append(now.timestamp())
        bucket.hits = hits
        bucket.save(update_fields=["hits", "updated_at"])
        if now.second == 0:
            # Roughly once a minute, forget clients not seen for a day.
            RateBucket.objects.filter(updated_at__lt=now - STALE).delete()
    return allowed
