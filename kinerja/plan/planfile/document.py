"""The plan document: what a plan file says, as typed values with the defaults filled in.

Reading a file (read.py) and exporting a stored plan (write.py) both give a PlanDocument, so
"load then export is lossless" is the equality of two documents. The parts the database keeps
as JSON (tasks, manual measures, bands, derived measures, bindings) say their JSON shape as a
TypedDict and convert with ``to_json`` / ``from_json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from kinerja_core.achievement import TargetRange

from .crosswalk import Continuation

if TYPE_CHECKING:  # renaksi.py reads indicators of this module
    from .renaksi import RenaksiDoc

FORMAT = "kinerja-plan/1"
# From the top: a province holds cities and regencies, their kecamatan hold kelurahan and desa.
UNIT_LEVELS = ("province", "city", "regency", "kecamatan", "kelurahan", "desa")
INDICATOR_UNITS = ("percent", "index", "number")
POLARITIES = ("higher", "lower", "stable")

# A year's target: one number, a range (any value in it is fully achieved), or none set.
YearTarget = Decimal | TargetRange | None
# The four quarter targets of a year, None where a quarter has none.
QuarterTargets = tuple[Decimal | None, ...]


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class UnitDoc(UnitRef):
    """The plan's unit, the chain of its parents from the top, and its sub-units."""

    parents: tuple[UnitRef, ...] = ()
    children: tuple[UnitRef, ...] = ()


@dataclass(frozen=True)
class PlanPeriod:
    start: int
    end: int
    baseline: int | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


class TaskJSON(TypedDict):
    letter: str
    text: str


@dataclass(frozen=True)
class Task:
    letter: str
    text: str

    def to_json(self) -> TaskJSON:
        return {"letter": self.letter, "text": self.text}

    @classmethod
    def from_json(cls, data: TaskJSON) -> Task:
        return cls(letter=data["letter"], text=data["text"])


@dataclass(frozen=True)
class Profile:
    """The unit's function (fungsi) and tasks (tugas), printed in the IKU document."""

    function: str = ""
    tasks: tuple[Task, ...] = ()


class ManualMeasureJSON(TypedDict):
    name: str
    label: str
    unit: str


@dataclass(frozen=True)
class ManualMeasure:
    """A measure staff type in (no code computes it)."""

    name: str
    label: str
    unit: str = "number"

    def to_json(self) -> ManualMeasureJSON:
        return {"name": self.name, "label": self.label, "unit": self.unit}

    @classmethod
    def from_json(cls, data: ManualMeasureJSON) -> ManualMeasure:
        return cls(name=data["name"], label=data["label"], unit=data["unit"])


class BandJSON(TypedDict):
    minimum: str | None
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class BandDoc:
    """An interpretation band: achievements from ``minimum`` up (None: everything below)."""

    minimum: Decimal | None
    key: str
    label: str
    colour: str

    def to_json(self) -> BandJSON:
        minimum = None if self.minimum is None else str(self.minimum)
        return {"minimum": minimum, "key": self.key, "label": self.label, "colour": self.colour}

    @classmethod
    def from_json(cls, data: BandJSON) -> BandDoc:
        minimum = None if data["minimum"] is None else Decimal(data["minimum"])
        return cls(minimum=minimum, key=data["key"], label=data["label"], colour=data["colour"])


class DerivedJSON(TypedDict):
    label: str
    explanation: str
    formula: str
    unit: str


@dataclass(frozen=True)
class Derived:
    """A measure an indicator defines by its own formula over other measures."""

    formula: str
    label: str = ""
    explanation: str = ""
    unit: str = "number"

    def to_json(self) -> DerivedJSON:
        return {
            "label": self.label,
            "explanation": self.explanation,
            "formula": self.formula,
            "unit": self.unit,
        }

    @classmethod
    def from_json(cls, data: DerivedJSON) -> Derived:
        return cls(
            formula=data["formula"],
            label=data["label"],
            explanation=data["explanation"],
            unit=data["unit"],
        )


class BindingJSON(TypedDict):
    measure: str
    filters: dict[str, list[str]]


@dataclass(frozen=True)
class Binding:
    """A formula name bound to a registered measure with filters (``kind: [rt, rw]``)."""

    measure: str
    filters: dict[str, tuple[str, ...]]

    def to_json(self) -> BindingJSON:
        return {"measure": self.measure, "filters": {k: list(v) for k, v in self.filters.items()}}

    @classmethod
    def from_json(cls, data: BindingJSON) -> Binding:
        return cls(
            measure=data["measure"], filters={k: tuple(v) for k, v in data["filters"].items()}
        )


@dataclass(frozen=True)
class IndicatorDoc:
    code: str
    name: str
    level: str  # "goal" or "objective": where it stands in the file
    iku: bool
    explanation: str
    formula: str
    derived: dict[str, Derived]
    bindings: dict[str, Binding]
    unit: str
    polarity: str
    decimals: int
    cap: Decimal | None
    data_source: str
    responsible: str
    targets: dict[int, YearTarget]
    quarter_targets: dict[int, QuarterTargets]

    def derived_json(self) -> dict[str, DerivedJSON]:
        return {name: d.to_json() for name, d in self.derived.items()}

    def bindings_json(self) -> dict[str, BindingJSON]:
        return {alias: b.to_json() for alias, b in self.bindings.items()}


@dataclass(frozen=True)
class ObjectiveDoc:
    code: str
    name: str
    indicators: tuple[IndicatorDoc, ...] = ()


@dataclass(frozen=True)
class GoalDoc:
    code: str
    name: str
    indicators: tuple[IndicatorDoc, ...] = ()
    objectives: tuple[ObjectiveDoc, ...] = ()


@dataclass(frozen=True)
class PlanDocument:
    code: str
    title: str
    unit: UnitDoc
    period: PlanPeriod
    goals: tuple[GoalDoc, ...]
    document: dict[str, str]
    profile: Profile = Profile()
    manual_measures: tuple[ManualMeasure, ...] = ()
    bands: tuple[BandDoc, ...] | None = None  # None: the default bands
    notes: tuple[str, ...] = ()
    # The older plan this one carries on, with its crosswalk (None: a first plan).
    continuation: Continuation | None = None
    renaksi: tuple[RenaksiDoc, ...] = ()  # the optional Rencana Aksi section (renaksi.py)

    def indicators(self) -> list[IndicatorDoc]:
        """Every indicator in file order: a goal's own, then its objectives'."""
        out: list[IndicatorDoc] = []
        for g in self.goals:
            out.extend(g.indicators)
            for o in g.objectives:
                out.extend(o.indicators)
        return out
