"""Survey data: services (jenis layanan), responses, and the daily rollup IKM is read from.

A unit with millions of responses must still answer "IKM of this subtree, these services, this
period" instantly, so every response insert, import and delete also adds to (or subtracts from)
one ``DailyTally`` row per service and day in the same transaction. The IKM is then one SUM over
day rows, turned into a ``kinerja_core.ikm.Tally``; raw responses are read only for profile
breakdowns and suggestions, through the (unit, day) index.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.language import clock
from kinerja_core.ikm import EDUCATION_LEVELS, ELEMENTS_2017, GENDERS, METHODS, OCCUPATIONS

CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS_2017)
SCORE_FIELDS: tuple[str, ...] = tuple(code.lower() for code in CODES)  # u1 … u9
TOTAL_FIELDS: tuple[str, ...] = tuple(f"t{i}" for i in range(1, len(CODES) + 1))  # t1 … t9

# Random public slugs (services made outside the staff pages) avoid letters people misread
# from a printed poster (0/o, 1/l/i). Staff pages derive a readable one from the name.
SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SLUG_LENGTH = 6
SLUG_MAX_LENGTH = 50


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


class Service(models.Model):
    """A kind of service (jenis layanan) an org unit offers; the survey asks about one."""

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="survey_services", verbose_name=_("unit")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("public link code"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        default=new_slug,
        help_text=_("Short code in the public survey link and QR code."),
    )
    active = models.BooleanField(_("active"), default=True)
    receipt_codes_required = models.BooleanField(
        _("require a survey code from the receipt"),
        default=False,
        help_text=_("The public form then accepts only single-use codes printed by staff."),
    )

    class Meta:
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="survey_service_code_per_unit")
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class ServiceSlug(models.Model):
    """A public link code a service had before. Posters and messages with the old link stay
    in people's hands, so it redirects to the service's current link and is never given to
    another service."""

    service = models.ForeignKey(Service, models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(_("former public link code"), max_length=SLUG_MAX_LENGTH, unique=True)
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        ordering = ["service", "-replaced_at"]
        verbose_name = _("former public link code")
        verbose_name_plural = _("former public link codes")

    def __str__(self) -> str:
        return self.slug


class ServiceVolume(models.Model):
    """Service users in a year (N of Krejcie–Morgan): the sample target comes from it."""

    service = models.ForeignKey(Service, models.CASCADE, related_name="volumes")
    year = models.PositiveSmallIntegerField(_("year"))
    users = models.PositiveIntegerField(_("service users in the year"))

    class Meta:
        ordering = ["service", "year"]
        constraints = [
            models.UniqueConstraint(fields=["service", "year"], name="survey_one_volume_per_year")
        ]
        verbose_name = _("yearly service users")
        verbose_name_plural = _("yearly service users")

    def __str__(self) -> str:
        return f"{self.service} {self.year}: {self.users}"


class ImportBatch(models.Model):
    """One imported file: who, when, how many rows were new.

    A file is stored in many short transactions (see ``importing``); until the last one marks
    its batch committed, the batch's rows are hidden from every reader (``Response.objects``)
    and its rollup delta is not applied. A batch left running by a killed import, or being
    discarded, is never counted and is deleted by ``batches.clean_abandoned``.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("being stored")
        DISCARDED = "discarded", _("being discarded")
        COMMITTED = "committed", _("stored")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="survey_imports")
    filename = models.CharField(_("file"), max_length=300)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("rows in file"), default=0)
    inserted = models.PositiveIntegerField(_("new responses"), default=0)
    # Batches from before bounded imports were stored whole: committed is the migration default.
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.COMMITTED
    )
    # The storing process ("host:pid") and when it last stored a chunk: a running batch whose
    # process is gone, or silent for KINERJA_IMPORT_STALE_SECONDS, is abandoned.
    owner = models.CharField(max_length=100, blank=True)
    touched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.inserted}/{self.rows})"


def _score_checks() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 4}), name=f"survey_response_{f}_1_to_4"
        )
        for f in SCORE_FIELDS
    ]


class VisibleResponses(models.Manager["Response"]):
    """Responses every reader sees: none of an import batch that is not committed yet.

    The default manager, so pages, exports, the API, the admin and ``rollup.rebuild`` all skip
    the rows of an import still being stored. ``Response.stored`` sees every row (the importer
    and its clean-up).
    """

    def get_queryset(self) -> models.QuerySet[Response]:
        hidden = ImportBatch.objects.exclude(state=ImportBatch.State.COMMITTED).values("pk")
        return super().get_queryset().exclude(batch__in=hidden)


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("online form")
        KIOSK = "kiosk", _("kiosk")
        PAPER = "paper", _("paper form")
        IMPORT = "import", _("import")

    class Session(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")

    # No single-column indexes on the two foreign keys: the (service, day) and (unit, day)
    # indexes below start with them and serve every lookup by service or unit, and each index
    # fewer is less work on every insert (a 1 M-row import: ~15 % less insert time).
    service = models.ForeignKey(Service, models.PROTECT, related_name="responses", db_index=False)
    # Denormalised from the service so subtree filters need no join through services.
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="survey_responses", db_index=False
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # The local (Asia/Jakarta) date of submitted_at: the rollup's key, kept so a delete
    # subtracts from exactly the row the insert added to.
    day = models.DateField(_("day"))
    session = models.CharField(_("session"), max_length=10, choices=Session.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    gender = models.CharField(
        _("gender"), max_length=1, blank=True, choices=[(g, g) for g in GENDERS]
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=10, blank=True, choices=[(e, e) for e in EDUCATION_LEVELS]
    )
    occupation = models.CharField(
        _("occupation"), max_length=20, blank=True, choices=[(o, o) for o in OCCUPATIONS]
    )
    u1 = models.PositiveSmallIntegerField("U1")
    u2 = models.PositiveSmallIntegerField("U2")
    u3 = models.PositiveSmallIntegerField("U3")
    u4 = models.PositiveSmallIntegerField("U4")
    u5 = models.PositiveSmallIntegerField("U5")
    u6 = models.PositiveSmallIntegerField("U6")
    u7 = models.PositiveSmallIntegerField("U7")
    u8 = models.PositiveSmallIntegerField("U8")
    u9 = models.PositiveSmallIntegerField("U9")
    suggestion = models.TextField(_("suggestion"), blank=True)
    batch = models.ForeignKey(
        ImportBatch, models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    # Web forms: the one-time form token. Unique, so a replayed POST stores nothing twice; the
    # unique index holds only the rows that have one (``survey_resp_idempotency_key`` below).
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    # Imports: a hash of the row (see importing._Keys), unique per unit and day. A row's day
    # follows from its content, so this is as strict as a global key, but the index places
    # the keys of one day together: a file (mostly in time order) stored a chunk at a time
    # then rewrites a few index pages per chunk, where a global key index of hashes had every
    # row land on another page of the whole index and rewrote thousands per chunk.
    import_key = models.CharField(max_length=80, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    stored = models.Manager()
    objects = VisibleResponses()

    class Meta:
        default_manager_name = "objects"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "day"], name="survey_resp_unit_day"),
            models.Index(fields=["service", "day"], name="survey_resp_service_day"),
        ]
        constraints = [
            *_score_checks(),
            # Partial: imported and generated rows have no key, and each of them used to write
            # a NULL entry into a whole-table unique index (on PostgreSQL also into the
            # pattern index Django adds to a unique text column), an index update per row
            # that refused nothing. kinerja/db/responses.py names the same predicate in its
            # ON CONFLICT target.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="survey_resp_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["unit", "day", "import_key"],
                condition=Q(import_key__isnull=False),
                name="survey_resp_import_key",
            ),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        at = self.submitted_at
        if timezone.is_aware(at):
            at = timezone.localtime(at)  # the time the office read at the counter (WIB)
        return f"{self.service} · {at:%Y-%m-%d} {clock(at)}"

    @property
    def scores(self) -> list[int]:
        return [getattr(self, f) for f in SCORE_FIELDS]


class DailyTally(models.Model):
    """Sufficient statistics of one service's responses on one day (see kinerja_core.ikm.Tally)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, models.CASCADE, related_name="+")
    day = models.DateField()
    respondents = models.IntegerField(default=0)
    t1 = models.BigIntegerField(default=0)
    t2 = models.BigIntegerField(default=0)
    t3 = models.BigIntegerField(default=0)
    t4 = models.BigIntegerField(default=0)
    t5 = models.BigIntegerField(default=0)
    t6 = models.BigIntegerField(default=0)
    t7 = models.BigIntegerField(default=0)
    t8 = models.BigIntegerField(default=0)
    t9 = models.BigIntegerField(default=0)
    sum_s2 = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="survey_tally_service_day")
        ]
        indexes = [models.Index(fields=["unit", "day"], name="survey_tally_unit_day")]
        verbose_name = _("daily survey tally")
        verbose_name_plural = _("daily survey tallies")

    def __str__(self) -> str:
        return f"{self.service_id} {self.day}: {self.respondents}"


class ReceiptCode(models.Model):
    """A single-use survey code printed on a service receipt (receipt-code mode)."""

    service = models.ForeignKey(Service, models.CASCADE, related_name="receipt_codes")
    code = models.CharField(_("code"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "code"]
        verbose_name = _("receipt survey code")
        verbose_name_plural = _("receipt survey codes")

    def __str__(self) -> str:
        return self.code


class RateBucket(models.Model):
    """Recent submission times of one client (a keyed hash of its IP, never the IP itself).

    Kept in the database so every gunicorn worker sees the same count (see ratelimit.py).
    """

    key = models.CharField(max_length=64, unique=True)
    hits = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("rate limit bucket")
        verbose_name_plural = _("rate limit buckets")

    def __str__(self) -> str:
        return f"{self.key[:8]}… ({len(self.hits)})"


class FollowUp(models.Model):
    """Rencana tindak lanjut: one planned action for a weak element in a unit and period."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="survey_followups")
    period = models.CharField(_("period"), max_length=10)
    element = models.CharField(_("element"), max_length=3, choices=[(c, c) for c in CODES])
    action = models.TextField(_("action"))
    owner = models.CharField(_("responsible"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "period", "element", "created_at"]
        indexes = [models.Index(fields=["unit", "period"], name="survey_followup_unit_period")]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return f"{self.period} {self.element}: {self.action[:40]}"


class RollupVersion(models.Model):
    """How often the rollup's closed days (before yesterday) have changed: one row, id 1.

    Every writer of such a day (an import, a paper form of an earlier day, a deletion, a
    rebuild) raises ``number`` in its own transaction, before touching the rollup, so a tally
    of closed days cached under one number is still the database's tally while the number is
    the same (see rollup.closed_days_changed and publictally.py). Today's and yesterday's rows,
    which every citizen's answer changes, never raise it.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("rollup version")
        verbose_name_plural = _("rollup versions")

    def __str__(self) -> str:
        return str(self.number)


class ImportJob(models.Model):
    """A large survey file imported in the background: who asked, how far it got, its outcome.

    The page stores the upload under ``KINERJA_IMPORT_UPLOAD_DIR`` and enqueues the job
    (``jobs.py``); ``kinerja jobs run`` runs it and deletes the file. Only the uploader and the
    unit's administrators see it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("importing")
        DONE = "done", _("finished")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+")
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="+")
    filename = models.CharField(_("file"), max_length=300)
    # The stored upload's name in KINERJA_IMPORT_UPLOAD_DIR; empty once the job has ended.
    path = models.CharField(max_length=100, blank=True)
    dry_run = models.BooleanField(default=False)
    # How bare element codes in the file's header are numbered; empty: none said
    # (docs/rules.md#survey-csv-element-order).
    element_order = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, default="id")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    inserted = models.PositiveIntegerField(null=True, blank=True)
    skipped = models.PositiveIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    # The worker process ("host:pid") running it: one gone mid-job leaves it to be failed.
    owner = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background survey import")
        verbose_name_plural = _("background survey imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)

    @property
    def rows(self) -> int:
        return self.rows_done

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)


class WorkerBeat(models.Model):
    """When the job worker (``kinerja jobs run``) was last seen alive: one row, moved forward
    while it runs (``kinerja/db/heartbeat.py``). The dashboard tells when results wait for a
    worker that is not seen (docs/rules.md#live-results)."""

    seen_at = models.DateTimeField()
    # The worker process ("host:pid") that wrote it last.
    worker = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("job worker heartbeat")
        verbose_name_plural = _("job worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker} {self.seen_at:%Y-%m-%d %H:%M:%S}"


def published_document_path(instance: PublishedIkm, filename: str) -> str:
    return f"surveys/published/{instance.unit.code}/{instance.year}/{filename}"


class PublishedIkm(models.Model):
    """The IKM a unit published for a year, recorded from its published document: the history
    of years whose answers are not in Kinerja (docs/rules.md#ikm-published-values).

    While it is in force the ``ikm`` measure of that unit and year is this value, even once
    answers of the year are imported; only an officer's recorded decision (with its reason, in
    the row's history and the audit log) turns it off so the answers count instead.
    """

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="published_ikms", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # As printed: two decimals, 25,00 to 100,00 (the methods' scales).
    value = models.DecimalField(_("published IKM"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1)
    method = models.CharField(
        _("method"), max_length=60, choices=[(name, m.label) for name, m in METHODS.items()]
    )
    document_title = models.CharField(_("document title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    evidence = models.FileField(
        _("published document"), upload_to=published_document_path, max_length=300
    )
    evidence_type = models.CharField(max_length=100, editable=False)
    in_force = models.BooleanField(
        _("used for the year's IKM"),
        default=True,
        help_text=_("Off once an officer has decided that the year's answers replace it."),
    )
    decision_reason = models.TextField(_("reason of the last decision"), blank=True)
    entered_by = models.ForeignKey(
        "auth.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="survey_one_published_ikm")
        ]
        verbose_name = _("published IKM")
        verbose_name_plural = _("published IKM values")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year}: {self.value}"

    @property
    def document(self) -> str:
        """The document as cited: its title, and its number when it has one."""
        if not self.document_number:
            return self.document_title
        return f"{self.document_title} ({self.document_number})"
