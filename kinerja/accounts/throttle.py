"""Log-in throttling: too many failures for one account or one client address block it a while.

Failed passwords and failed two-factor codes both count. A block is a row with an end time, so
it lasts its full length whatever happens meanwhile, and attempts during it are refused without
checking the password (so a blocked attacker learns nothing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from kinerja.lib.clientip import client_ip

from .models import LoginBlock, LoginFailure
from .signals import login_throttled


def normalise(username: str) -> str:
    return (username or "").strip().lower()[:150]


def window() -> timedelta:
    return timedelta(minutes=settings.KINERJA_LOGIN_WINDOW_MINUTES)


def lockout() -> timedelta:
    return timedelta(minutes=settings.KINERJA_LOGIN_LOCKOUT_MINUTES)


def blocked_until(username: str, request: HttpRequest | None) -> datetime | None:
    now = timezone.now()
    q = Q(kind=LoginBlock.Kind.ACCOUNT, key=normalise(username))
    ip = client_ip(request)
    if ip:
        q |= Q(kind=LoginBlock.Kind.CLIENT, key=ip)
    until: datetime | None = LoginBlock.objects.filter(q, until__gt=now).aggregate(m=Max("until"))[
        "m"
    ]
    return until


def record_failure(username: str, request: HttpRequest | None) -> datetime | None:
    """Count one failure; returns the end of a block it started, if any."""
    now = timezone.now()
    name, ip = normalise(username), client_ip(request)
    LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
    LoginFailure.objects.create(at=now, username=name, ip=ip)
    started = None
    checks = [(LoginBlock.Kind.ACCOUNT, name, "username", settings.KINERJA_LOGIN_MAX_FAILURES)]
    if ip:
        checks.append(
            (LoginBlock.Kind.CLIENT, ip, "ip", settings.KINERJA_LOGIN_MAX_FAILURES_PER_CLIENT)
        )
    for kind, key, column, limit in checks:
        # Failures before the end of an earlier block were already paid for.
        last_block = LoginBlock.objects.filter(kind=kind, key=key).aggregate(m=Max("until"))["m"]
        since = max(now - window(), last_block) if last_block else now - window()
        if LoginFailure.objects.filter(**{column: key}, at__gt=since).count() >= limit:
            until = now + lockout()
            LoginBlock.objects.create(kind=kind, key=key, until=until)
            login_throttled.send(None, username=name, request=request, until=until)
            started = until
    return started


def record_success(username: str) -> None:
    LoginFailure.objects.filter(username=normalise(username)).delete()


def minutes_left(until: datetime) -> int:
    return max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
