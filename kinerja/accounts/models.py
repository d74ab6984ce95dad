"""Organisation units: the tree city > kecamatan > kelurahan every number belongs to."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City/Regency")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

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
        return f"{self.get_level_display()} {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
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

    @property
    def display_name(self) -> str:
        return str(self)


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
