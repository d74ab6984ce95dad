"""Reading a plan file: YAML text → a checked PlanDocument, with the file's safety limits.

The YAML is loaded safely with the line of every value; then the shape is checked key by key
(every problem, not just the first, each with its line) while the typed document is built with
its defaults filled in. A document is returned only when nothing was wrong; what it means
(formulas, measures, targets) is checked by validate.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from kinerja.accounts import levels
from kinerja.accounts.models import OrgUnit
from kinerja_core.achievement import TargetRange

from .. import limits
from ..models import Goal, Indicator, Objective, Plan
from .crosswalk import read_continuation
from .document import (
    FORMAT,
    INDICATOR_UNITS,
    POLARITIES,
    UNIT_LEVELS,
    BandDoc,
    Binding,
    Derived,
    GoalDoc,
    IndicatorDoc,
    ManualMeasure,
    ObjectiveDoc,
    PlanDocument,
    PlanPeriod,
    Profile,
    QuarterTargets,
    Task,
    UnitDoc,
    UnitRef,
    YearTarget,
)
from .problems import Path, PlanFileError, Problem, dotted
from .renaksi import normalise_renaksi

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MEASURE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------------------------------------
# YAML → Python, remembering the line of every value


YAML_TAG = "tag:yaml.org,2002:"
# The core schema: a plan file is maps, lists, text, numbers, true/false and null. Other standard
# tags (!!binary, !!set, !!timestamp, !!python/...) and custom ones (!foo) are refused.
SAFE_TAGS = frozenset(YAML_TAG + t for t in ("map", "seq", "str", "int", "float", "bool", "null"))
NUMBER_TAGS = frozenset({YAML_TAG + "int", YAML_TAG + "float"})


class PlanLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases, unsafe tags and deep nesting as it composes.

    A plan file never needs an alias; refusing them before any node is built stops the alias
    bomb (a few hundred bytes expanding to gigabytes) and the recursive alias (docs/security.md).
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise PlanFileError(
                [Problem(_("YAML anchors and aliases (&name, *name) are not allowed"), line=line)]
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in SAFE_TAGS:
            shown = tag.replace(YAML_TAG, "!!", 1)
            raise PlanFileError(
                [Problem(_("the YAML tag %(tag)s is not allowed") % {"tag": shown}, line=line)]
            )
        limit = int(settings.KINERJA_PLAN_YAML_MAX_DEPTH)
        if self.depth >= limit:
            raise PlanFileError(
                [Problem(_("nested more than %(limit)s levels deep") % {"limit": limit}, line=line)]
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    """Safe-load ``text``, returning the data and the 1-based line of every key path.

    Floats are read as Decimal from their source text (84.60 stays 84.60, never 84.59999…).
    Duplicate keys are an error, unlike PyYAML's default of silently keeping the last one. A
    value YAML cannot build (a date 2021-13-45, a number of thousands of digits) is a problem
    naming its line, not an exception.
    """
    lines: dict[Path, int] = {}
    loader = PlanLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise PlanFileError(
                [
                    Problem(
                        _("not valid YAML: %(problem)s") % {"problem": exc.problem},
                        line=mark.line + 1 if mark else None,
                    )
                ]
            ) from exc
        except yaml.YAMLError as exc:
            raise PlanFileError([Problem(_("not valid YAML: %(error)s") % {"error": exc})]) from exc
        if root is None:
            raise PlanFileError([Problem(_("the file is empty"))])
        problems: list[Problem] = []
        max_number = int(settings.KINERJA_PLAN_NUMBER_MAX_CHARS)

        def build(node: yaml.Node, path: Path) -> Any:
            line = node.start_mark.line + 1
            if node.tag in NUMBER_TAGS and len(node.value) > max_number:
                problems.append(
                    Problem(
                        _("a number of more than %(limit)s characters") % {"limit": max_number},
                        line=line,
                        where=dotted(path),
                    )
                )
                return None
            try:
                if node.tag == YAML_TAG + "float":
                    try:
                        return Decimal(node.value.replace("_", ""))
                    except InvalidOperation:
                        pass
                return loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                shown = node.value[:80] if isinstance(node, yaml.ScalarNode) else ""
                problems.append(
                    Problem(
                        _("%(value)s cannot be read (%(error)s)")
                        % {"value": shown, "error": getattr(exc, "problem", None) or exc},
                        line=line,
                        where=dotted(path),
                    )
                )
                return None

        def walk(node: yaml.Node, path: Path) -> Any:
            lines[path] = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                result: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = build(key_node, path)
                    if isinstance(key, int | str) and key in result:
                        problems.append(
                            Problem(
                                _("duplicate key %(key)s") % {"key": key},
                                line=key_node.start_mark.line + 1,
                                where=dotted(path),
                            )
                        )
                        continue
                    if not isinstance(key, int | str):
                        problems.append(
                            Problem(
                                _("keys must be text or whole numbers"),
                                line=key_node.start_mark.line + 1,
                            )
                        )
                        continue
                    result[key] = walk(value_node, (*path, key))
                return result
            if isinstance(node, yaml.SequenceNode):
                return [walk(item, (*path, i)) for i, item in enumerate(node.value)]
            return build(node, path)

        data = walk(root, ())
        if problems:
            raise PlanFileError(problems)
        return data, lines
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# Validation into the normalised document


class Validator:
    """Walks the raw data, collecting every problem (not just the first) with its line."""

    def __init__(self, lines: dict[Path, int]):
        self.lines = lines
        self.problems: list[Problem] = []

    def line(self, path: Path) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def error(self, path: Path, message: str, where: str = "", field: str = "") -> None:
        self.problems.append(
            Problem(
                message,
                line=self.line(path),
                where=where or dotted(path[:-1]),
                field=field or str(path[-1] if path else ""),
            )
        )

    def mapping(
        self,
        value: Any,
        path: Path,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        where: str = "",
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, _("must be a mapping of keys to values"), where=where)
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.error(
                    (*path, key),
                    _("unknown key (allowed: %(allowed)s)") % {"allowed": allowed},
                    where=where,
                )
        for key in required:
            if key not in value:
                self.error((*path, key), _("missing required key"), where=where, field=key)
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: Path,
        where: str = "",
        default: str | None = None,
        pattern: re.Pattern[str] | None = None,
        max_length: int | None = None,
    ) -> str:
        """The text at ``key``, at most ``max_length`` characters (its column's length; texts
        kept in JSON or text columns are bounded by KINERJA_PLAN_TEXT_MAX_CHARS)."""
        if key not in data:
            return default if default is not None else ""
        value = data[key]
        if isinstance(value, int | Decimal) and not isinstance(value, bool) and default is not None:
            value = str(value)
        if not isinstance(value, str):
            self.error((*path, key), _("must be text"), where=where, field=key)
            return ""
        value = value.strip("\n") if "\n" in value else value.strip()
        too_long = limits.length_problem(value, max_length or limits.text_chars())
        if too_long:
            self.error((*path, key), too_long, where=where, field=key)
            return value
        if pattern is not None and not pattern.match(value):
            self.error(
                (*path, key),
                _("%(value)r is not a valid code or name") % {"value": value},
                where=where,
                field=key,
            )
        return value

    def integer(
        self,
        data: dict[str, Any],
        key: str,
        path: Path,
        where: str = "",
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*path, key), _("must be a whole number"), where=where, field=key)
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(
                (*path, key),
                _("must be between %(lo)s and %(hi)s") % {"lo": minimum, "hi": maximum},
                where=where,
                field=key,
            )
        return value

    def number(
        self, value: Any, path: Path, where: str, field: str, bound: limits.DecimalRange
    ) -> Decimal | None:
        """A number within ``bound``, the range of the column it is stored in."""
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            self.error(path, _("must be a number"), where=where, field=field)
            return None
        max_chars = int(settings.KINERJA_PLAN_NUMBER_MAX_CHARS)
        if isinstance(value, str) and len(value) > max_chars:
            self.error(
                path,
                _("a number of more than %(limit)s characters") % {"limit": max_chars},
                where=where,
                field=field,
            )
            return None
        try:
            number = Decimal(value.replace(",", ".")) if isinstance(value, str) else Decimal(value)
        except InvalidOperation:
            self.error(
                path, _("%(value)r is not a number") % {"value": value}, where=where, field=field
            )
            return None
        if not number.is_finite():
            self.error(path, _("must be a finite number"), where=where, field=field)
            return None
        out_of_range = bound.problem(number)
        if out_of_range:
            self.error(path, out_of_range, where=where, field=field)
            return None
        return number

    def measure_name(self, name: Any, path: Path, where: str, field: str) -> bool:
        """Whether ``name`` may name a measure; says why not when it may not."""
        if not isinstance(name, str) or not MEASURE_NAME_RE.match(name):
            self.error(
                path,
                _("%(name)r is not a valid measure name (lower case, digits, _)") % {"name": name},
                where=where,
                field=field,
            )
            return False
        too_long = limits.length_problem(name, limits.measure_name_length())
        if too_long:
            self.error(path, too_long, where=where, field=field)
            return False
        return True

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        path: Path,
        choices: tuple[str, ...],
        default: str,
        where: str = "",
    ) -> str:
        value = data.get(key, default)
        if value not in choices:
            self.error(
                (*path, key),
                _("must be one of %(choices)s") % {"choices": ", ".join(choices)},
                where=where,
                field=key,
            )
            return default
        return str(value)

    def boolean(
        self, data: dict[str, Any], key: str, path: Path, default: bool, where: str = ""
    ) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error((*path, key), _("must be true or false"), where=where, field=key)
            return default
        return value

    def items(self, data: dict[str, Any], key: str, path: Path, where: str = "") -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((*path, key), _("must be a list"), where=where, field=key)
            return []
        return value


def parse_plan(text: str) -> PlanDocument:
    """Parse and check a plan file's shape; raise PlanFileError listing every problem."""
    too_large = limits.file_size_problem(limits.text_size(text))
    if too_large:  # before the YAML parser sees it
        raise PlanFileError([Problem(too_large)])
    data, lines = read_yaml(text)
    v = Validator(lines)
    doc = normalise(v, data)
    if doc is None or v.problems:
        raise PlanFileError(v.problems)
    return doc


TOP_KEYS_REQUIRED = ("format", "code", "title", "unit", "period", "goals")
TOP_KEYS_OPTIONAL = (
    "document", "profile", "manual_measures", "bands", "notes", "continues", "crosswalk", "renaksi",
)  # fmt: skip
INDICATOR_REQUIRED = ("code", "name", "level", "formula", "unit", "targets")
INDICATOR_OPTIONAL = (
    "iku", "explanation", "derived", "bindings", "polarity", "decimals", "cap",
    "data_source", "responsible", "quarter_targets",
)  # fmt: skip

# While a file is checked, a value found wrong is recorded as a problem and stands in the
# document being built as one of these; a document with problems is never returned.
NO_YEAR = 0


def normalise(v: Validator, data: Any) -> PlanDocument | None:
    top = v.mapping(data, (), TOP_KEYS_REQUIRED, TOP_KEYS_OPTIONAL)
    if top is None:
        return None
    if top.get("format") != FORMAT:
        v.error(
            ("format",), _("must be %(format)s") % {"format": FORMAT}, where="plan", field="format"
        )
    period = normalise_period(v, top.get("period", {}))
    code = v.text(
        top, "code", (), "plan", pattern=CODE_RE, max_length=limits.column_length(Plan, "code")
    )
    title = v.text(top, "title", (), "plan", max_length=limits.column_length(Plan, "title"))
    unit = normalise_unit(v, top.get("unit"), ("unit",))
    document = normalise_strings(v, top.get("document", {}), ("document",))
    profile = normalise_profile(v, top.get("profile", {}), ("profile",))
    manual_measures = normalise_manual(v, top, ())
    bands = normalise_bands(v, top, ())
    notes: list[str] = []
    for i, note in enumerate(v.items(top, "notes", ())):
        too_long = isinstance(note, str) and limits.length_problem(note, limits.text_chars())
        if not isinstance(note, str):
            v.error(("notes", i), _("a note must be text"), where="notes")
        elif too_long:
            v.error(("notes", i), too_long, where="notes")
        else:
            notes.append(note.strip())
    years = period.years if period.start and period.end and period.end >= period.start else []
    seen_codes: dict[str, Path] = {}
    goals = [
        goal
        for gi, goal_raw in enumerate(v.items(top, "goals", ()))
        if (goal := normalise_goal(v, goal_raw, ("goals", gi), years, seen_codes)) is not None
    ]
    if not goals:
        v.error(("goals",), _("a plan needs at least one goal"), where="plan", field="goals")
    new_codes = {
        i.code
        for g in goals
        for i in (*g.indicators, *(x for o in g.objectives for x in o.indicators))
    }
    continuation = read_continuation(v, top, new_codes, CODE_RE)
    doc = PlanDocument(
        code=code,
        title=title,
        unit=unit,
        period=period,
        document=document,
        profile=profile,
        manual_measures=manual_measures,
        bands=bands,
        goals=tuple(goals),
        notes=tuple(notes),
        continuation=continuation,
    )
    return replace(doc, renaksi=normalise_renaksi(v, top, years, doc.indicators()))


def normalise_period(v: Validator, raw: Any) -> PlanPeriod:
    period_raw = v.mapping(raw, ("period",), ("start", "end"), ("baseline",), where="period") or {}
    start = v.integer(period_raw, "start", ("period",), "period", 1900, 2200)
    end = v.integer(period_raw, "end", ("period",), "period", 1900, 2200)
    baseline = v.integer(period_raw, "baseline", ("period",), "period", 1900, 2200)
    for key, value in (("start", start), ("end", end)):
        if value is None and period_raw.get(key, 0) is None:  # `start: null`: no year at all
            v.error(("period", key), _("must be a whole number"), where="period", field=key)
    if start and end and end < start:
        v.error(
            ("period", "end"),
            _("the last year is before the first year"),
            where="period",
            field="end",
        )
    if start and baseline and baseline >= start:
        v.error(
            ("period", "baseline"),
            _("the baseline year must be before the first year"),
            where="period",
            field="baseline",
        )
    return PlanPeriod(start=start or NO_YEAR, end=end or NO_YEAR, baseline=baseline)


def normalise_goal(
    v: Validator, raw: Any, path: Path, years: list[int], seen_codes: dict[str, Path]
) -> GoalDoc | None:
    g = v.mapping(raw, path, ("code", "name"), ("indicators", "objectives"), where=dotted(path))
    if g is None:
        return None
    code = v.text(g, "code", path, pattern=CODE_RE, max_length=limits.column_length(Goal, "code"))
    name = v.text(g, "name", path, max_length=limits.column_length(Goal, "name"))
    check_unique(v, seen_codes, code, path)
    indicators = tuple(
        normalise_indicator(v, ind, (*path, "indicators", ii), "goal", years, seen_codes)
        for ii, ind in enumerate(v.items(g, "indicators", path))
    )
    objectives = []
    for oi, obj_raw in enumerate(v.items(g, "objectives", path)):
        opath: Path = (*path, "objectives", oi)
        o = v.mapping(
            obj_raw, opath, ("code", "name"), ("indicators",), where=f"{code}.objectives[{oi}]"
        )
        if o is None:
            continue
        objective_code = v.text(
            o, "code", opath, pattern=CODE_RE, max_length=limits.column_length(Objective, "code")
        )
        objective_name = v.text(
            o, "name", opath, max_length=limits.column_length(Objective, "name")
        )
        check_unique(v, seen_codes, objective_code, opath)
        objectives.append(
            ObjectiveDoc(
                code=objective_code,
                name=objective_name,
                indicators=tuple(
                    normalise_indicator(
                        v, ind, (*opath, "indicators", ii), "objective", years, seen_codes
                    )
                    for ii, ind in enumerate(v.items(o, "indicators", opath))
                ),
            )
        )
    return GoalDoc(
        code=code,
        name=name,
        indicators=indicators,
        objectives=tuple(objectives),
    )


def check_unique(v: Validator, seen: dict[str, Path], code: str, path: Path) -> None:
    if not code:
        return
    if code in seen:
        v.error(
            (*path, "code"),
            _("duplicate code %(code)s (first at line %(line)s)")
            % {"code": code, "line": v.line(seen[code])},
            where=code,
            field="code",
        )
    else:
        seen[code] = (*path, "code")


def normalise_unit(v: Validator, raw: Any, path: Path) -> UnitDoc:
    u = v.mapping(raw, path, ("code", "name", "level"), ("parents", "children"), where="unit") or {}

    def one(item: Any, p: Path) -> UnitRef:
        m = v.mapping(item, p, ("code", "name", "level"), where=dotted(p)) or {}
        return UnitRef(
            code=v.text(
                m, "code", p, pattern=CODE_RE, max_length=limits.column_length(OrgUnit, "code")
            ),
            name=v.text(m, "name", p, max_length=limits.column_length(OrgUnit, "name")),
            level=v.choice(m, "level", p, UNIT_LEVELS, "kelurahan"),
        )

    own = one({k: u[k] for k in ("code", "name", "level") if k in u}, path)
    unit = UnitDoc(
        code=own.code,
        name=own.name,
        level=own.level,
        parents=tuple(
            one(p, (*path, "parents", i)) for i, p in enumerate(v.items(u, "parents", path))
        ),
        children=tuple(
            one(c, (*path, "children", i)) for i, c in enumerate(v.items(u, "children", path))
        ),
    )
    # A unit listed twice would be placed under itself (or its own child) when loaded.
    seen: set[str] = set()
    for item in [*unit.parents, own, *unit.children]:
        if item.code and item.code in seen:
            v.error(
                (*path, "code"),
                _("unit %(code)s is listed more than once") % {"code": item.code},
                where="unit",
                field="code",
            )
        seen.add(item.code)
    check_nesting(v, unit, path)
    return unit


def check_nesting(v: Validator, unit: UnitDoc, path: Path) -> None:
    """Each unit of the file must be a level its parent may hold (docs/rules.md#org-unit-levels):
    parents from the top, then the unit, then its sub-units under it."""
    placed: list[tuple[UnitRef, Path]] = [
        *((p, (*path, "parents", i)) for i, p in enumerate(unit.parents)),
        (unit, path),
    ]
    pairs = list(zip(placed, placed[1:], strict=False))
    pairs += [(placed[-1], (c, (*path, "children", i))) for i, c in enumerate(unit.children)]
    # A level already refused as unknown is not refused a second time for where it sits.
    unknown = {p.line for p in v.problems if p.field == "level"}
    for (upper, upper_path), (lower, lower_path) in pairs:
        if {v.line((*upper_path, "level")), v.line((*lower_path, "level"))} & unknown:
            continue
        if levels.may_hold(upper.level, lower.level):
            continue
        allowed = levels.CHILD_LEVELS.get(upper.level, ())
        v.error(
            (*lower_path, "level"),
            _(
                "a unit of level %(level)s cannot sit under %(parent)s (level %(parent_level)s); "
                "%(allowed)s"
            )
            % {
                "level": lower.level,
                "parent": upper.code,
                "parent_level": upper.level,
                "allowed": (
                    _("a %(parent_level)s holds only %(levels)s")
                    % {"parent_level": upper.level, "levels": ", ".join(allowed)}
                    if allowed
                    else _("a %(parent_level)s holds no other unit") % {"parent_level": upper.level}
                ),
            },
            where="unit",
            field="level",
        )


def normalise_strings(v: Validator, raw: Any, path: Path) -> dict[str, str]:
    if not isinstance(raw, dict):
        v.error(path, _("must be a mapping of keys to values"))
        return {}
    out = {}
    for key, value in raw.items():
        if isinstance(value, bool):
            # a yes/no setting of the document (pk_goal_indicators: true), kept as its text
            value = "true" if value else "false"
        if not isinstance(value, str | int):
            v.error((*path, key), _("must be text"))
            continue
        too_long = limits.length_problem(max(str(key), str(value), key=len), limits.text_chars())
        if too_long:
            v.error((*path, key), too_long)
            continue
        out[str(key)] = str(value)
    return out


def normalise_profile(v: Validator, raw: Any, path: Path) -> Profile:
    p = v.mapping(raw, path, (), ("function", "tasks"), where="profile") or {}
    tasks = []
    for i, t in enumerate(v.items(p, "tasks", path)):
        tp: Path = (*path, "tasks", i)
        m = v.mapping(t, tp, ("letter", "text"), where="profile") or {}
        tasks.append(Task(letter=v.text(m, "letter", tp), text=v.text(m, "text", tp)))
    return Profile(function=v.text(p, "function", path), tasks=tuple(tasks))


def normalise_manual(v: Validator, top: dict[str, Any], path: Path) -> tuple[ManualMeasure, ...]:
    out = []
    for i, raw in enumerate(v.items(top, "manual_measures", path)):
        mp: Path = (*path, "manual_measures", i)
        m = v.mapping(raw, mp, ("name", "label"), ("unit",), where="manual_measures") or {}
        out.append(
            ManualMeasure(
                name=v.text(
                    m, "name", mp, pattern=MEASURE_NAME_RE, max_length=limits.measure_name_length()
                ),
                label=v.text(m, "label", mp),
                unit=v.choice(m, "unit", mp, INDICATOR_UNITS, "number"),
            )
        )
    return tuple(out)


def normalise_bands(v: Validator, top: dict[str, Any], path: Path) -> tuple[BandDoc, ...] | None:
    if "bands" not in top:
        return None
    out = []
    for i, raw in enumerate(v.items(top, "bands", path)):
        bp: Path = (*path, "bands", i)
        b = v.mapping(raw, bp, ("key", "label", "colour"), ("minimum",), where="bands") or {}
        minimum = b.get("minimum")
        out.append(
            BandDoc(
                minimum=None
                if minimum is None
                else v.number(
                    minimum, (*bp, "minimum"), "bands", "minimum", limits.achievement_range()
                ),
                key=v.text(b, "key", bp, max_length=limits.band_key_length()),
                label=v.text(b, "label", bp),
                colour=v.text(b, "colour", bp, pattern=re.compile(r"^#[0-9a-fA-F]{6}$")),
            )
        )
    return tuple(out)


def normalise_indicator(
    v: Validator, raw: Any, path: Path, level: str, years: list[int], seen: dict[str, Path]
) -> IndicatorDoc:
    code = raw.get("code") if isinstance(raw, dict) else None
    where = str(code) if code else dotted(path)
    m = v.mapping(raw, path, INDICATOR_REQUIRED, INDICATOR_OPTIONAL, where=where) or {}
    code = v.text(
        m, "code", path, where, pattern=CODE_RE, max_length=limits.column_length(Indicator, "code")
    )
    check_unique(v, seen, code, path)
    if "level" in m and m["level"] != level:
        v.error(
            (*path, "level"),
            _("is %(given)r but the indicator stands under a %(level)s")
            % {"given": m["level"], "level": level},
            where=where,
            field="level",
        )
    # In the order the checks have always run, so problems are listed in that order.
    name = v.text(m, "name", path, where, max_length=limits.column_length(Indicator, "name"))
    iku = v.boolean(m, "iku", path, True, where)
    explanation = v.text(m, "explanation", path, where, max_length=limits.explanation_chars())
    formula = v.text(m, "formula", path, where)
    unit = v.choice(m, "unit", path, INDICATOR_UNITS, "number", where)
    polarity = v.choice(m, "polarity", path, POLARITIES, "higher", where)
    decimals = v.integer(m, "decimals", path, where, 0, 6)
    data_source = v.text(
        m, "data_source", path, where, max_length=limits.column_length(Indicator, "data_source")
    )
    responsible = v.text(
        m, "responsible", path, where, max_length=limits.column_length(Indicator, "responsible")
    )
    cap = (
        None
        if m.get("cap") is None
        else v.number(m["cap"], (*path, "cap"), where, "cap", limits.cap_range())
    )
    derived = normalise_derived(v, m, path, where)
    bindings = normalise_bindings(v, m, path, where)
    targets = normalise_targets(v, m.get("targets"), (*path, "targets"), where, years)
    return IndicatorDoc(
        code=code,
        name=name,
        level=level,
        iku=iku,
        explanation=explanation,
        formula=formula,
        derived=derived,
        bindings=bindings,
        unit=unit,
        polarity=polarity,
        decimals=2 if decimals is None else decimals,
        cap=cap,
        data_source=data_source,
        responsible=responsible,
        targets=targets,
        quarter_targets=normalise_quarters(v, m, path, where, years),
    )


def normalise_derived(
    v: Validator, m: dict[str, Any], path: Path, where: str
) -> dict[str, Derived]:
    derived = m.get("derived", {}) or {}
    if not isinstance(derived, dict):
        v.error(
            (*path, "derived"),
            _("must be a mapping of names to definitions"),
            where=where,
            field="derived",
        )
        return {}
    out = {}
    for name, d in derived.items():
        dp: Path = (*path, "derived", name)
        if not v.measure_name(name, dp, where, f"derived.{name}"):
            continue
        dm = v.mapping(d, dp, ("formula",), ("label", "explanation", "unit"), where=where) or {}
        out[str(name)] = Derived(
            label=v.text(dm, "label", dp, where),
            explanation=v.text(dm, "explanation", dp, where, max_length=limits.explanation_chars()),
            formula=v.text(dm, "formula", dp, where),
            unit=v.choice(dm, "unit", dp, INDICATOR_UNITS, "number", where),
        )
    return out


def normalise_bindings(
    v: Validator, m: dict[str, Any], path: Path, where: str
) -> dict[str, Binding]:
    bindings = m.get("bindings", {}) or {}
    if not isinstance(bindings, dict):
        v.error(
            (*path, "bindings"),
            _("must be a mapping of names to measures"),
            where=where,
            field="bindings",
        )
        return {}
    out = {}
    for alias, b in bindings.items():
        bp: Path = (*path, "bindings", alias)
        if not v.measure_name(alias, bp, where, f"bindings.{alias}"):
            continue
        bm = v.mapping(b, bp, ("measure",), ("filters",), where=where) or {}
        filters_raw = bm.get("filters", {}) or {}
        filters: dict[str, tuple[str, ...]] = {}
        if not isinstance(filters_raw, dict):
            v.error(
                (*bp, "filters"),
                _("must be a mapping of filter names to lists"),
                where=where,
                field=f"bindings.{alias}.filters",
            )
        else:
            for fname, fvalues in filters_raw.items():
                values = fvalues if isinstance(fvalues, list) else [fvalues]
                fp: Path = (*bp, "filters", fname)
                ffield = f"bindings.{alias}.filters.{fname}"
                if not all(isinstance(x, str) for x in values):
                    v.error(fp, _("filter values must be text"), where=where, field=ffield)
                    continue
                too_long = limits.length_problem(
                    max([str(fname), *values], key=len), limits.text_chars()
                )
                if too_long:
                    v.error(fp, too_long, where=where, field=ffield)
                    continue
                filters[str(fname)] = tuple(str(x) for x in values)
        measure = v.text(bm, "measure", bp, where, max_length=limits.measure_name_length())
        out[str(alias)] = Binding(measure=measure, filters=filters)
    return out


def normalise_quarters(
    v: Validator, m: dict[str, Any], path: Path, where: str, years: list[int]
) -> dict[int, QuarterTargets]:
    quarters = m.get("quarter_targets", {}) or {}
    if not isinstance(quarters, dict):
        v.error(
            (*path, "quarter_targets"),
            _("must map years to four quarter targets"),
            where=where,
            field="quarter_targets",
        )
        return {}
    out: dict[int, QuarterTargets] = {}
    for year, values in quarters.items():
        qp: Path = (*path, "quarter_targets", year)
        field = f"quarter_targets.{year}"
        if not isinstance(year, int) or (years and year not in years):
            v.error(
                qp,
                _("%(year)s is not a year of the plan period") % {"year": year},
                where=where,
                field=field,
            )
            continue
        if not isinstance(values, list) or len(values) != 4:
            v.error(
                qp,
                _("must list exactly four quarter targets (use null for none)"),
                where=where,
                field=field,
            )
            continue
        out[year] = tuple(
            None
            if q is None
            else v.number(q, (*qp, i), where, f"{field}[{i}]", limits.target_range())
            for i, q in enumerate(values)
        )
    return out


def normalise_targets(
    v: Validator, raw: Any, path: Path, where: str, years: list[int]
) -> dict[int, YearTarget]:
    if not isinstance(raw, dict):
        v.error(path, _("must map each year to a target"), where=where, field="targets")
        return {}
    out: dict[int, YearTarget] = {}
    for year, value in raw.items():
        tp: Path = (*path, year)
        field = f"targets.{year}"
        if not isinstance(year, int) or (years and year not in years):
            v.error(
                tp,
                _("%(year)s is not a year of the plan period") % {"year": year},
                where=where,
                field=field,
            )
            continue
        if value is None:
            out[year] = None
        elif isinstance(value, dict):
            r = v.mapping(value, tp, ("low", "high"), where=where) or {}
            low = v.number(r.get("low"), (*tp, "low"), where, f"{field}.low", limits.target_range())
            high = v.number(
                r.get("high"), (*tp, "high"), where, f"{field}.high", limits.target_range()
            )
            if low is not None and high is not None and low > high:
                v.error(tp, _("the lower bound is above the upper bound"), where=where, field=field)
            elif low is not None and high is not None:
                out[year] = TargetRange(low, high)
        else:
            out[year] = v.number(value, tp, where, field, limits.target_range())
    return out
