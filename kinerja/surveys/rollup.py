"""The daily rollup: keeping ``DailyTally`` equal to its responses, and reading tallies from it.

Writers call ``add_responses`` (or ``apply``) in the same transaction as the insert or delete
they describe; readers call ``tally_for`` (one SQL aggregate over day rows); the statements
themselves are in ``kinerja/db/rollup.py``. ``rebuild`` recomputes the rollup from raw
responses: a repair tool, and what the tests compare against.
A writer that changes a closed day (before yesterday) also raises the rollup's version first
(``closed_days_changed``; ``apply`` and ``rebuild`` do it), which is what lets public pages keep
tallies of closed days (publictally.py): any other writer of ``DailyTally`` must call it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.expressions import Combinable
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.db import rollup as db_rollup
from kinerja.db import stale
from kinerja.db.rollup import TallyAddition
from kinerja_core.ikm import Tally

from .models import (
    CODES,
    SCORE_FIELDS,
    TOTAL_FIELDS,
    DailyTally,
    Response,
)

RollupKey = tuple[int, date]  # (service id, day)


@dataclass
class Delta:
    """What some responses add to one day row (negative when they are deleted)."""

    unit_id: int
    respondents: int = 0
    totals: list[int] = field(default_factory=lambda: [0] * len(CODES))
    sum_s2: int = 0

    def add(self, scores: Sequence[int], sign: int = 1) -> None:
        self.respondents += sign
        s = 0
        for i, score in enumerate(scores):
            self.totals[i] += sign * score
            s += score
        self.sum_s2 += sign * s * s


def deltas_of(
    rows: Iterable[tuple[int, int, date, Sequence[int]]], sign: int = 1
) -> dict[RollupKey, Delta]:
    """Group (service id, unit id, day, scores) rows into one delta per rollup row."""
    deltas: dict[RollupKey, Delta] = {}
    for service_id, unit_id, day, scores in rows:
        delta = deltas.get((service_id, day))
        if delta is None:
            delta = deltas[(service_id, day)] = Delta(unit_id)
        delta.add(scores, sign)
    return deltas


def live_from() -> date:
    """The first "live" day: yesterday. Citizens' answers change only today's rows; yesterday
    is live too, so a transaction that began before midnight and commits after it is never a
    change to a closed day that went unannounced."""
    return timezone.localdate() - timedelta(days=1)


def closed_days_changed() -> None:
    """Raise the rollup's version: call in the transaction that changes a closed day, before
    changing it (one lock order for every such writer: this row, then day rows)."""
    db_rollup.raise_version()


def version() -> int:
    """The rollup's version: read it before the tally it keys, never after."""
    return db_rollup.read_version()


def apply(deltas: Mapping[RollupKey, Delta]) -> None:
    """Add deltas to the rollup; call inside the transaction that changed the responses.

    One INSERT … ON CONFLICT DO UPDATE per day row, sent in one executemany
    (``kinerja.db.rollup.add_to_tallies``): the increments happen in the database (``t1 = t1 + 12``), so
    concurrent writers never lose each other's counts, and a day row is created by whichever
    writer comes first without a second round trip. Rows emptied by deletes are removed.
    """
    rows = [
        TallyAddition(service_id, delta.unit_id, day, delta.respondents, delta.totals, delta.sum_s2)
        for (service_id, day), delta in deltas.items()
        if delta.respondents or any(delta.totals)
    ]
    if not rows:
        return
    # Days come as dates, or as ISO text from the importer: compared as ISO text.
    live = live_from().isoformat()
    if any(str(day) < live for _service, day in deltas):
        closed_days_changed()
    db_rollup.add_to_tallies(rows)
    # Every channel's responses pass here: their units' results are now out of date.
    stale.mark_units(
        {(delta.unit_id, int(str(day)[:4])) for (_service, day), delta in deltas.items()},
        kind="surveys",
    )
    if any(delta.respondents < 0 for delta in deltas.values()):
        DailyTally.objects.filter(
            service_id__in={k[0] for k in deltas}, respondents__lte=0
        ).delete()


def add_responses(responses: Iterable[Response], sign: int = 1) -> None:
    apply(deltas_of(((r.service_id, r.unit_id, r.day, r.scores) for r in responses), sign=sign))


def tally_of(aggregate: Mapping[str, int | None], total_names: Sequence[str]) -> Tally:
    return Tally(
        respondents=int(aggregate["n"] or 0),
        totals={
            code: int(aggregate[name] or 0) for code, name in zip(CODES, total_names, strict=True)
        },
        sum_s2=int(aggregate["s2"] or 0),
    )


def scope(unit: OrgUnit, start: date, end: date, services: Sequence[str] | None = None) -> Q:
    """Rows of the unit's subtree between two days (inclusive), optionally of some services."""
    q = unit.subtree_q("unit") & Q(day__gte=start, day__lte=end)
    if services:
        q &= Q(service__code__in=list(services))
    return q


def tally_for(
    unit: OrgUnit, start: date, end: date, services: Sequence[str] | None = None
) -> Tally:
    """The tally of a unit subtree, a day span and optional service codes: one SQL aggregate
    (``kinerja.db.rollup.tally_sums``, the ORM's aggregate written out once per process)."""
    codes = sorted(set(services)) if services else []
    return tally_of(db_rollup.tally_sums(unit.path, start, end, codes), TOTAL_FIELDS)


def tally_and_published(
    unit: OrgUnit, year: int, start: date, end: date, services: Sequence[str] | None = None
) -> tuple[Tally, bool]:
    """``tally_for``, and whether the unit has a published IKM in force for ``year``: still one
    query (``kinerja.db.rollup.tally_sums_and_published``)."""
    codes = sorted(set(services)) if services else []
    sums, published = db_rollup.tally_sums_and_published(
        unit.path, unit.pk, year, start, end, codes
    )
    return tally_of(sums, TOTAL_FIELDS), published


def respondent_sum() -> Combinable:
    expression: Combinable = F(SCORE_FIELDS[0])
    for name in SCORE_FIELDS[1:]:
        expression = expression + F(name)
    return expression


def raw_aggregates() -> dict[str, object]:
    """Aggregates over raw responses that mirror a rollup row's columns."""
    s = respondent_sum()
    values: dict[str, object] = {"n": Count("id"), "s2": Sum(s * s)}
    values.update({f"raw_{name}": Sum(name) for name in SCORE_FIELDS})
    return values


def raw_tally(unit: OrgUnit, start: date, end: date) -> Tally:
    """The same tally read from raw responses (slow on big data; for checks and tests)."""
    aggregate = Response.objects.filter(scope(unit, start, end)).aggregate(**raw_aggregates())
    return tally_of(aggregate, [f"raw_{name}" for name in SCORE_FIELDS])


def rebuild(unit: OrgUnit | None = None) -> int:
    """Recompute the rollup of a subtree (or everything) from raw responses; returns day rows."""
    with transaction.atomic():
        closed_days_changed()
        tallies = DailyTally.objects.all()
        responses = Response.objects.all()
        if unit is not None:
            tallies = tallies.filter(unit.subtree_q("unit"))
            responses = responses.filter(unit.subtree_q("unit"))
        tallies.delete()
        # Any: the stubs type .values() rows by the named fields only, not the annotations.
        grouped: Any = responses.values("service_id", "unit_id", "day").annotate(**raw_aggregates())
        rows = [
            DailyTally(
                service_id=g["service_id"],
                unit_id=g["unit_id"],
                day=g["day"],
                respondents=g["n"],
                sum_s2=g["s2"],
                **{t: g[f"raw_{u}"] for t, u in zip(TOTAL_FIELDS, SCORE_FIELDS, strict=True)},
            )
            for g in grouped.order_by()
        ]
        DailyTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
