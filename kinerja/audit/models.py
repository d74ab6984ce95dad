"""The audit trail: one hash-chained log of every change, log-in and refused access.

Model history itself (every version of a tracked row) is kept by django-simple-history; the
historical models of every tracked model are registered here (see ``tracked.py``) so that all
history tables and their migrations live in this app. Each historical record also appends one
``AuditEntry``; entries form a chain (each hash covers the entry's content and the previous
entry's hash, keyed with a secret kept outside the database, see ``chain.py``), so an entry
edited or removed in the database afterwards is detected by ``kinerja audit verify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("log-in failed")
        LOGIN_THROTTLED = "login_throttled", _("log-in blocked after repeated failures")
        ACCESS_REFUSED = "access_refused", _("access refused")
        SECURITY = "security", _("security setting changed")
        IMPORT = "import", _("file imported")
        # Where the chain starts to be keyed: the entries before it were hashed without a key.
        SEAL = "seal", _("chain sealed with the audit key")
        SELF_APPROVAL = "self_approval", _("year approved by its own submitter")

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # No database constraint: deleting a user must neither fail nor rewrite the log; the
    # username at the time (actor_name) is what the hash covers.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    model = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    # The org unit the record belonged to, as its materialised path: kept as text so the log
    # still answers "what happened in this unit" after the unit itself is gone.
    unit_path = models.CharField(_("unit"), max_length=1000, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_entry_object")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """The chain's last number and hash, one row: appenders lock it so numbers never collide,
    and ``verify`` compares it with the last entry so a removed tail is detected too."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


# Historical models of other apps' models are created in this module (see tracked.py).
from .tracked import register_history  # noqa: E402

register_history()
