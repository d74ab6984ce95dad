"""The client's address, also behind a reverse proxy (KINERJA_PROXY_COUNT).

Behind nginx every request comes from 127.0.0.1, which would make per-client throttling lock
out everyone at once; the proxy appends the real address to X-Forwarded-For. We trust exactly
as many entries from the right as there are proxies we run, never what the client wrote.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "KINERJA_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
