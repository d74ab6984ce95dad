"""The measure interface: what a data app hands the results engine, and all it hands it.

A data app (community, surveys, ...) declares its measures as ``Measure`` objects in a tuple
``MEASURES`` in its ``measures`` module; the results app collects those tuples from the installed
apps at start-up and refuses a broken one there (``problems`` says what is wrong with one).

A measure is computed by ``compute(unit, period, filters)``, returning a number, ``None`` when
nothing was measured, a ``NotComputable`` with its reason, or a ``Published`` value (a figure the
office published in a document rather than one computed from records, which results then mark
as such); each call reads one unit subtree and one period. ``batch``, when given, makes a reader once per recompute run with the run's
units, whose ``values(measure, period, filters)`` returns ``{unit.pk: value}`` for all of them,
exactly what ``compute`` gives unit by unit. Measures of one data app share their reader class,
so it can answer several measures and filter sets from one wider grouped aggregate.

Django-free: units are whatever the app's unit model is (the engine passes its own), labels are
any text (lazy translations included, shown with ``str()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from .errors import Code, Message
from .periods import Period

Filters = Mapping[str, list[str]]

# What a measure's value is, as a plan's indicator units are: a count, an index or a percentage.
UNITS = ("number", "index", "percent")


class Text(Protocol):
    """A label: a string or a lazy translation of one."""

    def __str__(self) -> str: ...


class BatchReader(Protocol):
    """Reads measures of one data app for the units of one recompute run (see module doc)."""

    def values(self, measure: str, period: Period, filters: Filters) -> Mapping[int, Any]: ...


Compute = Callable[[Any, Period, Filters], object]
BatchFactory = Callable[[Sequence[Any]], BatchReader]


@dataclass(frozen=True)
class Published:
    """A measure's value taken from a published document, not computed from records (e.g. the
    IKM of a year whose answers are not kept): ``document`` says which, for the result's record."""

    value: Decimal
    document: str


@dataclass(frozen=True)
class Measure:
    """One measure an indicator formula may name."""

    name: str
    label: Text
    compute: Compute
    filters: tuple[str, ...] = ()
    unit: str = "number"
    batch: BatchFactory | None = None
    # The app that owns the data (community, surveys, manual); the registry fills it in from
    # the app that declares the measure.
    source: str = ""


def problems(measure: object) -> Iterator[Message]:
    """Why ``measure`` does not satisfy the interface (nothing when it does)."""
    if not isinstance(measure, Measure):
        yield Message.of(Code.MEASURE_NOT_A_MEASURE, type=type(measure).__name__, value=measure)
        return
    if not isinstance(measure.name, str) or not measure.name.isidentifier():
        yield Message.of(Code.MEASURE_BAD_NAME, name=measure.name)
    if not str(measure.label).strip():
        yield Message.of(Code.MEASURE_EMPTY_LABEL)
    if not callable(measure.compute):
        yield Message.of(Code.MEASURE_COMPUTE_NOT_CALLABLE, value=measure.compute)
    if measure.batch is not None and not callable(measure.batch):
        yield Message.of(Code.MEASURE_BATCH_NOT_CALLABLE, value=measure.batch)
    if not isinstance(measure.filters, tuple) or not all(
        isinstance(f, str) and f for f in measure.filters
    ):
        yield Message.of(Code.MEASURE_BAD_FILTERS, value=measure.filters)
    if measure.unit not in UNITS:
        yield Message.of(Code.MEASURE_BAD_UNIT, unit=measure.unit, units=", ".join(UNITS))
