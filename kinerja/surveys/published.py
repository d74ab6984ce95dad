"""Published IKM values: the history a unit published before its answers were in Kinerja
(docs/rules.md#ikm-published-values).

An officer records the IKM printed in a unit's survey report for a year, with the report as
evidence (``actions.do_record_published_ikm``). While that record is in force, the ``ikm``
measure of that unit and year is the published value, marked as such in the results, even once
the year's answers are imported: the answers count only after an officer has decided so, with a
reason (``actions.do_decide_published_ikm``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.language import lang
from kinerja_core.formula import NotComputable
from kinerja_core.ikm import METHODS, SCALE, Method, grade_of
from kinerja_core.measures import Published
from kinerja_core.numbers import format_decimal, round_half_up
from kinerja_core.periods import Period

from .models import PublishedIkm

# KepMenPAN 25/2004 introduced the IKM: no unit published one before.
FIRST_YEAR = 2004
GRADES = ("A", "B", "C", "D")


def last_year() -> int:
    return timezone.localdate().year


def scale(method: Method) -> tuple[Decimal, Decimal]:
    """The lowest and highest IKM the method prints (every answer 1, every answer 4), to the
    cent: 25,00–100,00 with exact weights, 24,98–99,90 with 0,111, 24,85–99,40 with 0,071."""
    lowest = method.exact_weight * len(method.elements) * SCALE
    return _cents(lowest), _cents(lowest * 4)


def _cents(value: Fraction) -> Decimal:
    return round_half_up(Decimal(value.numerator) / Decimal(value.denominator), 2)


def check_published(year: int, value: Decimal, grade: str, method_name: str) -> None:
    """ValidationError by field when the record cannot be what a unit published: a year before
    the IKM or in the future, an unknown method, a value off the method's scale, or a grade the
    method does not give that value (a typing slip far more often than a misprint)."""
    problems: dict[str, str] = {}
    if not FIRST_YEAR <= year <= last_year():
        problems["year"] = _("The year must be from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": last_year(),
        }
    method = METHODS.get(method_name)
    if method is None:
        problems["method"] = _("Unknown method %(method)s.") % {"method": method_name}
    elif value != round_half_up(value, 2):
        problems["value"] = _("Enter the value as printed, with at most two decimals.")
    else:
        low, high = scale(method)
        if not low <= value <= high:
            problems["value"] = _("Under this method an IKM lies from %(low)s to %(high)s.") % {
                "low": format_decimal(low, 2, lang()),
                "high": format_decimal(high, 2, lang()),
            }
        elif grade_of(value, method).letter != grade:
            problems["grade"] = _("Under this method an IKM of %(value)s is grade %(grade)s.") % {
                "value": format_decimal(value, 2, lang()),
                "grade": grade_of(value, method).letter,
            }
    if grade not in GRADES:
        problems["grade"] = _("The grade is one of A, B, C and D.")
    if problems:
        raise ValidationError(problems)


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def in_force(
    units: Iterable[OrgUnit], year: int | None = None
) -> dict[tuple[int, int], PublishedIkm]:
    """{(unit pk, year): record} of the published values in force for ``units``, in ``year`` or
    in every year (None)."""
    rows = PublishedIkm.objects.filter(unit__in=[u.pk for u in units], in_force=True)
    if year is not None:
        rows = rows.filter(year=year)
    fields = ("unit_id", "year", "value", "method", "document_title", "document_number")
    return {(row.unit_id, row.year): row for row in rows.only(*fields)}


def reading(
    record: PublishedIkm, period: Period, filters: Mapping[str, list[str]]
) -> Published | NotComputable:
    """What the ``ikm`` measure gives for a unit and period whose year has a published value in
    force: the value itself for the year as a whole; for a part of the year or some services
    only, nothing (the report gave one figure for the unit's year, and the answers of that year
    are set aside until an officer decides to use them)."""
    if period.kind != "year":
        return NotComputable(
            _("the IKM of %(year)s is the published value of the whole year")
            % {"year": record.year}
        )
    if filters.get("service"):
        return NotComputable(
            _("the IKM of %(year)s is the published value of the whole unit, not per service")
            % {"year": record.year}
        )
    return Published(Decimal(record.value), record.document)
