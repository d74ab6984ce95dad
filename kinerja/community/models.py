"""The community registry: groups and institutions per kelurahan, and the activities reaching them.

The empowerment indicators of a kecamatan (Cakupan Pemas, groups facilitated) are counted from
these rows by ``measures.py``; nothing here stores a count.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.levels import CITY_LEVELS, VILLAGE_LEVELS
from kinerja.accounts.models import OrgUnit


def city_of(unit: OrgUnit) -> OrgUnit:
    """The city or regency (or, in a tree without that level, the root) a village belongs to.

    Group codes are unique per city, so two cities on one instance may both have "RW-01".
    """
    codes = unit.path.strip("/").split("/")
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    for code in codes:
        if units[code].level in CITY_LEVELS:
            return units[code]
    return units[codes[0]]


class GroupKind(models.Model):
    """A kind of group or institution (RT, Posyandu, KUBE, ...): data, editable per city."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    is_institution = models.BooleanField(
        _("institution"),
        default=False,
        help_text=_("A lembaga kemasyarakatan (RT, RW, LPMK, ...) rather than a community group."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Empty for the kinds every city shares; a city adds its own local kinds.
    city = models.ForeignKey(
        OrgUnit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="kind_code_unique_per_city"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(city__isnull=True), name="kind_code_unique_global"
            ),
        ]
        verbose_name = _("group kind")
        verbose_name_plural = _("group kinds")

    def __str__(self) -> str:
        return self.name


class GroupQuerySet(models.QuerySet["Group"]):
    def existing_between(self, start: date, end: date) -> GroupQuerySet:
        """Groups that existed on at least one day of [start, end]."""
        return self.filter(established__lte=end).filter(
            Q(dissolved__isnull=True) | Q(dissolved__gte=start)
        )


class Group(models.Model):
    """A community group or institution of one kelurahan."""

    city = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="+", editable=False, verbose_name=_("city")
    )
    kelurahan = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        related_name="community_groups",
        verbose_name=_("kelurahan"),
        limit_choices_to={"level__in": VILLAGE_LEVELS},
    )
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        GroupKind, models.PROTECT, related_name="groups", verbose_name=_("kind")
    )
    established = models.DateField(_("established"))
    dissolved = models.DateField(
        _("dissolved"),
        null=True,
        blank=True,
        help_text=_("Last day of existence; empty while active."),
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kelurahan__path", "kind__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="group_code_unique_per_city"),
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(dissolved__gte=models.F("established")),
                name="group_dissolved_after_established",
            ),
        ]
        indexes = [models.Index(fields=["kelurahan", "established"], name="group_kel_established")]
        verbose_name = _("community group or institution")
        verbose_name_plural = _("community groups and institutions")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.kelurahan_id and not self.city_id:
            self.city = city_of(self.kelurahan)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The rule across fields, on the field to correct; run by the form, by the save action
        (full_clean) and by the importer for each row. The table's check constraint still guards
        it, but a form stopped by the constraint could only name the constraint."""
        if self.established and self.dissolved and self.dissolved < self.established:
            raise ValidationError({"dissolved": _("dissolved before it was established")})


class Activity(models.Model):
    """A facilitation or fostering activity reaching one or more groups."""

    class Type(models.TextChoices):
        FACILITATION = "facilitation", _("Facilitation (fasilitasi)")
        FOSTERING = "fostering", _("Fostering (pembinaan)")

    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    groups = models.ManyToManyField(
        Group, through="ActivityGroup", related_name="activities", verbose_name=_("groups reached")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["date", "type", "title"], name="activity_identity")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.date} · {self.title}"


class ActivityGroup(models.Model):
    """One group reached by one activity (explicit so imports can bulk-create the links)."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="links")
    group = models.ForeignKey(Group, models.CASCADE, related_name="activity_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "group"], name="activity_group_once")
        ]
        indexes = [models.Index(fields=["group", "activity"], name="activity_group_by_group")]
        verbose_name = _("group reached")
        verbose_name_plural = _("groups reached")

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.group_id}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"community/evidence/{instance.activity.date:%Y}/{instance.activity_id}/{filename}"


class Evidence(models.Model):
    """A photo, PDF or attendance list proving an activity took place."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
