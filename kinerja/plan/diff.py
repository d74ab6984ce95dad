"""The difference between two plan documents, per indicator and year (docs/rules.md#plan-revisions).

A pure function over the documents (no database): what a load or a revision would change. Which
of those changes are refused depends on what is stored (results, locked years); that judgement
is ``refused_changes`` over the diff and the stored ``Facts`` (read by kinerja.plan.versions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kinerja.lib.language import lang
from kinerja_core.achievement import TargetRange
from kinerja_core.numbers import format_decimal

from .planfile.document import IndicatorDoc, PlanDocument, YearTarget

ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"
REDEFINED = "redefined"
TARGET = "target"

# The fields that define what an indicator measures and how it is scored: a change of any of
# them is a new definition, kept beside the old one (the name is a rename, targets are per year).
DEFINITION_FIELDS = (
    "formula",
    "explanation",
    "derived",
    "bindings",
    "unit",
    "polarity",
    "decimals",
    "cap",
    "level",
    "iku",
)


@dataclass(frozen=True)
class Change:
    """One difference: ``code``'s ``kind`` in ``years`` (every year of the plan for a definition)."""

    code: str
    kind: str
    years: tuple[int, ...] = ()
    before: str = ""
    after: str = ""
    fields: tuple[str, ...] = ()
    # The indicator's decimals: a target change prints its numbers with them (89,60 → 90,00).
    decimals: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.code,
            "kind": self.kind,
            "years": list(self.years),
            "fields": list(self.fields),
            "before": self.before,
            "after": self.after,
        }

    @property
    def label(self) -> str:
        """The kind of change as a reader says it."""
        return kind_label(self.kind)

    @property
    def years_text(self) -> str:
        return years_text(self.years)

    @property
    def before_text(self) -> str:
        """``before`` as a reader reads it: a target in the Indonesian way with the indicator's
        decimals ("89,60", "3,00–5,00"); a name or a formula as it is."""
        return self.shown(self.before)

    @property
    def after_text(self) -> str:
        return self.shown(self.after)

    def shown(self, text: str) -> str:
        if self.kind != TARGET or self.decimals is None or not text:
            return text
        return "–".join(
            format_decimal(Decimal(part), self.decimals, lang()) for part in text.split("–")
        )

    def describe(self) -> str:
        years = years_text(self.years)
        if self.kind == ADDED:
            return _("%(code)s: added") % {"code": self.code}
        if self.kind == REMOVED:
            return _("%(code)s: removed") % {"code": self.code}
        if self.kind == RENAMED:
            return _("%(code)s: renamed from “%(before)s” to “%(after)s”") % {
                "code": self.code,
                "before": self.before,
                "after": self.after,
            }
        if self.kind == REDEFINED:
            return _("%(code)s: definition changed (%(fields)s)") % {
                "code": self.code,
                "fields": ", ".join(self.fields),
            }
        return _("%(code)s %(years)s: target %(before)s → %(after)s") % {
            "code": self.code,
            "years": years,
            "before": self.before_text or "–",
            "after": self.after_text or "–",
        }


@dataclass(frozen=True)
class PlanDiff:
    changes: tuple[Change, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.changes)

    def as_json(self) -> list[dict[str, Any]]:
        return [c.as_json() for c in self.changes]

    def from_year(self, year: int) -> PlanDiff:
        """Only what changes in ``year`` and after: what a revision effective ``year`` changes."""
        kept = []
        for change in self.changes:
            if change.kind == TARGET:
                if change.years[0] >= year:
                    kept.append(change)
            else:
                later = tuple(y for y in change.years if y >= year)
                kept.append(replace(change, years=later))
        return PlanDiff(tuple(kept))

    def summary(self) -> dict[str, int]:
        """How many changes of each kind (stored with a version)."""
        out = dict.fromkeys((ADDED, REMOVED, RENAMED, REDEFINED, TARGET), 0)
        for change in self.changes:
            out[change.kind] += 1
        return out


def kind_label(kind: str) -> str:
    """A kind of change (a key of a version's summary) as a reader says it: "ditambahkan"."""
    return {
        ADDED: _("added"),
        REMOVED: _("removed"),
        RENAMED: _("renamed"),
        REDEFINED: _("definition changed"),
        TARGET: _("target changed"),
    }[kind]


def years_text(years: Iterable[int]) -> str:
    ys = sorted(years)
    if not ys:
        return ""
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def target_text(target: YearTarget) -> str:
    if target is None:
        return ""
    if isinstance(target, TargetRange):
        return f"{plain(target.low)}–{plain(target.high)}"
    return plain(target)


def plain(value: Decimal) -> str:
    """84.6000 and 84.6 alike: targets compare by value, not by how the file wrote them."""
    normal = value.normalize()
    return format(normal if normal != normal.to_integral_value() else normal.quantize(1), "f")


def comparable(target: YearTarget) -> Any:
    if isinstance(target, TargetRange):
        return ("range", target.low, target.high)
    return target


def quarter_text(quarters: tuple[Decimal | None, ...] | None) -> str:
    if not quarters:
        return ""
    return " / ".join("–" if q is None else plain(q) for q in quarters)


def definition_changes(old: IndicatorDoc, new: IndicatorDoc) -> tuple[str, ...]:
    return tuple(f for f in DEFINITION_FIELDS if getattr(old, f) != getattr(new, f))


def indicator_changes(old: IndicatorDoc, new: IndicatorDoc, years: tuple[int, ...]) -> list[Change]:
    out: list[Change] = []
    if old.name != new.name:
        out.append(Change(new.code, RENAMED, years, old.name, new.name))
    changed = definition_changes(old, new)
    if changed:
        before = old.formula if "formula" in changed else ""
        after = new.formula if "formula" in changed else ""
        out.append(Change(new.code, REDEFINED, years, before, after, changed))
    for year in sorted(set(old.targets) | set(new.targets)):
        a, b = old.targets.get(year), new.targets.get(year)
        if comparable(a) != comparable(b):
            out.append(
                Change(
                    new.code, TARGET, (year,), target_text(a), target_text(b), decimals=new.decimals
                )
            )
    for year in sorted(set(old.quarter_targets) | set(new.quarter_targets)):
        qa, qb = old.quarter_targets.get(year), new.quarter_targets.get(year)
        if qa != qb:
            out.append(
                Change(new.code, TARGET, (year,), quarter_text(qa), quarter_text(qb), ("quarters",))
            )
    return out


def diff_plans(old: PlanDocument | None, new: PlanDocument) -> PlanDiff:
    """What storing ``new`` over ``old`` (None: nothing stored) changes, in ``new``'s file order
    and then the removed indicators in ``old``'s order."""
    years = tuple(new.period.years)
    before = {i.code: i for i in old.indicators()} if old is not None else {}
    changes: list[Change] = []
    seen = set()
    for ind in new.indicators():
        seen.add(ind.code)
        previous = before.get(ind.code)
        if previous is None:
            target_years = tuple(sorted(y for y, t in ind.targets.items() if t is not None))
            changes.append(Change(ind.code, ADDED, target_years or years, "", ind.name))
        else:
            changes.extend(indicator_changes(previous, ind, years))
    if old is not None:
        old_years = tuple(old.period.years)
        for ind in old.indicators():
            if ind.code not in seen:
                changes.append(Change(ind.code, REMOVED, old_years, ind.name, ""))
    return PlanDiff(tuple(changes))


@dataclass(frozen=True)
class Facts:
    """What is stored for a plan: the years with results per indicator code, the locked years."""

    result_years: dict[str, frozenset[int]] = field(default_factory=dict)
    locked: frozenset[int] = frozenset()


def refused_changes(diff: PlanDiff, facts: Facts, effective: int | None = None) -> list[str]:
    """Why a load (``effective`` None) or a revision effective ``effective`` is refused: one
    message per change naming the indicator code and the year; empty when it may be stored.

    A load changes the plan for every year, so it may not remove or redefine an indicator that
    has results, change a target of a year with results, or touch a locked year. A revision
    leaves the years before ``effective`` as they were, so only locked years from it on refuse.
    """
    if effective is not None:
        locked = sorted(y for y in facts.locked if y >= effective)
        return [
            _("year %(year)s is locked: a revision effective %(effective)s would change it")
            % {"year": year, "effective": effective}
            for year in locked
        ]
    out: list[str] = []
    for change in diff.changes:
        with_results = sorted(facts.result_years.get(change.code, frozenset()) & set(change.years))
        locked = sorted(facts.locked & set(change.years))
        if change.kind in (REMOVED, REDEFINED) and with_results:
            out.append(
                _("%(change)s: it has stored results in %(years)s")
                % {"change": change.describe(), "years": years_text(with_results)}
            )
        elif change.kind == TARGET and with_results:
            out.append(_("%(change)s: the year has stored results") % {"change": change.describe()})
        elif locked:
            out.append(
                _("%(change)s: year %(years)s is locked")
                % {"change": change.describe(), "years": years_text(locked)}
            )
    return out
