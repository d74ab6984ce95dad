"""Synthetic survey responses, made inside the database, and their daily rollup.

Ten million rows must be made in minutes on both engines, so no row passes through Python:
each chunk is one ``INSERT … SELECT`` over a row-number series (a recursive CTE on SQLite,
``generate_series`` on PostgreSQL) in which every value is drawn from an integer hash of the row
number. The arithmetic is modulo the prime 2**31 - 1 with every product below 2**62, so it is
exact on SQLite's 64-bit integers and PostgreSQL's bigint alike: both engines store the very same
rows for a seed, and ``reference_rows`` computes them in Python (the specification the SQL is
tested against). The rollup is then one ``INSERT … SELECT … GROUP BY`` over the new rows, which is
what ``kinerja.surveys.rollup.rebuild`` computes. ``write_responses_orm`` is the twin: the
specification's rows by ``bulk_create`` and their day rows by one grouped ORM aggregate
(``tests/test_generator.py`` compares the two on both engines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.expressions import Combinable

from kinerja.surveys.models import SCORE_FIELDS, DailyTally, Response
from kinerja_core.ikm import EDUCATION_LEVELS, OCCUPATIONS

from .imports import RESPONSE_COLUMNS
from .loading import BulkWriter, IndexesDeferred, next_id, next_id_orm
from .routing import write_alias, writer

TALLY_COLUMNS = (
    "unit_id",
    "service_id",
    "day",
    "respondents",
    *(f"t{i}" for i in range(1, 10)),
    "sum_s2",
)
CHUNK_ROWS = 250_000  # one INSERT … SELECT, one step of the progress bar

# Score distributions (weights of 1, 2, 3, 4 out of 256) for services of different quality, so
# units and services get different IKM values and grades.
QUALITY_WEIGHTS = ((8, 30, 130, 88), (12, 50, 140, 54), (20, 70, 120, 46), (4, 16, 96, 140))
CHANNELS = ("online", "online", "kiosk", "paper")
GENDERS = ("L", "P")
SUGGESTIONS = (
    "Antrean mohon dipercepat.",
    "Petugas ramah, terima kasih.",
    "Ruang tunggu perlu kipas angin.",
    "Informasi persyaratan agar ditempel di depan.",
    "Pelayanan sudah baik, pertahankan.",
    "Mohon tambah kursi di ruang tunggu.",
    "Parkir kurang luas.",
    "Jam layanan agar diperpanjang.",
)
SUGGESTION_SHARE = 24  # out of 256 responses leave a suggestion
# Office hours 07:30–15:30 WIB (UTC+7): 480 minutes from 00:30 UTC.
OFFICE_START_S = 30 * 60
OFFICE_MINUTES = 480
MORNING_MINUTES = 270  # before 12:00 local

# The hash. P is prime and below 2**31, so a product of two residues stays below 2**62.
P = 2_147_483_647
MIX, SHIFT = 1_103_515_245, 1_013_904_223
# Draw k of a row is its hash times STEP**(k+1) (MINSTD's multiplier), modulo P.
STEP = 48_271
(
    D_SERVICE,
    D_SCORE,  # nine draws, one per question
    D_MINUTE,
    D_SECOND,
    D_CHANNEL,
    D_AGE,
    D_OCCUPATION,
) = (0, 1, 10, 11, 12, 13, 14)
DRAWS = tuple(pow(STEP, k + 1, P) for k in range(15))


def row_hash(seed: int, g: int) -> int:
    """Row ``g``'s hash: two squarings mod P of an affine map of g (``hash_sql`` in SQL)."""
    a = (g * MIX + seed) % P
    b = (a * a + SHIFT) % P
    return (b * b + a) % P


def hash_sql(g: str, seed: int) -> str:
    a = f"(({g}) * {MIX} + {seed}) % {P}"
    b = f"(({a}) * ({a}) + {SHIFT}) % {P}"
    return f"(({b}) * ({b}) + ({a})) % {P}"


def draw(x: int, k: int) -> int:
    return x * DRAWS[k] % P


@dataclass(frozen=True)
class ServiceSlot:
    """What the generator needs to know of one service."""

    service_id: int
    unit_id: int
    weight: float
    quality: int  # index into QUALITY_WEIGHTS


def thresholds(quality: int) -> tuple[int, int, int]:
    """Upper bounds (of 256) of the draws giving scores 1, 2 and 3."""
    w = QUALITY_WEIGHTS[quality]
    return w[0], w[0] + w[1], w[0] + w[1] + w[2]


def score_of(value: int, bounds: tuple[int, int, int]) -> int:
    return 1 + sum(value >= b for b in bounds)


def weekdays(years: Sequence[int]) -> list[date]:
    days: list[date] = []
    for year in sorted(years):
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
    return days


def buckets_of(services: Sequence[ServiceSlot]) -> list[int]:
    """Service index of each bucket: a service's share of buckets is its share of the weight.

    A row picks the bucket ``draw % len(buckets)``. At least 64 buckets per service (a power of
    two, 65 536 at least) keep the rounding small at province scale too.
    """
    size = 1 << 16
    while size < 64 * len(services):
        size <<= 1
    total = sum(s.weight for s in services)
    out: list[int] = []
    running, s = services[0].weight, 0
    for b in range(size):
        while (b + 0.5) * total / size > running and s + 1 < len(services):
            s += 1
            running += services[s].weight
        out.append(s)
    return out


@dataclass(frozen=True)
class Layout:
    """How row numbers map to days: the first ``extra`` days get one row more than the rest."""

    days: list[date]
    total: int

    @property
    def base(self) -> int:
        return self.total // len(self.days)

    @property
    def extra(self) -> int:
        return self.total % len(self.days)

    def day_index(self, g: int) -> int:
        head = self.extra * (self.base + 1)
        if g < head:
            return g // (self.base + 1)
        return self.extra + (g - head) // max(self.base, 1)

    def day_start(self, i: int) -> int:
        """The first row of day ``i``."""
        return i * self.base + min(i, self.extra)

    def chunks(self, size: int) -> Iterator[tuple[int, int]]:
        """(first, stop) row ranges of about ``size`` rows that begin and end with a day."""
        first = 0
        for i in range(1, len(self.days) + 1):
            stop = self.day_start(i)
            if stop - first >= size or i == len(self.days):
                if stop > first:
                    yield first, stop
                first = stop

    def day_index_sql(self) -> str:
        head = self.extra * (self.base + 1)
        return (
            f"CASE WHEN r.g < {head} THEN r.g / {self.base + 1} "
            f"ELSE {self.extra} + (r.g - {head}) / {max(self.base, 1)} END"
        )


def reference_rows(
    services: Sequence[ServiceSlot], total: int, years: Sequence[int], seed: int
) -> Iterator[tuple[object, ...]]:
    """The rows the SQL stores, computed in Python (``RESPONSE_COLUMNS`` order, aware times)."""
    layout = Layout(weekdays(years), total)
    buckets = buckets_of(services)
    for g in range(total):
        d = draws_of(row_hash(seed, g), len(buckets))
        slot = services[buckets[d[D_SERVICE]]]
        bounds = thresholds(slot.quality)
        scores = [score_of(d[D_SCORE + q], bounds) for q in range(9)]
        minute = d[D_MINUTE]
        day = layout.days[layout.day_index(g)]
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            seconds=OFFICE_START_S + minute * 60 + d[D_SECOND]
        )
        channel, age, occupation = d[D_CHANNEL], d[D_AGE], d[D_OCCUPATION]
        suggestion = occupation // 256 % 256
        yield (
            slot.service_id,
            slot.unit_id,
            moment,
            day,
            "morning" if minute < MORNING_MINUTES else "afternoon",
            CHANNELS[channel % 4],
            GENDERS[channel // 4 % 2],
            17 + age % 59,
            EDUCATION_LEVELS[age // 59 % len(EDUCATION_LEVELS)],
            OCCUPATIONS[occupation % len(OCCUPATIONS)],
            *scores,
            SUGGESTIONS[suggestion % 8] if suggestion < SUGGESTION_SHARE else "",
            None,
            None,
            moment,
        )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _choice(expr: str, labels: Sequence[str]) -> str:
    """``labels[expr % len(labels)]`` in SQL (our own constant labels, quoted)."""
    whens = " ".join(f"WHEN {i} THEN {_literal(label)}" for i, label in enumerate(labels))
    return f"CASE ({expr}) % {len(labels)} {whens} END"


def _ranges(buckets: int) -> list[int]:
    """Each draw's range; draws used for several values stay whole (below P)."""
    ranges = [P] * len(DRAWS)
    ranges[D_SERVICE], ranges[D_MINUTE], ranges[D_SECOND] = buckets, OFFICE_MINUTES, 60
    ranges[D_SCORE : D_SCORE + 9] = [256] * 9
    return ranges


def draws_sql(x: str, buckets: int) -> list[str]:
    """The row source's draw columns, from a hash ``x``, already reduced to their ranges."""
    return [f"{x} * {k} % {P} % {r}" for k, r in zip(DRAWS, _ranges(buckets), strict=True)]


def draws_of(x: int, buckets: int) -> list[int]:
    """``draws_sql`` in Python."""
    return [draw(x, i) % r for i, r in enumerate(_ranges(buckets))]


def _source(buckets: int, seed: int, first: int, stop: int) -> tuple[str, str]:
    """(WITH prefix, FROM item) of rows ``first`` to ``stop - 1``: columns g, d0 … d14.

    Each draw is computed once per row. On PostgreSQL, OFFSET 0 keeps the subqueries from
    being merged (which would repeat the hash in every expression using it). On SQLite, a
    recursive CTE carries the next row's hash ``y``, so each step hashes once and draws from
    the hash it already has; the first row's values are computed here.
    """
    names = [f"d{i}" for i in range(len(DRAWS))]
    if writer(Response).vendor == "postgresql":
        draws = ", ".join(
            f"{e} AS {n}" for e, n in zip(draws_sql("x", buckets), names, strict=True)
        )
        return "", (
            f"(SELECT g, {draws} FROM (SELECT g, {hash_sql('g', seed)} AS x "  # noqa: S608
            f"FROM generate_series({first}::bigint, {stop - 1}::bigint) AS g OFFSET 0) h "
            "OFFSET 0) r"
        )
    anchor = ", ".join(str(v) for v in draws_of(row_hash(seed, first), buckets))
    return (
        f"WITH RECURSIVE r(g, y, {', '.join(names)}) AS ("  # noqa: S608 - integers only
        f"SELECT {first}, {row_hash(seed, first + 1)}, {anchor} UNION ALL "
        f"SELECT g + 1, {hash_sql('g + 2', seed)}, {', '.join(draws_sql('y', buckets))} "
        f"FROM r WHERE g + 1 < {stop}) "
    ), "r"


def insert_sql(layout: Layout, buckets: int, seed: int, first: int, stop: int) -> str:
    """One chunk (rows ``first`` to ``stop - 1``) as INSERT … SELECT.

    The text holds only integers and our own quoted labels, and is run without parameters, so
    ``%`` is SQL's modulo on both engines.
    """
    prefix, source = _source(buckets, seed, first, stop)
    seconds = f"({OFFICE_START_S} + r.d{D_MINUTE} * 60 + r.d{D_SECOND})"
    if writer(Response).vendor == "postgresql":
        # A date plus seconds, read as UTC: the same instant SQLite keeps as text.
        moment = f"((d.day + {seconds} * interval '1 second') AT TIME ZONE 'UTC')"
    else:
        # Django keeps naive UTC text on SQLite.
        moment = (
            f"(d.day || ' ' || printf('%02d:%02d:%02d', "
            f"{seconds} / 3600, {seconds} / 60 % 60, {seconds} % 60))"
        )
    scores = [
        f"CASE WHEN r.d{D_SCORE + q} < p.c1 THEN 1 WHEN r.d{D_SCORE + q} < p.c2 THEN 2 "
        f"WHEN r.d{D_SCORE + q} < p.c3 THEN 3 ELSE 4 END"
        for q in range(9)
    ]
    channel, age, occupation = (f"r.d{i}" for i in (D_CHANNEL, D_AGE, D_OCCUPATION))
    suggestion = f"({occupation} / 256 % 256)"
    values = [
        "p.service_id",
        "p.unit_id",
        moment,
        "d.day",
        f"CASE WHEN r.d{D_MINUTE} < {MORNING_MINUTES} THEN 'morning' ELSE 'afternoon' END",
        _choice(channel, CHANNELS),
        _choice(f"{channel} / 4", GENDERS),
        f"17 + {age} % 59",
        _choice(f"{age} / 59", EDUCATION_LEVELS),
        _choice(occupation, OCCUPATIONS),
        *scores,
        f"CASE WHEN {suggestion} < {SUGGESTION_SHARE} "
        f"THEN {_choice(suggestion, SUGGESTIONS)} ELSE '' END",
        "NULL",
        "NULL",
        moment,
    ]
    return (
        f"{prefix}INSERT INTO {Response._meta.db_table} ({', '.join(RESPONSE_COLUMNS)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {source} "
        f"JOIN bench_days d ON d.i = {layout.day_index_sql()} "
        f"JOIN bench_buckets p ON p.b = r.d{D_SERVICE}"
    )


def check_columns() -> None:
    """Fail clearly if the survey models gained a required column this generator doesn't fill."""
    for model, columns in ((Response, RESPONSE_COLUMNS), (DailyTally, TALLY_COLUMNS)):
        known = {"id", *columns}
        for f in model._meta.concrete_fields:
            if f.column not in known and not f.null and not f.has_default():
                raise RuntimeError(
                    f"{model._meta.db_table}.{f.column} is new and required: "
                    "teach kinerja/db/generator.py to fill it"
                )


def _lookup_tables(services: Sequence[ServiceSlot], layout: Layout) -> int:
    """The day and bucket tables the INSERT … SELECT joins; returns the number of buckets."""
    connection = writer(Response)
    day_type = "date" if connection.vendor == "postgresql" else "text"
    buckets = buckets_of(services)
    bulk = BulkWriter(Response)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_days (i integer PRIMARY KEY, day {day_type})")
        cursor.execute(
            "CREATE TEMP TABLE bench_buckets (b integer PRIMARY KEY, service_id bigint, "
            "unit_id bigint, c1 integer, c2 integer, c3 integer)"
        )
    bulk.write(
        "bench_days",
        ("i", "day"),
        [(i, d if day_type == "date" else d.isoformat()) for i, d in enumerate(layout.days)],
    )
    bulk.write(
        "bench_buckets",
        ("b", "service_id", "unit_id", "c1", "c2", "c3"),
        [
            (b, services[s].service_id, services[s].unit_id, *thresholds(services[s].quality))
            for b, s in enumerate(buckets)
        ],
    )
    return len(buckets)


def _rollup_sql() -> str:
    """Day rows of the responses from an id on, grouped as ``rollup.rebuild`` groups them."""
    total = " + ".join(SCORE_FIELDS)
    sums = ", ".join(f"SUM({f})" for f in SCORE_FIELDS)
    return (
        f"INSERT INTO {DailyTally._meta.db_table} ({', '.join(TALLY_COLUMNS)}) "  # noqa: S608
        f"SELECT unit_id, service_id, day, COUNT(*), {sums}, SUM(({total}) * ({total})) "
        f"FROM {Response._meta.db_table} WHERE id >= %s GROUP BY service_id, unit_id, day"
    )


def write_responses(
    services: Sequence[ServiceSlot],
    total: int,
    years: Sequence[int],
    seed: int,
    progress: Callable[[int], object] = lambda n: None,
) -> tuple[int, int]:
    """Generate and store ``total`` responses with their rollup; returns (responses, day rows).

    Chunks hold whole days, so each chunk's day rows are complete when it is written: the
    rollup groups the chunk's fresh rows, a sort that fits in memory, rather than sorting all
    ten million at the end. That the day rows count exactly the rows stored is checked, so ids
    that were not the new rows' (a lagging sequence) could not go unnoticed.
    """
    check_columns()
    if total == 0:
        return 0, 0
    layout = Layout(weekdays(years), total)
    buckets = _lookup_tables(services, layout)
    first_tally = next_id(DailyTally)
    connection = writer(Response)
    if connection.vendor == "sqlite":
        # 256 MB of page cache: each chunk's rows are still in it when its rollup reads them,
        # and the index builds sort in it. (A helper thread for the sorts, PRAGMA threads,
        # made them slower, 66 s against 36 s at 10 M, while PostgreSQL generated alongside.)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    with IndexesDeferred(Response), connection.cursor() as cursor:
        for first, stop in layout.chunks(CHUNK_ROWS):
            first_id = next_id(Response)
            cursor.execute(insert_sql(layout, buckets, seed, first, stop))
            cursor.execute(_rollup_sql(), [first_id])
            progress(stop - first)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_days")
        cursor.execute("DROP TABLE bench_buckets")
        cursor.execute(
            f"SELECT COUNT(*), SUM(respondents) FROM {DailyTally._meta.db_table} "  # noqa: S608
            "WHERE id >= %s",
            [first_tally],
        )
        rows, counted = cursor.fetchone()
    if counted != total:
        raise RuntimeError(f"the rollup counts {counted} new responses, {total} were stored")
    return total, int(rows)


def write_responses_orm(
    services: Sequence[ServiceSlot], total: int, years: Sequence[int], seed: int
) -> tuple[int, int]:
    """``write_responses`` by the ORM: the specification's rows, then their day rows."""
    alias = write_alias(Response)
    with transaction.atomic(using=alias):
        first = next_id_orm(Response)
        Response.stored.using(alias).bulk_create(
            Response(**dict(zip(RESPONSE_COLUMNS, row, strict=True)))
            for row in reference_rows(services, total, years, seed)
        )
        # created_at is stamped "now" by bulk_create; the generator stores the submission time.
        Response.stored.using(alias).filter(pk__gte=first).update(created_at=F("submitted_at"))
        total_s: Combinable = F(SCORE_FIELDS[0])
        for name in SCORE_FIELDS[1:]:
            total_s = total_s + F(name)
        grouped = (
            Response.stored.using(alias)
            .filter(pk__gte=first)
            .values("unit_id", "service_id", "day")
            .annotate(
                respondents=Count("id"),
                sum_s2=Sum(total_s * total_s),
                **{t: Sum(u) for t, u in zip(TALLY_COLUMNS[4:-1], SCORE_FIELDS, strict=True)},
            )
            .order_by()
        )
        rows = [DailyTally(**g) for g in grouped]
        DailyTally.objects.using(alias).bulk_create(rows)
    return total, len(rows)
