"""Evaluate an indicator for a unit and a period: resolve its measures, apply its formula.

Variables of a formula are resolved in this order: the indicator's bindings (a registry measure
with filters), its derived measures (their own formulas, evaluated recursively), the plan's
manual measures, then the registry by name. ``prev(x)`` is x one period back: for a year the
year before; for a quarter the whole previous year, because a quarter's realisation is the
year's realisation so far and the plan's "year N against year N−1" compares with a closed year.
Nothing before the plan's baseline year is asked for.

One ``Evaluator`` serves one recompute run and memoises every measure value, so each
(measure, filters, unit, period) costs one SQL aggregate however many indicators use it. When
the run's units are known (``batch_units``) and a measure has a batch reader, the first request
for a (measure, filters, period) fetches the values of all those units in one call; the reader,
one per data app and run, answers every measure and filter set of a period from one grouped
aggregate, so a city's recompute costs a few queries per period instead of one per unit.
Measures are the objects the registry collected at start-up (a broken one fails the system
check, see kinerja.lib.checks), so the engine calls them directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib import coremessages
from kinerja.plan.models import Indicator, Plan, Target
from kinerja_core.achievement import (
    NO_TARGET,
    NOT_MEASURED,
    achievement,
    classify,
)
from kinerja_core.errors import CoreError
from kinerja_core.formula import Formula, FormulaError, NotComputable, Value
from kinerja_core.measures import Published
from kinerja_core.numbers import round_half_up, to_decimal
from kinerja_core.periods import Period

from .models import DECIMALS, Status
from .registry import BatchReader, Measure, manual_filters, plan_measures

MeasureValue = Decimal | NotComputable | None
# What a measure gives: a value, or a published one (a figure from a document, kept as such so
# the result can say so; its number enters formulas like any other).
Reading = MeasureValue | Published
Inputs = dict[str, dict[str, Any]]


FrozenFilters = tuple[tuple[str, tuple[str, ...]], ...]


def frozen(filters: Mapping[str, list[str]]) -> FrozenFilters:
    return tuple(sorted((k, tuple(v)) for k, v in filters.items()))


@dataclass(frozen=True)
class Source:
    """What a formula variable reads: a measure with filters, and the fixed part of its input
    record (measure, label, source, filters) that every unit and period repeat."""

    measure: str
    filters: Mapping[str, list[str]]
    key: FrozenFilters
    info: dict[str, Any]


def previous_period(period: Period) -> Period:
    """One period back for ``prev()``: the previous year, also for a quarter (see module doc)."""
    return Period(period.year - 1)


def stored(value: Decimal | None) -> Decimal | None:
    """A value as the database keeps it, so a recomputed value compares equal to the stored."""
    return None if value is None else round_half_up(value, DECIMALS)


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Outcome:
    """Everything a Result row stores about one indicator, unit and period."""

    realisation: Decimal | None
    computable: bool
    reason: str
    inputs: Inputs
    formula: str
    target_value: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    achievement: Decimal | None
    status: str
    # Whether the realisation rests on a published value rather than records ("nilai terbit").
    published: bool = False

    FIELDS = (
        "realisation",
        "computable",
        "reason",
        "inputs",
        "formula",
        "target_value",
        "target_low",
        "target_high",
        "achievement",
        "status",
        "published",
    )
    DECIMAL_FIELDS = ("realisation", "target_value", "target_low", "target_high", "achievement")

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe: decimals as normalised text (84.6000 and 84.6 are the same value)."""
        out: dict[str, Any] = {}
        for name in self.FIELDS:
            value = getattr(self, name)
            if name in self.DECIMAL_FIELDS:
                value = None if value is None else str(normal(value))
            out[name] = value
        return out

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Outcome:
        values: dict[str, Any] = {name: data.get(name) for name in cls.FIELDS}
        values["published"] = bool(values["published"])  # absent from snapshots made before it
        for name in cls.DECIMAL_FIELDS:
            if values[name] is not None:
                values[name] = Decimal(values[name])
        return cls(**values)

    @classmethod
    def of(cls, result: Any) -> Outcome:
        return cls(**{name: getattr(result, name) for name in cls.FIELDS})

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def apply_to(self, result: Any) -> None:
        for name in self.FIELDS:
            setattr(result, name, getattr(self, name))


def normal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (100 stays 100)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def value_info(value: Reading) -> dict[str, Any]:
    if isinstance(value, Published):
        return {**value_info(value.value), "published": value.document}
    if value is None:
        return {"value": None, "reason": coremessages.reason(NOT_MEASURED)}
    if isinstance(value, NotComputable):
        return {"value": None, "reason": coremessages.reason(value)}
    shown = stored(value)
    assert shown is not None
    return {"value": str(normal(shown)), "reason": None}


def rests_on_published(inputs: Inputs) -> bool:
    """Whether any input, at any depth (derived measures, ``prev()``), is a published value."""
    return any(
        "published" in info or rests_on_published(info.get("inputs") or {})
        for info in inputs.values()
    )


def as_measure_value(raw: object) -> Reading:
    if raw is None or isinstance(raw, NotComputable | Published):
        return raw
    try:
        return to_decimal(raw)
    except CoreError:  # a measure returned something that is not a number: say so, per cell
        return NotComputable(
            _("the measure returned a value that is not a number: %(v)r") % {"v": raw}
        )


def target_for(targets: list[Target], period: Period) -> Target | None:
    quarter = period.index if period.kind == "quarter" else 0
    for t in targets:
        if t.year == period.year and t.quarter == quarter:
            return t
    return None


@dataclass
class Evaluator:
    """Evaluates indicators of one plan, memoising measure values for one recompute run."""

    plan: Plan
    specs: dict[str, Measure] = field(init=False)
    cache: dict[tuple[Any, ...], Reading] = field(default_factory=dict)
    derived_cache: dict[tuple[Any, ...], tuple[Value | None, Inputs]] = field(default_factory=dict)
    # one reader per batch class (shared by the measures of a data app) and run
    readers: dict[object, BatchReader] = field(default_factory=dict)
    batch_units: Sequence[OrgUnit] = ()
    batch_pks: tuple[int, ...] = ()
    formulas: dict[str, Formula | NotComputable] = field(default_factory=dict)
    sources: dict[tuple[int, str], Source] = field(default_factory=dict)
    infos: dict[Reading, dict[str, Any]] = field(default_factory=dict)
    calls: int = 0

    def __post_init__(self) -> None:
        self.specs = plan_measures(self.plan.code, self.plan.manual_measures)
        self.earliest_year = self.plan.baseline_year or self.plan.start_year
        self.bands = self.plan.effective_bands()

    # -- measures ----------------------------------------------------------------------------

    def batch_over(self, units: Sequence[OrgUnit]) -> None:
        """Read the measures with a batch form for all of ``units`` at once."""
        self.batch_units = units
        # A model's pk is a property: read once here, not per memo key of every batch read.
        self.batch_pks = tuple(u.pk for u in units)

    def reader(self, spec: Measure) -> BatchReader | None:
        """The run's batch reader of the measure; None when it has none."""
        if spec.batch is None:
            return None
        if spec.batch not in self.readers:
            self.readers[spec.batch] = spec.batch(self.batch_units)
        return self.readers[spec.batch]

    def prefetch(
        self,
        name: str,
        spec: Measure,
        filters: Mapping[str, list[str]],
        unit: OrgUnit,
        period: Period,
    ) -> None:
        """Fill the memo for every unit of the run from one batch call, if the measure has one.

        Only values go in: the checks ``measure`` makes before computing (unknown measure,
        before the baseline year) are made before this is called.
        """
        if unit.pk not in self.batch_pks:
            return
        reader = self.reader(spec)
        if reader is None:
            return
        frozen_filters = frozen(filters)
        self.calls += 1
        values = reader.values(name, period, filters)
        period_key = period.key
        for pk in self.batch_pks:
            key = (name, frozen_filters, pk, period_key)
            if key not in self.cache and pk in values:
                self.cache[key] = as_measure_value(values[pk])

    def measure(
        self,
        name: str,
        filters: Mapping[str, list[str]],
        unit: OrgUnit,
        period: Period,
        frozen_filters: FrozenFilters | None = None,
    ) -> Reading:
        if frozen_filters is None:
            frozen_filters = frozen(filters)
        key = (name, frozen_filters, unit.pk, period.key)
        if key in self.cache:
            return self.cache[key]
        spec = self.specs.get(name)
        value: Reading
        if spec is None:
            value = NotComputable(_("unknown measure: %(name)s") % {"name": name})
        elif period.year < self.earliest_year:
            value = NotComputable(
                _("no data before the baseline year %(year)s") % {"year": self.earliest_year}
            )
        else:
            self.prefetch(name, spec, filters, unit, period)
            if key in self.cache:
                return self.cache[key]
            self.calls += 1
            value = as_measure_value(spec.compute(unit, period, filters))
        self.cache[key] = value
        return value

    # -- formulas ----------------------------------------------------------------------------

    def parsed(self, text: str) -> Formula | NotComputable:
        if text not in self.formulas:
            try:
                self.formulas[text] = Formula.parse(text)
            except FormulaError as exc:
                self.formulas[text] = NotComputable(
                    _("the formula cannot be read: %(error)s")
                    % {"error": coremessages.error_text(exc)}
                )
        return self.formulas[text]

    def formula_value(
        self,
        indicator: Indicator,
        text: str,
        unit: OrgUnit,
        period: Period,
        stack: tuple[str, ...] = (),
    ) -> tuple[Value | None, Inputs]:
        """The formula's value (None = nothing measured) and the inputs it was computed from."""
        formula = self.parsed(text)
        if isinstance(formula, NotComputable):
            return formula, {}
        inputs: Inputs = {}
        current: dict[str, MeasureValue] = {}
        previous: dict[str, MeasureValue] = {}
        for name in sorted(formula.current_variables):
            current[name], inputs[name] = self.variable(indicator, name, unit, period, stack)
        before = previous_period(period)
        for name in sorted(formula.previous_variables):
            previous[name], inputs[f"prev({name})"] = self.variable(
                indicator, name, unit, before, stack
            )
        if current and all(v is None for v in current.values()):
            return None, inputs
        return formula.evaluate(current, previous), inputs

    def source(self, indicator: Indicator, name: str) -> Source:
        """What variable ``name`` of ``indicator`` reads (the same for every unit and period)."""
        key = (indicator.pk, name)
        if key not in self.sources:
            binding = indicator.bindings.get(name)
            if binding is not None:
                measure, filters = binding["measure"], binding["filters"]
            else:
                measure = name
                spec = self.specs.get(name)
                filters = (
                    manual_filters(self.plan.code, name, spec.unit)
                    if spec is not None and spec.source == "manual"
                    else {}
                )
            spec = self.specs.get(measure)
            info = {
                "measure": measure,
                "label": str(spec.label) if spec else measure,
                "source": spec.source if spec else "",
                "filters": {k: v for k, v in filters.items() if spec and spec.source != "manual"},
            }
            self.sources[key] = Source(measure, filters, frozen(filters), info)
        return self.sources[key]

    def data_kinds(self, indicator: Indicator) -> set[str]:
        """The sources (``Measure.source``: the data app, "manual") of every measure the
        indicator's formula reads, also through its derived measures; "" for an unknown one."""
        found: set[str] = set()
        derived: set[str] = set()
        texts = [indicator.formula]
        while texts:
            formula = self.parsed(texts.pop())
            if isinstance(formula, NotComputable):
                continue
            for name in formula.current_variables | formula.previous_variables:
                if name not in indicator.derived:
                    found.add(self.source(indicator, name).info["source"])
                elif name not in derived:
                    derived.add(name)
                    texts.append(indicator.derived[name]["formula"])
        return found

    def value_info(self, value: Reading) -> dict[str, Any]:
        """``value_info`` memoised per run: the same values recur across units and periods."""
        try:
            return self.infos[value]
        except KeyError:
            info = self.infos[value] = value_info(value)
            return info

    def variable(
        self,
        indicator: Indicator,
        name: str,
        unit: OrgUnit,
        period: Period,
        stack: tuple[str, ...],
    ) -> tuple[MeasureValue, dict[str, Any]]:
        base = {"name": name, "unit": unit.code, "period": period.key}
        if name in indicator.derived:
            return self.derived(indicator, name, unit, period, stack, base)
        source = self.source(indicator, name)
        value = self.measure(source.measure, source.filters, unit, period, source.key)
        info = {**base, **source.info, **self.value_info(value)}
        return (value.value if isinstance(value, Published) else value), info

    def derived(
        self,
        indicator: Indicator,
        name: str,
        unit: OrgUnit,
        period: Period,
        stack: tuple[str, ...],
        base: dict[str, Any],
    ) -> tuple[MeasureValue, dict[str, Any]]:
        definition = indicator.derived[name]
        if name in stack:
            value: Value | None = NotComputable(
                _("derived measures refer to each other in a circle: %(names)s")
                % {"names": " → ".join([*stack, name])}
            )
            sub: Inputs = {}
        else:
            key = (indicator.pk, name, unit.pk, period.key)
            if key not in self.derived_cache:
                self.derived_cache[key] = self.formula_value(
                    indicator, definition["formula"], unit, period, (*stack, name)
                )
            value, sub = self.derived_cache[key]
        info = {
            **base,
            "label": definition.get("label") or name,
            "source": "derived",
            "formula": definition["formula"],
            "inputs": sub,
            **value_info(value),
        }
        return value, info

    # -- indicators --------------------------------------------------------------------------

    def outcome(
        self, indicator: Indicator, targets: list[Target], unit: OrgUnit, period: Period
    ) -> Outcome:
        """Realisation, target and achievement of ``indicator`` for ``unit`` in ``period``."""
        value, inputs = self.formula_value(indicator, indicator.formula, unit, period)
        target = target_for(targets, period)
        comparable = None if target is None else target.comparable()
        result = achievement(comparable, value, indicator.rated_polarity, indicator.cap)
        realisation = value if isinstance(value, Decimal) else None
        # Stored as text in the language the recompute runs in (see do_recompute).
        if value is None:
            status, reason = Status.NOT_MEASURED.value, coremessages.reason(NOT_MEASURED)
        elif isinstance(value, NotComputable):
            status, reason = Status.NOT_COMPUTABLE.value, coremessages.reason(value)
        elif isinstance(result, NotComputable):
            status = Status.NO_TARGET.value if result is NO_TARGET else Status.NOT_COMPUTABLE.value
            reason = coremessages.reason(result)
        else:
            band = classify(result, self.bands)
            status, reason = (band.key if band else ""), ""
        return Outcome(
            realisation=stored(realisation),
            computable=realisation is not None,
            reason=reason,
            inputs=inputs,
            formula=indicator.formula,
            target_value=None if target is None else target.value,
            target_low=None if target is None else target.low,
            target_high=None if target is None else target.high,
            achievement=stored(result) if isinstance(result, Decimal) else None,
            status=status,
            published=realisation is not None and rests_on_published(inputs),
        )
