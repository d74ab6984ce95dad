"""Validating a plan document (the linter): what `kinerja plan check` reports and `plan load`
refuses, beyond the file's shape that reading already checked.

Errors make a plan unusable (a formula that cannot be computed, a missing target); warnings are
things a planner should look at (targets moving against the polarity). The plan's own notes are
echoed as notes, so a reader sees how the document was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from kinerja.lib import coremessages
from kinerja_core.achievement import TargetRange
from kinerja_core.formula import Formula, FormulaError, identical_ratio
from kinerja_core.measures import Measure

from .document import IndicatorDoc, PlanDocument
from .problems import Problem


def lint_plan(
    doc: PlanDocument, measures: Mapping[str, Measure], notes: bool = True
) -> list[Problem]:
    """Check a plan document against the measure registry ``measures``."""
    found: list[Problem] = []
    manual = {m.name for m in doc.manual_measures}
    for name in manual & set(measures):
        found.append(
            Problem(
                _("manual measure %(name)s hides a registered measure") % {"name": name},
                where="manual_measures",
                field=name,
            )
        )
    seen_names: dict[tuple[str, str], str] = {}
    years = doc.period.years
    for ind in doc.indicators():
        code = ind.code
        key = (ind.level, " ".join(ind.name.lower().split()))
        if key in seen_names:
            found.append(
                Problem(
                    _("the same indicator as %(other)s at the same level")
                    % {"other": seen_names[key]},
                    where=code,
                    field="name",
                )
            )
        else:
            seen_names[key] = code
        found.extend(lint_formulas(ind, measures, manual))
        found.extend(lint_targets(ind, years))
        for field, given, label in (
            ("data_source", ind.data_source, _("data source")),
            ("responsible", ind.responsible, _("responsible officer")),
        ):
            if not given:
                found.append(
                    Problem(_("no %(what)s given") % {"what": label}, where=code, field=field)
                )
    if notes:
        found.extend(Problem(note, where=_("plan note"), severity="note") for note in doc.notes)
    return found


def lint_formulas(
    ind: IndicatorDoc, measures: Mapping[str, Measure], manual: set[str]
) -> Iterable[Problem]:
    code = ind.code
    derived = ind.derived
    names = set(measures) | manual | set(derived) | set(ind.bindings)
    for alias, binding in ind.bindings.items():
        spec = measures.get(binding.measure)
        field = f"bindings.{alias}"
        if spec is None:
            yield Problem(
                _("unknown measure %(name)s") % {"name": binding.measure},
                where=code,
                field=f"{field}.measure",
            )
            continue
        for fname in binding.filters:
            if fname not in spec.filters:
                allowed = ", ".join(spec.filters) or "-"
                yield Problem(
                    _("measure %(m)s has no filter %(f)s (allowed: %(a)s)")
                    % {"m": spec.name, "f": fname, "a": allowed},
                    where=code,
                    field=f"{field}.filters",
                )
    parsed: dict[str, Formula] = {}
    sources = [("formula", ind.formula, ind.explanation)] + [
        (f"derived.{name}.formula", d.formula, d.explanation) for name, d in derived.items()
    ]
    for field, text, explanation in sources:
        same = identical_ratio(text)
        if same:
            yield Problem(coremessages.text(same), where=code, field=field)
            continue
        if explanation and identical_ratio(explanation):
            yield Problem(
                _(
                    "the printed explanation divides a quantity by itself (a typo in the document); the formula %(formula)s is used"
                )
                % {"formula": text},
                where=code,
                field=field.replace("formula", "explanation"),
                severity="warning",
            )
        try:
            formula = Formula.parse(text)
        except FormulaError as exc:
            yield Problem(coremessages.error_text(exc), where=code, field=field)
            continue
        parsed[field] = formula
        for name in sorted(formula.variables - names):
            yield Problem(_("unknown measure %(name)s") % {"name": name}, where=code, field=field)
    yield from find_cycles(
        code,
        {n: parsed[f"derived.{n}.formula"] for n in derived if f"derived.{n}.formula" in parsed},
    )


def find_cycles(code: str, derived: dict[str, Formula]) -> Iterable[Problem]:
    """A derived measure may use others, but never itself through a chain (prev() is fine)."""
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> str | None:
        if state.get(name) == 1:
            return " → ".join([*trail, name])
        if state.get(name) == 2 or name not in derived:
            return None
        state[name] = 1
        for dep in sorted(derived[name].current_variables & set(derived)):
            cycle = visit(dep, [*trail, name])
            if cycle:
                return cycle
        state[name] = 2
        return None

    for name in derived:
        cycle = visit(name, [])
        if cycle:
            yield Problem(
                _("derived measures refer to each other in a circle: %(cycle)s") % {"cycle": cycle},
                where=code,
                field=f"derived.{name}.formula",
            )
            return


def lint_targets(ind: IndicatorDoc, years: list[int]) -> Iterable[Problem]:
    code = ind.code
    targets = ind.targets
    for year in years:
        if year not in targets:
            yield Problem(
                _("no target for %(year)s") % {"year": year}, where=code, field=f"targets.{year}"
            )
    points: list[tuple[int, Decimal]] = []
    for year in sorted(targets):
        target = targets[year]
        if isinstance(target, TargetRange):
            numbers = [target.low, target.high]
            value = (target.low + target.high) / 2
        elif target is None:
            continue
        else:
            numbers = [target]
            value = target
        points.append((year, value))
        if ind.unit == "percent" and any(n < 0 or n > 100 for n in numbers):
            yield Problem(
                _("a percent target outside 0–100"),
                where=code,
                field=f"targets.{year}",
                severity="warning",
            )
    for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
        # A stable indicator's target may move either way.
        against = {"higher": v1 < v0, "lower": v1 > v0}.get(ind.polarity, False)
        if against:
            yield Problem(
                _("the target moves against the polarity (%(y0)s: %(v0)s → %(y1)s: %(v1)s)")
                % {"y0": y0, "v0": v0, "y1": y1, "v1": v1},
                where=code,
                field=f"targets.{y1}",
                severity="warning",
            )
    for year, quarters in ind.quarter_targets.items():
        if ind.unit == "percent" and any(q is not None and (q < 0 or q > 100) for q in quarters):
            yield Problem(
                _("a percent target outside 0–100"),
                where=code,
                field=f"quarter_targets.{year}",
                severity="warning",
            )
