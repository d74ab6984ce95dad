"""Signal receivers that append to the audit chain: model history, log-ins, security events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from kinerja.accounts.signals import login_throttled, security_event
from kinerja.lib.clientip import client_ip

from . import chain
from .models import AuditEntry
from .tracked import unit_path_of

ACTION_BY_HISTORY_TYPE = {
    "+": AuditEntry.Action.CREATE,
    "~": AuditEntry.Action.CHANGE,
    "-": AuditEntry.Action.DELETE,
}


def stored_form(field: models.Field[Any, Any], value: Any) -> Any:
    """The value as the database keeps it, so "30", 30 and Decimal("30.0000") compare equal."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        number = field.to_python(value)
        return str(number.quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(field, models.DateTimeField | models.DateField | models.TimeField):
        return chain.plain(field.to_python(value))
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value) or "")  # the stored file name, not the file
    try:
        return chain.plain(value)
    except TypeError:  # a custom field's value: its text is what the log can keep
        return str(value)


def tracked_values(history_instance: Any) -> dict[str, Any]:
    return {
        f.attname: stored_form(f, getattr(history_instance, f.attname))
        for f in history_instance.tracked_fields
    }


def changes_of(history_instance: Any) -> dict[str, Any] | None:
    """{"before": …, "after": …} of the fields that changed; None for a save that changed nothing."""
    current = tracked_values(history_instance)
    kind = history_instance.history_type
    if kind == "+":
        return {"after": current}
    if kind == "-":
        return {"before": current}
    previous_record = history_instance.prev_record
    if previous_record is None:  # history started after the row existed
        return {"before": None, "after": current}
    previous = tracked_values(previous_record)
    # A save that only moved an auto_now stamp (a reload of an unchanged plan) changed nothing.
    stamps = {f.attname for f in history_instance.tracked_fields if getattr(f, "auto_now", False)}
    changed = [
        name for name in current if name not in stamps and current[name] != previous.get(name)
    ]
    if not changed:
        return None
    return {
        "before": {name: previous.get(name) for name in changed},
        "after": {name: current[name] for name in changed},
    }


def current_request() -> Any:
    return getattr(HistoricalRecords.context, "request", None)


def on_history(sender: type[models.Model], history_instance: Any, **kwargs: Any) -> None:
    if sender._meta.app_label != "audit":
        return
    changes = changes_of(history_instance)
    if changes is None:
        return
    instance = history_instance.instance
    chain.append(
        ACTION_BY_HISTORY_TYPE[history_instance.history_type],
        actor=history_instance.history_user,
        model=instance._meta.label_lower,
        object_id=str(instance.pk if instance.pk is not None else history_instance.id),
        object_repr=str(instance),
        unit_path=unit_path_of(instance),
        changes=changes,
        reason=history_instance.history_change_reason or "",
        ip=client_ip(current_request()),
    )


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    chain.append(AuditEntry.Action.LOGIN, actor=user, ip=client_ip(request))


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        chain.append(AuditEntry.Action.LOGOUT, actor=user, ip=client_ip(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # Django already masks the password in ``credentials``; only the username is kept.
    chain.append(
        AuditEntry.Action.LOGIN_FAILED,
        actor_name=str(credentials.get("username") or ""),
        ip=client_ip(request),
    )


def on_throttled(sender: Any, username: str, request: Any, until: Any, **kwargs: Any) -> None:
    chain.append(
        AuditEntry.Action.LOGIN_THROTTLED,
        actor_name=username,
        reason=f"blocked until {chain.utc_text(until)}",
        ip=client_ip(request),
    )


def on_security_event(
    sender: Any,
    user: Any,
    what: str,
    request: Any = None,
    actor: Any = None,
    actor_name: str = "",
    **kw: Any,
) -> None:
    # The one acting on another user's account (an administrator's reset) is named as the actor;
    # otherwise the logged-in user, or during log-in the user themselves.
    if actor is None and not actor_name:
        actor = request.user if request is not None and request.user.is_authenticated else user
    chain.append(
        AuditEntry.Action.SECURITY,
        actor=actor,
        actor_name=actor_name,
        model="auth.user" if user is not None else "",
        object_id=str(user.pk) if user is not None else "",
        object_repr=user.get_username() if user is not None else "",
        reason=what,
        ip=client_ip(request),
    )


def connect() -> None:
    post_create_historical_record.connect(on_history, dispatch_uid="audit-history")
    user_logged_in.connect(on_login, dispatch_uid="audit-login")
    user_logged_out.connect(on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")
    login_throttled.connect(on_throttled, dispatch_uid="audit-throttled")
    security_event.connect(on_security_event, dispatch_uid="audit-security")
