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
from collections.abc import Callable, Sequence
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
    """``repeats`` windows (at least 3), alternating: every query ours, then every query by
    DuckDB. A window's figure is its median query; the scenario's, the median window's."""
    times_ours: list[list[float]] = [[] for _ in queries]
    times_duck: list[list[float]] = [[] for _ in queries]
    window_ours: list[float] = []
    window_duck: list[float] = []
    v_ours: list[Any] = [None] * len(queries)
    v_duck: list[Any] = [None] * len(queries)

    def ours_of(q: Query) -> Any:
        return ikm(q.unit, q.period, q.filters)

    def duck_of(q: Query) -> Any:
        return duck_ikm(duck, q)

    sides: list[tuple[Callable[[Query], Any], list[list[float]], list[Any], list[float]]] = [
        (ours_of, times_ours, v_ours, window_ours),
        (duck_of, times_duck, v_duck, window_duck),
    ]
    for _ in range(max(3, repeats)):
        for fn, times, values, window in sides:
            for i, q in enumerate(queries):
                started = time.perf_counter()
                values[i] = fn(q)
                times[i].append(time.perf_counter() - started)
            window.append(statistics.median(t[-1] for t in times))
    raw_times: list[float] = []
    mismatches: list[str] = []
    for i, q in enumerate(queries):
        started = time.perf_counter()
        v_raw = raw_ikm(q)
        raw_times.append(time.perf_counter() - started)
        if not (v_ours[i] == v_raw == v_duck[i]):
            mismatches.append(
                f"{q.unit.code} {q.service} {q.period.key}: {v_ours[i]} {v_duck[i]} {v_raw}"
            )
    ours = [statistics.median(t) for t in times_ours]
    theirs = [statistics.median(t) for t in times_duck]
    value, base = statistics.median(window_ours), statistics.median(window_duck)
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
        windows={
            "value": [ms(t) for t in window_ours],
            "baseline_value": [ms(t) for t in window_duck],
            "ratio": [faster(o, d) for o, d in zip(window_ours, window_duck, strict=True)],
        },
        details={
            "queries": len(queries),
            "windows": max(3, repeats),
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
