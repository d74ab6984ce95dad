"""Notifications inside Kinerja, and by e-mail when a mail server is configured (EMAIL_HOST).

Each notification has a key, so a sweep that runs again (the reporting window, an early warning)
tells each person once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import Membership
from kinerja.plan.models import Plan

from . import rules
from .models import Notification, QuarterReport
from .queries import early_warnings


def notify(users: Iterable[User], kind: str, key: str, text: str, link: str = "") -> int:
    """Tell each user once per key; returns how many were told now."""
    told = 0
    now = timezone.now()
    for user in users:
        _row, created = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={"kind": kind, "text": text[:500], "link": link, "created_at": now},
        )
        if created:
            told += 1
            if settings.EMAIL_HOST and user.email:
                send_mail(
                    "Kinerja: " + text[:80],
                    text + ("\n\n" + link if link else ""),
                    None,
                    [user.email],
                )
    return told


def people_with(action: str, plan: Plan) -> QuerySet[User]:
    """The active users holding a role that may do ``action`` on the plan's unit."""
    prefixes = [plan.unit.path[: i + 1] for i, ch in enumerate(plan.unit.path) if ch == "/"]
    ids = Membership.objects.filter(
        role__in=access.roles_for(action), unit__path__in=prefixes
    ).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


def report_link(plan: Plan, year: int, quarter: int) -> str:
    return reverse("monitoring:report", args=[plan.code, year, quarter])


def report_returned(report: QuarterReport) -> None:
    if report.submitted_by is None:
        return
    notify(
        [report.submitted_by],
        Notification.Kind.RETURNED,
        f"returned:{report.pk}:{report.decided_at}",
        _("The report of Q%(q)s %(year)s (%(plan)s) was returned: %(note)s")
        % {"q": report.quarter, "year": report.year, "plan": report.plan.code, "note": report.note},
        report_link(report.plan, report.year, report.quarter),
    )


def sweep(plans: Iterable[Plan], on: date) -> int:
    """Tell the reporters when a quarter's window is open and in its last three days, and the
    heads and planners of every early warning (run daily by ``kinerja monitoring notify``)."""
    told = 0
    for plan in plans:
        for year in (on.year - 1, on.year):
            if year not in plan.years:
                continue
            for q in range(1, 5):
                if not rules.window_open(year, q, on):
                    continue
                due = rules.reporting_due(year, q)
                closing = (due - on).days < 3
                kind = (
                    Notification.Kind.WINDOW_CLOSING if closing else Notification.Kind.WINDOW_OPEN
                )
                text = (
                    _("The reporting window of Q%(q)s %(year)s closes on %(due)s.")
                    if closing
                    else _("The reporting window of Q%(q)s %(year)s is open until %(due)s.")
                ) % {"q": q, "year": year, "due": due.isoformat()}
                told += notify(
                    people_with(access.SUBMIT, plan),
                    kind,
                    f"{kind}:{plan.pk}:{year}:{q}",
                    text,
                    report_link(plan, year, q),
                )
        if on.year in plan.years:
            for _plan, indicator, forecast in early_warnings([plan], on.year):
                told += notify(
                    people_with(access.APPROVE, plan) | people_with(access.SUBMIT, plan),
                    Notification.Kind.EARLY_WARNING,
                    f"warning:{plan.pk}:{indicator.pk}:{forecast.based_on}",
                    _(
                        "Early warning: the %(year)s target of %(code)s is out of reach (forecast from %(q)s)."
                    )
                    % {"year": on.year, "code": indicator.code, "q": forecast.based_on},
                    reverse("monitoring:renaksi", args=[plan.code]) + f"?year={on.year}",
                )
    return told
