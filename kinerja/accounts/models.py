"""Organisation units: the tree every number belongs to.

Province > city (kota) or regency (kabupaten) > kecamatan > kelurahan or desa; which level may
sit under which, and the words each level is named by, are in ``levels.py``.
"""

from __future__ import annotations

from binascii import unhexlify
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import otpkey


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        # Appended after the first four so stored values and their order stay as they were.
        REGENCY = "regency", _("Regency")
        DESA = "desa", _("Desa")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Materialised path ("/kota-probolinggo/kec-wonoasih/"): "this unit and everything under it"
    # becomes one indexed prefix filter, so aggregates never walk the tree in Python.
    path = models.CharField(max_length=1000, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        # The level's label as get_level_display() gives it, without rebuilding the field's
        # choices on each call: a city's dashboard names every unit several times.
        try:
            level = str(self.Level(self.level).label)
        except ValueError:
            level = self.level
        return f"{level} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A unit moved: its subtree's paths follow it.
            for child in self.children.all():
                child.save()

    def subtree(self) -> QuerySet[OrgUnit]:
        """This unit and every unit under it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def subtree_q(self, field: str = "unit") -> Q:
        """A filter for rows whose ``field`` points into this unit's subtree."""
        return Q(**{f"{field}__path__startswith": self.path})

    def ancestors(self) -> list[OrgUnit]:
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    HEAD = "head", _("Unit head (Camat)")
    PLANNER = "planner", _("Planner")
    SURVEY_OFFICER = "survey_officer", _("Survey officer")
    REGISTRY_OFFICER = "registry_officer", _("Registry officer")
    KELURAHAN_OPERATOR = "kelurahan_operator", _("Kelurahan operator")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in an org unit; it covers that unit and every unit under it."""

    user = models.ForeignKey("auth.User", models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_unit")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class LoginFailure(models.Model):
    """One failed log-in (password or two-factor code), kept a day for throttling."""

    at = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("failed log-in")
        verbose_name_plural = _("failed log-ins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip or ''}"


class LoginBlock(models.Model):
    """An account or a client address refused log-in until ``until``."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        CLIENT = "client", _("client address")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("account or address"), max_length=150)
    until = models.DateTimeField(_("blocked until"), db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="login_block_key")]
        verbose_name = _("log-in block")
        verbose_name_plural = _("log-in blocks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} → {self.until:%Y-%m-%d %H:%M}"


class EncryptedTOTPDevice(TOTPDevice):  # type: ignore[misc]  # django-otp ships no types
    """django-otp's TOTP device (authenticator app) whose key column holds the secret encrypted.

    Verification, replay protection (``last_t``), clock drift and throttling are django-otp's;
    only reading the key differs: the column holds the secret sealed with the OTP key
    (kinerja.accounts.otpkey), never the secret itself. django-otp's own helpers that enumerate
    devices (``devices_for_user``, ``match_token``) see the base model and must not be used.
    """

    class Meta:
        proxy = True
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    key: str  # django-otp's column, untyped there

    @property
    def bin_key(self) -> bytes:
        return otpkey.unseal(self.key, self.user_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # django-otp's default key is plain hex: it is sealed before it reaches the database.
        if not otpkey.is_sealed(self.key):
            self.key = otpkey.seal(unhexlify(self.key), self.user_id)
        super().save(*args, **kwargs)


class RecoveryCodeDevice(StaticDevice):  # type: ignore[misc]  # django-otp ships no types
    """django-otp's static device holding a user's one-time recovery codes, stored hashed.

    Each of its StaticToken rows holds ``otpkey.recovery_digest(code)``, not the code: a typed
    code is hashed the same way and handed to django-otp, which finds the row, deletes it (a
    code works once) and throttles wrong guesses.
    """

    class Meta:
        proxy = True
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token: str) -> bool:
        if not otpkey.normalise_recovery_code(token):
            return False
        return bool(super().verify_token(otpkey.recovery_digest(token)))


class TwoFactorExemption(models.Model):
    """A user who may log in without two-factor even where it is required (demo users)."""

    user = models.OneToOneField(
        "auth.User", models.CASCADE, related_name="two_factor_exemption", verbose_name=_("user")
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor exemption")
        verbose_name_plural = _("two-factor exemptions")

    def __str__(self) -> str:
        return f"{self.user}: {self.reason}"


class ApiKey(models.Model):
    """A personal key for the JSON API; it acts with its owner's roles, read-only unless allowed.

    Only a SHA-256 of the key is stored: keys are 256-bit random, so a slow hash adds nothing,
    and the prefix (shown in lists) finds the row without scanning.
    """

    user = models.ForeignKey(
        "auth.User", models.CASCADE, related_name="api_keys", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    can_write = models.BooleanField(_("may write"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
