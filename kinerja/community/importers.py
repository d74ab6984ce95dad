"""Import the registry from CSV/XLSX: groups, or activities (one row per group reached).

Two passes over the file keep memory bounded for a million rows: the first checks every row and
keeps only what later rows are checked against (group codes seen); the second writes in batches
(bulk_create/bulk_update) inside one transaction. A file with any problem is refused whole, every
problem listed with its row and column. Importing the same file again changes nothing: groups are
matched by (city, code), activities by (date, type, title), links by (activity, group).

Importers are a plain registry keyed by kind (docs/architecture.md#add-an-importer): ``IMPORTERS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.accounts.cli import COMMAND_LINE
from kinerja.accounts.models import OrgUnit
from kinerja.audit import chain
from kinerja.audit.models import AuditEntry
from kinerja.lib.input_checks import day_problem, text_problem
from kinerja.lib.tables import FORMULA_START, iter_rows
from kinerja_core.errors import InputError, Problem

from .actions import UserLike, editable_units
from .models import Activity, ActivityGroup, Group, GroupKind

Row = tuple[int, dict[str, Any]]
RowSource = Callable[[], Iterable[Row]]
Progress = Callable[[Iterable[Row], str], Iterable[Row]]

BATCH = 2000
MAX_PROBLEMS = 500  # a million bad rows must not fill memory (or the page) with messages

GROUP_COLUMNS = ("code", "name", "kind", "kelurahan", "established", "dissolved")
ACTIVITY_COLUMNS = ("date", "group_code", "type", "title")
# optional column -> Group field
GROUP_OPTIONAL = {
    "chair": "chair",
    "contact": "contact",
    "members": "member_count",
    "address": "address",
    "notes": "notes",
    "decree_number": "decree_number",
    "decree_date": "decree_date",
}
# Stored text of a group: file column -> Group field.
TEXT_COLUMNS = {"code": "code", "name": "name"} | {
    column: target
    for column, target in GROUP_OPTIONAL.items()
    if target not in {"member_count", "decree_date"}
}
COLUMN_OF = {target: column for column, target in TEXT_COLUMNS.items()}
TYPE_WORDS = {
    "facilitation": Activity.Type.FACILITATION,
    "fasilitasi": Activity.Type.FACILITATION,
    "fostering": Activity.Type.FOSTERING,
    "pembinaan": Activity.Type.FOSTERING,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class Problems:
    """Problems found so far; keeps the first MAX_PROBLEMS and counts the rest."""

    items: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(row, column, message))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if not self.items:
            return
        items = list(self.items)
        if self.more:
            items.append(Problem(None, None, _("… and %(n)d more problems") % {"n": self.more}))
        raise InputError(items)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    raw = str(value).strip()
    # Our exports guard text like "-abc" as "'-abc"; reading it back must give "-abc".
    if raw[:1] == "'" and raw[1:2] and raw[1:2] in FORMULA_START:
        return raw[1:]
    return raw


def parse_date(value: Any) -> date | None:
    """A date from a typed XLSX cell or a CSV text (ISO, or day/month/year as offices type it)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def storable(
    model: type[Group] | type[Activity], name: str, value: str, number: int, problems: Problems
) -> bool:
    """Whether ``value`` fits the model's field ``name``; if not, the problem is added."""
    field_ = model._meta.get_field(name)
    problem = text_problem(value, getattr(field_, "max_length", None))
    if problem is not None:
        problems.add(number, COLUMN_OF.get(name, name), problem)
    return problem is None


def lower_keys(row: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in row.items()}


def file_source(path: str | Path) -> RowSource:
    """Rows of a CSV/XLSX file, re-readable for the second pass."""

    def rows() -> Iterator[Row]:
        with open(path, "rb") as stream:
            yield from iter_rows(stream, str(path))

    return rows


def batches(rows: Iterable[Row], size: int = BATCH) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def detect_kind(header: Iterable[str]) -> str | None:
    columns = {h.strip().lower() for h in header}
    if set(GROUP_COLUMNS) - {"dissolved"} <= columns:
        return "groups"
    if set(ACTIVITY_COLUMNS) <= columns:
        return "activities"
    return None


def account(user: UserLike) -> User | None:
    """The user an import's rows and audit entry are recorded under; None from the command line."""
    return user if isinstance(user, User) else None


class Scope:
    """The kelurahan an importer may write to, with their cities, found by code or name."""

    def __init__(self, user: UserLike) -> None:
        units = list(editable_units(user).filter(level=OrgUnit.Level.KELURAHAN))
        self.ids = {u.pk for u in units}
        ancestor_codes = {c for u in units for c in u.path.strip("/").split("/")[:-1]}
        ancestors = {a.code: a for a in OrgUnit.objects.filter(code__in=ancestor_codes)}
        self.city: dict[int, int] = {}
        self.by_key: dict[str, list[OrgUnit]] = {}
        for unit in units:
            chain = [ancestors[c] for c in unit.path.strip("/").split("/")[:-1] if c in ancestors]
            cities = [a for a in chain if a.level == OrgUnit.Level.CITY]
            self.city[unit.pk] = (cities or chain or [unit])[0].pk
            for key in {unit.code.lower(), unit.name.lower()}:
                self.by_key.setdefault(key, []).append(unit)

    def find(self, value: str) -> OrgUnit | str:
        found = self.by_key.get(value.lower(), [])
        if len(found) == 1:
            return found[0]
        if not found:
            return _("unknown kelurahan %(name)r (or not yours to edit)") % {"name": value}
        return _("kelurahan %(name)r is ambiguous: use its code (%(codes)s)") % {
            "name": value,
            "codes": ", ".join(u.code for u in found),
        }


class GroupImporter:
    kind = "groups"
    required = GROUP_COLUMNS

    def __init__(self, user: UserLike) -> None:
        self.user = user
        self.history_user = account(user)
        self.scope = Scope(user)
        self.kinds: dict[tuple[int | None, str], int] = {}
        for k in GroupKind.objects.all():
            for key in {k.code.lower(), k.name.lower()}:
                self.kinds[(k.city_id, key)] = k.pk

    def find_kind(self, city_id: int, value: str) -> int | None:
        key = value.lower()
        return self.kinds.get((city_id, key), self.kinds.get((None, key)))

    def parse(self, number: int, raw: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
        row = lower_keys(raw)
        values: dict[str, Any] = {}
        ok = True
        for column in ("code", "name", "kind", "kelurahan", "established"):
            if not text(row.get(column)):
                problems.add(number, column, _("empty"))
                ok = False
        values.update(code=text(row.get("code")), name=text(row.get("name")))
        unit: OrgUnit | str | None = None
        if text(row.get("kelurahan")):
            unit = self.scope.find(text(row.get("kelurahan")))
            if isinstance(unit, str):
                problems.add(number, "kelurahan", unit)
                ok = False
            else:
                values["kelurahan_id"] = unit.pk
                values["city_id"] = self.scope.city[unit.pk]
        if isinstance(unit, OrgUnit) and text(row.get("kind")):
            kind = self.find_kind(values["city_id"], text(row.get("kind")))
            if kind is None:
                problems.add(
                    number, "kind", _("unknown kind %(kind)r") % {"kind": text(row.get("kind"))}
                )
                ok = False
            values["kind_id"] = kind
        for column, target in [
            ("established", "established"),
            ("dissolved", "dissolved"),
            ("decree_date", "decree_date"),
        ]:
            if column not in row and column != "established":
                continue
            try:
                values[target] = parse_date(row.get(column))
            except ValueError:
                problems.add(
                    number,
                    column,
                    _("bad date %(value)r (use YYYY-MM-DD)") % {"value": text(row.get(column))},
                )
                ok = False
        established, dissolved = values.get("established"), values.get("dissolved")
        if established and dissolved and dissolved < established:
            problems.add(number, "dissolved", _("dissolved before it was established"))
            ok = False
        for column, target in GROUP_OPTIONAL.items():
            if column not in row or target == "decree_date":
                continue
            if target == "member_count":
                raw_members = text(row.get(column))
                if raw_members and not re.fullmatch(r"\d{1,9}", raw_members):
                    problems.add(number, column, _("not a whole number"))
                    ok = False
                values[target] = int(raw_members) if raw_members.isdigit() else None
            else:
                values[target] = text(row.get(column))
        for target in TEXT_COLUMNS.values():
            if target in values and not storable(Group, target, values[target], number, problems):
                ok = False
        return values if ok else None

    def check(self, rows: Iterable[Row], problems: Problems) -> int:
        seen: dict[tuple[int, str], int] = {}
        count = 0
        for chunk in batches(rows):
            parsed = []
            for number, raw in chunk:
                count += 1
                values = self.parse(number, raw, problems)
                if values is None:
                    continue
                key = (values["city_id"], values["code"])
                if key in seen:
                    problems.add(
                        number,
                        "code",
                        _("duplicate code %(code)s (also on row %(row)d)")
                        % {"code": values["code"], "row": seen[key]},
                    )
                    continue
                seen[key] = number
                parsed.append((number, values))
            # A code already used in the city by a kelurahan the importer may not edit.
            clashes = Group.objects.filter(code__in={v["code"] for _n, v in parsed}).exclude(
                kelurahan_id__in=self.scope.ids
            )
            taken = {(g.city_id, g.code): g for g in clashes.select_related("kelurahan")}
            for number, values in parsed:
                other = taken.get((values["city_id"], values["code"]))
                if other is not None:
                    problems.add(
                        number,
                        "code",
                        _("code %(code)s belongs to a group of %(unit)s")
                        % {"code": values["code"], "unit": other.kelurahan.name},
                    )
        return count

    def write(self, rows: Iterable[Row], report: ImportReport) -> None:
        moved_dates: list[int] = []
        for chunk in batches(rows):
            problems = Problems()
            parsed = [v for n, raw in chunk if (v := self.parse(n, raw, problems)) is not None]
            # Only groups the importer may edit are matched; a code taken elsewhere in the
            # city was refused by the check.
            existing = {
                (g.city_id, g.code): g
                for g in Group.objects.filter(
                    kelurahan_id__in=self.scope.ids,
                    city_id__in={v["city_id"] for v in parsed},
                    code__in={v["code"] for v in parsed},
                )
            }
            new, changed, fields = [], [], set()
            for values in parsed:
                group = existing.get((values["city_id"], values["code"]))
                if group is None:
                    new.append(Group(**values))
                    continue
                diff = [k for k, v in values.items() if getattr(group, k) != v]
                if not diff:
                    report.unchanged += 1
                    continue
                if {"established", "dissolved"} & set(diff):
                    moved_dates.append(group.pk)
                for k in diff:
                    setattr(group, k, values[k])
                fields |= set(diff)
                changed.append(group)
            # The history rows are written in bulk too, so an imported registry stays answerable
            # (who created or changed a group, and when) like one entered by hand.
            bulk_create_with_history(new, Group, default_user=self.history_user)
            if changed:
                bulk_update_with_history(
                    changed, Group, sorted(fields), default_user=self.history_user
                )
            report.created += len(new)
            report.updated += len(changed)
        self.check_activity_dates(moved_dates)

    def check_activity_dates(self, group_ids: list[int]) -> None:
        """New established/dissolved dates must still cover the activities already recorded."""
        problems = Problems()
        for start in range(0, len(group_ids), BATCH):
            outside = ActivityGroup.objects.filter(
                group_id__in=group_ids[start : start + BATCH]
            ).filter(
                Q(activity__date__lt=F("group__established"))
                | Q(activity__date__gt=F("group__dissolved"))
            )
            for code, day in outside.values_list("group__code", "activity__date")[:MAX_PROBLEMS]:
                problems.add(
                    None,
                    "established",
                    _("group %(code)s: an activity on %(date)s falls outside its new dates")
                    % {"code": code, "date": day.isoformat()},
                )
        problems.raise_if_any()


class ActivityImporter:
    kind = "activities"
    required = ACTIVITY_COLUMNS

    def __init__(self, user: UserLike) -> None:
        self.user = user
        scope = self.scope = Scope(user)
        # code -> (pk, established, dissolved); None when two cities share the code
        self.groups: dict[str, tuple[int, date, date | None] | None] = {}
        for pk, code, established, dissolved in Group.objects.filter(
            kelurahan_id__in=scope.ids
        ).values_list("pk", "code", "established", "dissolved"):
            key = code.lower()
            self.groups[key] = None if key in self.groups else (pk, established, dissolved)

    def parse(self, number: int, raw: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
        row = lower_keys(raw)
        ok = True
        try:
            day = parse_date(row.get("date"))
            if day is None:
                problems.add(number, "date", _("empty"))
                ok = False
            elif (problem := day_problem(day)) is not None:
                problems.add(number, "date", problem)
                day, ok = None, False
        except ValueError:
            problems.add(
                number,
                "date",
                _("bad date %(value)r (use YYYY-MM-DD)") % {"value": text(row.get("date"))},
            )
            day, ok = None, False
        kind = TYPE_WORDS.get(text(row.get("type")).lower())
        if kind is None:
            problems.add(
                number,
                "type",
                _("unknown type %(value)r (facilitation or fostering)")
                % {"value": text(row.get("type"))},
            )
            ok = False
        title = text(row.get("title"))
        if not title:
            problems.add(number, "title", _("empty"))
            ok = False
        elif not storable(Activity, "title", title, number, problems):
            ok = False
        description = text(row.get("description")) if "description" in row else None
        if description and not storable(Activity, "description", description, number, problems):
            ok = False
        code = text(row.get("group_code"))
        group = self.groups.get(code.lower())
        if group is None:
            message = (
                _("group code %(code)s is used in more than one city") % {"code": code}
                if code.lower() in self.groups
                else _("unknown group %(code)r (or not yours to edit)") % {"code": code}
            )
            problems.add(number, "group_code", message)
            ok = False
        elif day is not None:
            _pk, established, dissolved = group
            if day < established:
                problems.add(
                    number,
                    "date",
                    _("before group %(code)s was established (%(date)s)")
                    % {"code": code, "date": established.isoformat()},
                )
                ok = False
            elif dissolved is not None and day > dissolved:
                problems.add(
                    number,
                    "date",
                    _("after group %(code)s was dissolved (%(date)s)")
                    % {"code": code, "date": dissolved.isoformat()},
                )
                ok = False
        if not ok or group is None:
            return None
        return {
            "key": (day, str(kind), title),
            "group_id": group[0],
            "description": description,
        }

    def check(self, rows: Iterable[Row], problems: Problems) -> int:
        count = 0
        for number, raw in rows:
            count += 1
            self.parse(number, raw, problems)
        return count

    def write(self, rows: Iterable[Row], report: ImportReport) -> None:
        ids: dict[tuple[date, str, str], int] = {}
        created: set[int] = set()
        updated: set[int] = set()
        creator = account(self.user)
        for chunk in batches(rows):
            parsed = [v for n, raw in chunk if (v := self.parse(n, raw, Problems())) is not None]
            missing = {v["key"]: v for v in reversed(parsed) if v["key"] not in ids}
            if missing:
                found = self.lookup(missing)
                new_keys = [k for k in missing if k not in found]
                stored = bulk_create_with_history(
                    [
                        Activity(
                            date=k[0],
                            type=k[1],
                            title=k[2],
                            description=missing[k]["description"] or "",
                            created_by=creator,
                        )
                        for k in new_keys
                    ],
                    Activity,
                    default_user=creator,
                )
                # Straight from the insert: the new activities reach no group yet, so a lookup
                # among editable activities would not find them.
                fresh = {(a.date, a.type, a.title): (a.pk, a.description) for a in stored}
                created |= {pk for pk, _d in fresh.values()}
                found.update(fresh)
                for key, (pk, description) in found.items():
                    ids[key] = pk
                    wanted = missing[key]["description"]
                    if wanted and wanted != description and pk not in created:
                        Activity.objects.filter(pk=pk).update(description=wanted)
                        updated.add(pk)
            pairs = {(ids[v["key"]], v["group_id"]) for v in parsed}
            present = set(
                ActivityGroup.objects.filter(
                    activity_id__in={a for a, _g in pairs}, group_id__in={g for _a, g in pairs}
                ).values_list("activity_id", "group_id")
            )
            ActivityGroup.objects.bulk_create(
                [ActivityGroup(activity_id=a, group_id=g) for a, g in sorted(pairs - present)]
            )
            updated |= {a for a, _g in pairs - present}
        report.created = len(created)
        report.updated = len(updated - created)
        report.unchanged = len(ids) - report.created - report.updated

    def editable(self) -> QuerySet[Activity]:
        """Activities the importer may change: every group they reach is in its scope.

        Only these are matched by (date, type, title): a row like another kelurahan's activity
        becomes an activity of its own, never a change to theirs (see docs/security.md).
        """
        if self.user is None:
            return Activity.objects.all()
        links = ActivityGroup.objects.values("activity_id")
        return Activity.objects.filter(
            pk__in=links.filter(group__kelurahan_id__in=self.scope.ids)
        ).exclude(pk__in=links.exclude(group__kelurahan_id__in=self.scope.ids))

    def lookup(
        self, keys: dict[tuple[date, str, str], Any]
    ) -> dict[tuple[date, str, str], tuple[int, str]]:
        """Editable activities with these identities (the oldest one when several match)."""
        found: dict[tuple[date, str, str], tuple[int, str]] = {}
        if not keys:
            return found
        rows = (
            self.editable()
            .filter(date__in={k[0] for k in keys}, title__in={k[2] for k in keys})
            .order_by("pk")
            .values_list("pk", "date", "type", "title", "description")
        )
        for pk, day, kind, title, description in rows:
            key = (day, kind, title)
            if key in keys and key not in found:
                found[key] = (pk, description)
        return found


IMPORTERS: dict[str, type[GroupImporter] | type[ActivityImporter]] = {
    "groups": GroupImporter,
    "activities": ActivityImporter,
}


def do_import(
    source: RowSource,
    kind: str | None = None,
    *,
    user: UserLike = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole file, then write it in one transaction (rolled back on a dry run).

    Raises InputError listing every problem (row, column) when anything is wrong; nothing is
    stored then.
    """
    wrap: Progress = progress or (lambda rows, _label: rows)
    first = next(iter(source()), None)
    header = list(lower_keys(first[1])) if first else []
    if kind is None:
        kind = detect_kind(header)
        if kind is None:
            raise InputError(
                [
                    Problem(
                        1,
                        None,
                        _(
                            "cannot tell the kind of file from its columns: groups need %(g)s; "
                            "activities need %(a)s"
                        )
                        % {"g": ", ".join(GROUP_COLUMNS), "a": ", ".join(ACTIVITY_COLUMNS)},
                    )
                ]
            )
    if kind not in IMPORTERS:
        raise InputError([Problem(None, None, _("unknown import kind %(kind)r") % {"kind": kind})])
    importer = IMPORTERS[kind](user)
    missing = [c for c in importer.required if c not in header and c != "dissolved"]
    if first is not None and missing:
        raise InputError([Problem(1, c, _("missing column")) for c in missing])
    problems = Problems()
    report = ImportReport(kind=kind, dry_run=dry_run)
    report.rows = importer.check(wrap(source(), _("checking")), problems)
    problems.raise_if_any()
    with transaction.atomic():
        importer.write(wrap(source(), _("writing")), report)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Bulk writes send no per-row signals: one chained audit entry records the import.
            chain.append(
                AuditEntry.Action.IMPORT,
                actor=account(user),
                actor_name="" if account(user) else COMMAND_LINE,
                model=f"community.{'group' if kind == 'groups' else 'activity'}",
                object_repr=_("import of %(kind)s") % {"kind": kind},
                changes={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rows": report.rows,
                },
            )
    return report
