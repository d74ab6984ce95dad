"""Scenarios ``ikm_query`` and ``ikm_query_city``: Kinerja's rollup query against DuckDB.

Kinerja answers "IKM of this unit's subtree, this service, year-to-date up to this quarter" with
``kinerja.surveys.measures.ikm`` (one SUM over the daily rollup). The baseline is DuckDB scanning
the raw responses, exported from the database into a DuckDB table (joined with units and services
for the subtree and service filters). Both answers are checked against a full recomputation from
the raw rows in the database itself (one SQL aggregate over ``surveys_response``), to the last
decimal of the exact IKM. The export and DuckDB's statements are in ``kinerja/db/duck.py``.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.db.duck import DuckResponses, response_sums_orm
from kinerja.surveys.measures import ikm
from kinerja.surveys.models import CODES, Service
from kinerja_core.ikm import Tally, compute_ikm
from kinerja_core.periods import Period

from .measure import Measurement, faster, ms


@dataclass(frozen=True)
class Query:
    unit: OrgUnit
    service: str | None  # a service code, or None for all services
    period: Period

    @property
    def filters(self) -> dict[str, list[str]]:
        return {"service": [self.service]} if self.service else {}

    def span(self) -> tuple[Any, Any]:
        return Period(self.period.year).start, self.period.end


def tally_of(row: Sequence[Any]) -> Tally:
    return Tally(
        respondents=int(row[0] or 0),
        totals={code: int(v or 0) for code, v in zip(CODES, row[1:10], strict=True)},
        sum_s2=int(row[10] or 0),
    )


def ikm_of(tally: Tally) -> Decimal | None:
    return compute_ikm(tally).ikm if tally.respondents else None


def raw_ikm(q: Query) -> Decimal | None:
    """The full recomputation: one aggregate over the raw responses in the database."""
    start, end = q.span()
    return ikm_of(tally_of(response_sums_orm(q.unit.path, start, end, q.service)))


def duck_ikm(duck: DuckResponses, q: Query) -> Decimal | None:
    start, end = q.span()
    return ikm_of(tally_of(duck.sums(q.unit.path, start, end, q.service)))


def timed_median(fn: Any, q: Query, repeats: int) -> tuple[float, Any]:
    times = []
    value = None
    for _ in range(repeats):
        started = time.perf_counter()
        value = fn(q)
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def unit_queries(year: int, sample: int, seed: int) -> list[Query]:
    """Unit × own service × quarter of one year, for kecamatan and kelurahan that offer services."""
    services = list(
        Service.objects.filter(unit__code__startswith="bench-")
        .select_related("unit")
        .order_by("id")
    )
    rng = random.Random(seed)
    picks = rng.sample(services, min(sample, len(services)))
    return [
        Query(s.unit, s.code, Period(year, "quarter", rng.randint(1, 4)))
        for s in sorted(picks, key=lambda s: s.pk)
    ]


def city_queries(year: int) -> list[Query]:
    """The first city, all services and each service code, each quarter."""
    city = OrgUnit.objects.get(code="bench-c01")
    codes = sorted(
        set(Service.objects.filter(unit__path__startswith=city.path).values_list("code", flat=True))
    )
    return [
        Query(city, code, Period(year, "quarter", quarter))
        for code in [None, *codes]
        for quarter in range(1, 5)
    ]


def compare(
    scenario: str, engine: str, queries: list[Query], duck: DuckResponses, repeats: int
) -> Measurement:
    ours: list[float] = []
    theirs: list[float] = []
    raw_times: list[float] = []
    mismatches: list[str] = []
    for q in queries:
        t_ours, v_ours = timed_median(lambda q: ikm(q.unit, q.period, q.filters), q, repeats)
        t_duck, v_duck = timed_median(lambda q: duck_ikm(duck, q), q, repeats)
        started = time.perf_counter()
        v_raw = raw_ikm(q)
        raw_times.append(time.perf_counter() - started)
        ours.append(t_ours)
        theirs.append(t_duck)
        if not (v_ours == v_raw == v_duck):
            mismatches.append(
                f"{q.unit.code} {q.service} {q.period.key}: {v_ours} {v_duck} {v_raw}"
            )
    value, base = statistics.median(ours), statistics.median(theirs)
    return Measurement(
        scenario=scenario,
        engine=engine,
        rows=duck.rows,
        value=ms(value),
        unit="ms/query (median)",
        baseline="DuckDB scan of the raw responses",
        baseline_value=ms(base),
        ratio=faster(value, base),
        equal_to_full_recompute=not mismatches,
        goals={"median_ms<=20": ms(value) <= 20, "ratio>=5": faster(value, base) >= 5},
        details={
            "queries": len(queries),
            "repeats_per_query": repeats,
            "max_ms": ms(max(ours)),
            "duckdb_max_ms": ms(max(theirs)),
            "raw_sql_median_ms": ms(statistics.median(raw_times)),
            "mismatches": mismatches[:5],
        },
    )


def run(engine: str, year: int, repeats: int, sample: int = 24) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        duck = DuckResponses(Path(tmp))
        return [
            compare("ikm_query", engine, unit_queries(year, sample, seed=7), duck, repeats),
            compare("ikm_query_city", engine, city_queries(year), duck, repeats),
        ]
