"""Synthetic survey responses and their daily rollup, generated together and written in bulk.

Millions of rows must be made in minutes, so this bypasses the ORM: rows are plain tuples
generated a day at a time from ``random.Random(seed)`` (bytes from ``randbytes`` mapped through
lookup tables instead of one call per value), written with ``executemany`` on SQLite and COPY on
PostgreSQL. The ``DailyTally`` rows are summed in Python from the very same rows, so they equal
what ``rollup.rebuild`` would compute from the stored responses (the smoke test checks it).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from kinerja.surveys.importing import COLUMNS
from kinerja.surveys.models import DailyTally, Response
from kinerja_core.ikm import EDUCATION_LEVELS, OCCUPATIONS

from .bulk import BulkWriter, IndexesDeferred

# The same columns, in the same order, as the survey importer writes.
RESPONSE_COLUMNS = COLUMNS
TALLY_COLUMNS = (
    "unit_id",
    "service_id",
    "day",
    "respondents",
    *(f"t{i}" for i in range(1, 10)),
    "sum_s2",
)
FLUSH_ROWS = 100_000

# Score distributions (weights of 1, 2, 3, 4 out of 256) for services of different quality, so
# units and services get different IKM values and grades.
QUALITY_WEIGHTS = ((8, 30, 130, 88), (12, 50, 140, 54), (20, 70, 120, 46), (4, 16, 96, 140))
CHANNELS = ("online", "online", "kiosk", "paper")
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
# Office hours 07:30–15:30 WIB (UTC+7): 480 minutes from 00:30 UTC.
OFFICE_MINUTES = 480
MORNING_MINUTES = 270  # before 12:00 local
UTC_TIMES = tuple(f"{(30 + m) // 60:02d}:{(30 + m) % 60:02d}" for m in range(OFFICE_MINUTES))


def _table(weights: Sequence[int]) -> bytes:
    assert sum(weights) == 256
    return b"".join(bytes([score]) * w for score, w in enumerate(weights, start=1))


TABLES = tuple(_table(w) for w in QUALITY_WEIGHTS)


@dataclass(frozen=True)
class ServiceSlot:
    """What the generator needs to know of one service."""

    service_id: int
    unit_id: int
    weight: float
    quality: int  # index into TABLES


def weekdays(years: Sequence[int]) -> list[date]:
    days: list[date] = []
    for year in sorted(years):
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
    return days


def per_day(total: int, days: int) -> list[int]:
    base, extra = divmod(total, days)
    return [base + (1 if i < extra else 0) for i in range(days)]


@dataclass
class DayBatch:
    rows: list[tuple[object, ...]]
    tallies: list[tuple[object, ...]]


def generate_days(
    services: Sequence[ServiceSlot],
    total: int,
    years: Sequence[int],
    seed: int,
    tz_suffix: str,
) -> Iterator[DayBatch]:
    """Yield each weekday's responses and rollup rows; deterministic for a seed."""
    rng = random.Random(seed)
    cum: list[float] = []
    running = 0.0
    for slot in services:
        running += slot.weight
        cum.append(running)
    indices = range(len(services))
    days = weekdays(years)
    educations, occupations = EDUCATION_LEVELS, OCCUPATIONS
    for day, count in zip(days, per_day(total, len(days)), strict=True):
        if count == 0:
            continue
        iso = day.isoformat()
        picks = rng.choices(indices, cum_weights=cum, k=count)
        raw = rng.randbytes(9 * count)
        prof = rng.randbytes(6 * count)
        scores_by_service: dict[int, bytearray] = {}
        s2_by_service: dict[int, int] = {}
        rows: list[tuple[object, ...]] = []
        append = rows.append
        for i, s in enumerate(picks):
            slot = services[s]
            sc = raw[9 * i : 9 * i + 9].translate(TABLES[slot.quality])
            p = prof[6 * i : 6 * i + 6]
            minute = (p[0] << 8 | p[1]) % OFFICE_MINUTES
            moment = f"{iso} {UTC_TIMES[minute]}:{p[2] % 60:02d}{tz_suffix}"
            buf = scores_by_service.get(s)
            if buf is None:
                buf = scores_by_service[s] = bytearray()
                s2_by_service[s] = 0
            buf += sc
            total_s = sum(sc)
            s2_by_service[s] += total_s * total_s
            append(
                (
                    slot.service_id,
                    slot.unit_id,
                    moment,
                    iso,
                    "morning" if minute < MORNING_MINUTES else "afternoon",
                    CHANNELS[p[3] & 3],
                    "LP"[p[3] >> 7],
                    17 + p[4] % 59,
                    educations[p[4] % len(educations)],
                    occupations[p[5] % len(occupations)],
                    *sc,
                    SUGGESTIONS[p[5] & 7] if p[5] < 24 else "",
                    None,
                    None,
                    moment,
                )
            )
        tallies = [
            (
                services[s].unit_id,
                services[s].service_id,
                iso,
                len(buf) // 9,
                *(sum(buf[j::9]) for j in range(9)),
                s2_by_service[s],
            )
            for s, buf in sorted(scores_by_service.items())
        ]
        yield DayBatch(rows, tallies)


def check_columns() -> None:
    """Fail clearly if the survey models gained a required column this generator doesn't fill."""
    for model, columns in ((Response, RESPONSE_COLUMNS), (DailyTally, TALLY_COLUMNS)):
        known = {"id", *columns}
        for f in model._meta.concrete_fields:
            if f.column not in known and not f.null and not f.has_default():
                raise RuntimeError(
                    f"{model._meta.db_table}.{f.column} is new and required: "
                    "teach kinerja/benchmarks/responses.py to fill it"
                )


def write_responses(
    services: Sequence[ServiceSlot],
    total: int,
    years: Sequence[int],
    seed: int,
    progress: Callable[[int], object] = lambda n: None,
) -> tuple[int, int]:
    """Generate and store ``total`` responses with their rollup; returns (responses, day rows)."""
    check_columns()
    writer = BulkWriter()
    responses_table = Response._meta.db_table
    tally_table = DailyTally._meta.db_table
    pending: list[tuple[object, ...]] = []
    tallies: list[tuple[object, ...]] = []
    stored = tally_rows = 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the index builds
    with IndexesDeferred(responses_table):
        for batch in generate_days(services, total, years, seed, writer.tz_suffix):
            pending.extend(batch.rows)
            tallies.extend(batch.tallies)
            if len(pending) >= FLUSH_ROWS:
                writer.write(responses_table, RESPONSE_COLUMNS, pending)
                writer.write(tally_table, TALLY_COLUMNS, tallies)
                stored += len(pending)
                tally_rows += len(tallies)
                progress(len(pending))
                pending, tallies = [], []
        writer.write(responses_table, RESPONSE_COLUMNS, pending)
        writer.write(tally_table, TALLY_COLUMNS, tallies)
        progress(len(pending))
    return stored + len(pending), tally_rows + len(tallies)
