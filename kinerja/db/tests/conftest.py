"""Data the contract tests run both implementations on: a unit tree (with a code holding a LIKE
wildcard), services in it, responses and their day rows; and ``outcome``, which runs one
implementation, reads what it left and undoes it, so the twin starts from the same data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.db.models import Model

from kinerja.accounts.models import OrgUnit
from kinerja.db.routing import writer
from kinerja.surveys.models import SCORE_FIELDS, DailyTally, Response, Service

T = TypeVar("T")
R = TypeVar("R")


def raw_rows(model: type[Model], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """``model``'s rows as the database returns them, past the ORM's conversions: two ways of
    storing one value (a date-time as text with or without its zone) show up as different."""
    connection = writer(model)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {quote(model._meta.db_table)}")  # noqa: S608
        return sorted((tuple(row) for row in cursor.fetchall()), key=repr)


def outcome(action: Callable[[], R], state: Callable[[], T]) -> tuple[R, T]:
    """What ``action`` returns and ``state()`` reads after it; then everything is undone."""
    with transaction.atomic():
        returned = action()
        seen = state()
        transaction.set_rollback(True)
    return returned, seen


@dataclass
class Tree:
    city: OrgUnit
    kec: OrgUnit
    kel: OrgUnit
    wild: OrgUnit  # "kec_x": "_" is a LIKE wildcard
    near: OrgUnit  # "kecax", which "kec_x" must not take in
    services: dict[str, Service]


def unit(code: str, level: str, parent: OrgUnit | None = None) -> OrgUnit:
    return OrgUnit.objects.create(code=code, name=code, level=level, parent=parent)


def add_responses(service: Service, day: date, *scores: tuple[int, ...]) -> list[Response]:
    """Responses with these scores on ``day``, with their day row (as the ORM adds them)."""
    at = datetime(day.year, day.month, day.day, 2, 30, tzinfo=UTC)
    stored = Response.stored.bulk_create(
        Response(
            service=service,
            unit_id=service.unit_id,
            submitted_at=at,
            day=day,
            channel="paper",
            **dict(zip(SCORE_FIELDS, s, strict=True)),
        )
        for s in scores
    )
    tally, _created = DailyTally.objects.get_or_create(
        service=service, day=day, defaults={"unit_id": service.unit_id}
    )
    tally.respondents += len(scores)
    for i in range(len(SCORE_FIELDS)):
        setattr(tally, f"t{i + 1}", getattr(tally, f"t{i + 1}") + sum(s[i] for s in scores))
    tally.sum_s2 += sum(sum(s) ** 2 for s in scores)
    tally.save()
    return stored


@pytest.fixture
def tree(db: Any) -> Tree:
    city = unit("kota", "city")
    kec = unit("kec", "kecamatan", city)
    kel = unit("kel", "kelurahan", kec)
    wild = unit("kec_x", "kecamatan", city)
    near = unit("kecax", "kecamatan", city)
    services = {
        name: Service.objects.create(unit=owner, code=code, name=name)
        for name, owner, code in (
            ("ktp", kec, "ktp"),
            ("sk", kel, "sk"),
            ("wild", wild, "ktp"),
            ("near", near, "k_p"),
        )
    }
    add_responses(services["ktp"], date(2024, 3, 1), (4,) * 9, (3,) * 9)
    add_responses(services["ktp"], date(2024, 3, 2), (4, 4, 3, 4, 3, 4, 4, 2, 3))
    add_responses(services["sk"], date(2024, 3, 1), (2,) * 9)
    add_responses(services["wild"], date(2024, 4, 1), (1,) * 9)
    add_responses(services["near"], date(2023, 12, 31), (4, 3, 2, 1, 4, 3, 2, 1, 4))
    return Tree(city, kec, kel, wild, near, services)
