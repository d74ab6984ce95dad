"""The public questionnaire's look-up of an active service by its link, with SQL the ORM
compiled once per process.

On every citizen's GET and POST, building and compiling this ORM query cost more than the rest
of the view; the statement is the ORM's own (``active_service_row_orm`` runs it the ORM way),
compiled once per database alias with a placeholder where the link goes. The row comes back as
the database returned it: ``surveys/formcache.py`` only compares it with the row it cached.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Exists, QuerySet

from kinerja.accounts.models import OrgUnit
from kinerja.lib.models import DemoMarker
from kinerja.surveys.models import Service

from .routing import read_alias

# A plain word (nothing escaping changes) that no link is: where the link goes in the statement.
LINK_SLOT = "kinerja-slot-link-9f3c"


class ServiceRow(NamedTuple):
    """An active service's row and its unit's, as stored now, and whether demo data is loaded."""

    row: tuple[Any, ...]
    demo_data: bool


def active_services() -> QuerySet[Service]:
    return Service.objects.select_related("unit").filter(active=True)


def _annotated() -> QuerySet[Service]:
    return active_services().annotate(demo_data=Exists(DemoMarker.objects.all()))


# Per alias: the statement, its parameters, where the link goes among them, the flag's column.
_lookups: dict[str, tuple[str, list[Any], int, int]] = {}


def _lookup(alias: str) -> tuple[str, list[Any], int, int]:
    if alias not in _lookups:
        compiler = _annotated().filter(slug=LINK_SLOT).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        at = list(params).index(LINK_SLOT)
        _lookups[alias] = (sql, list(params), at, compiler.annotation_col_map["demo_data"])
    return _lookups[alias]


def active_service_row(slug: str) -> ServiceRow | None:
    """The row of the active service whose link is ``slug``; None when there is none."""
    alias = read_alias(Service)
    sql, params, at, demo_at = _lookup(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params[:at], slug, *params[at + 1 :]])
        fetched = cursor.fetchone()
    if fetched is None:
        return None
    row = tuple(fetched)
    return ServiceRow(row, bool(row[demo_at]))


def row_columns() -> list[str]:
    """The statement's columns as ORM names, in its order: the service's, the demo flag, then
    the unit's (the compiler puts annotations before related rows)."""
    return [
        *(f.attname for f in Service._meta.concrete_fields),
        "demo_data",
        *(f"unit__{f.attname}" for f in OrgUnit._meta.concrete_fields),
    ]


def active_service_row_orm(slug: str) -> ServiceRow | None:
    """The same row read by the ORM (values converted to Python, as the ORM does)."""
    columns = row_columns()
    row = _annotated().filter(slug=slug).values_list(*columns).first()
    if row is None:
        return None
    return ServiceRow(tuple(row), bool(row[columns.index("demo_data")]))
