"""Import the registry from CSV/XLSX: groups, or activities (one row per group reached).

An import is the batch form of saving groups or activities one by one. Each row is checked as the
single-record path checks a record: its cells (once parsed from the file: dates as offices type
them, kinds and kelurahan by code or name) go through the fields of ``GroupForm`` /
``ActivityForm`` and their text rule, then through the record rules of ``actions.py``
(``group_problems``, ``code_clashes``, ``date_clashes``, ``activity_problems``). So a row is
refused with the message the form would show, named by its row and column. Each group or
activity created or changed gets the audit entry its one-by-one save would get (the history
signal below), and one ``import`` entry sums the file up.

Two passes over the file keep memory bounded for a million rows: the first checks every row and
keeps only what later rows are checked against (group codes seen); the second writes in batches
(bulk_create/bulk_update) inside one transaction. A file with any problem is refused whole, every
problem listed with its row and column. Importing the same file again changes nothing: groups are
matched by (city, code), activities by (date, type, title), links by (activity, group).

Importers are a plain registry keyed by kind (docs/architecture.md#add-an-importer): ``IMPORTERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from simple_history.signals import post_create_historical_record

from kinerja.accounts.cli import COMMAND_LINE
from kinerja.accounts.levels import CITY_LEVELS, VILLAGE_LEVELS
from kinerja.accounts.models import OrgUnit
from kinerja.audit import chain
from kinerja.audit.models import AuditEntry
from kinerja.db import stale
from kinerja.lib import importhelp
from kinerja.lib.input_checks import text_problem
from kinerja.lib.tables import FORMULA_START, iter_rows
from kinerja_core.errors import InputError, Problem

from .actions import UserLike, activity_problems, code_clashes, date_clashes, editable_units
from .forms import ActivityForm, GroupForm
from .models import Activity, ActivityGroup, Group, GroupKind

Row = tuple[int, dict[str, Any]]
RowSource = Callable[[], Iterable[Row]]
Progress = Callable[[Iterable[Row], str], Iterable[Row]]

BATCH = 2000
MAX_PROBLEMS = 500  # a million bad rows must not fill memory (or the page) with messages

GROUP_COLUMNS = ("code", "name", "kind", "kelurahan", "established", "dissolved")
ACTIVITY_COLUMNS = ("date", "group_code", "type", "title")
# File column -> GroupForm field, for the columns read as they are typed (text, numbers, dates).
GROUP_FIELDS = {
    "code": "code",
    "name": "name",
    "established": "established",
    "dissolved": "dissolved",
    "chair": "chair",
    "contact": "contact",
    "members": "member_count",
    "address": "address",
    "notes": "notes",
    "decree_number": "decree_number",
    "decree_date": "decree_date",
}
# The columns a groups file may add to GROUP_COLUMNS (an export writes them all).
GROUP_OPTIONAL = tuple(column for column in GROUP_FIELDS if column not in GROUP_COLUMNS)
GROUP_ALWAYS = {"code", "name", "established"}  # checked (required) even when the column is absent
DATE_COLUMNS = {"established", "dissolved", "decree_date"}
RESOLVED = ("city", "kelurahan", "kind")  # found in the importer's scope, by code or name
COLUMN_OF = {target: column for column, target in GROUP_FIELDS.items()}
TYPE_WORDS = {
    "facilitation": Activity.Type.FACILITATION,
    "fasilitasi": Activity.Type.FACILITATION,
    "fostering": Activity.Type.FOSTERING,
    "pembinaan": Activity.Type.FOSTERING,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class ImportReport(importhelp.ImportReport):
    kind: str = ""


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


def form_values(
    fields: Mapping[str, forms.Field],
    typed: Mapping[str, Any],
    number: int,
    problems: Problems,
    column_of: Mapping[str, str],
) -> dict[str, Any] | None:
    """A row's values cleaned by the single-record form's own fields and its text rule
    (``CheckedText``), or None; each refusal is added with the row and the file's column."""
    values: dict[str, Any] = {}
    ok = True
    for name, value in typed.items():
        column = column_of.get(name, name)
        try:
            cleaned = fields[name].clean(value)
        except ValidationError as exc:
            for message in exc.messages:
                problems.add(number, column, message)
            ok = False
            continue
        if isinstance(cleaned, str) and (problem := text_problem(cleaned)) is not None:
            problems.add(number, column, problem)
            ok = False
            continue
        values[name] = cleaned
    return values if ok else None


def model_values(
    record: Group | Activity,
    resolved: Sequence[str],
    number: int,
    problems: Problems,
    column_of: Mapping[str, str],
) -> bool:
    """Whether the row's record passes the model's own validation (its fields' validators and
    ``clean()``), which a ModelForm runs after its fields; each refusal is added with the row and
    the file's column. The foreign keys in ``resolved`` were found in the user's scope, and what
    needs the database is checked for a whole batch at once."""
    try:
        record.full_clean(exclude=resolved, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = None if name == NON_FIELD_ERRORS else column_of.get(name, name)
            for message in messages:
                problems.add(number, column, message)
        return False
    return True


def bad_date(value: Any) -> str:
    return _("bad date %(value)r (use YYYY-MM-DD)") % {"value": text(value)}


Record = TypeVar("Record", bound=models.Model)
Written = list[tuple[models.Model, Any]]
"""Rows written in bulk, each with its history record."""


def with_history(
    model: type[Record], rows: Sequence[Record], user: User | None, fields: Sequence[str] = ()
) -> Written:
    """Insert ``rows`` (or update their ``fields``) in bulk, with their history records."""
    if not rows:
        return []
    if fields:
        model._default_manager.bulk_update(rows, list(fields), batch_size=BATCH)
    else:
        model._default_manager.bulk_create(rows, batch_size=BATCH)
    history = getattr(model, "history")  # noqa: B009 - simple-history adds it at start-up
    records = history.bulk_history_create(
        rows, update=bool(fields), default_user=user, batch_size=BATCH
    )
    return list(zip(rows, records, strict=True))


def announce(written: Written) -> None:
    """Send the history signal simple-history's bulk writes leave out: the audit log then records
    each row exactly as it records a one-by-one save (kinerja/audit/recorders.py)."""
    for row, record in written:
        post_create_historical_record.send(
            sender=type(record),
            instance=row,
            history_instance=record,
            history_date=record.history_date,
            history_user=record.history_user,
            history_change_reason=record.history_change_reason,
            using=None,
        )


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
        units = list(editable_units(user).filter(level__in=VILLAGE_LEVELS))
        self.ids = {u.pk for u in units}
        ancestor_codes = {c for u in units for c in u.path.strip("/").split("/")[:-1]}
        ancestors = {a.code: a for a in OrgUnit.objects.filter(code__in=ancestor_codes)}
        self.city: dict[int, int] = {}
        self.by_key: dict[str, list[OrgUnit]] = {}
        for unit in units:
            chain = [ancestors[c] for c in unit.path.strip("/").split("/")[:-1] if c in ancestors]
            cities = [a for a in chain if a.level in CITY_LEVELS]
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
        self.fields = GroupForm(kelurahan=OrgUnit.objects.none()).fields
        self.kinds: dict[tuple[int | None, str], int] = {}
        for k in GroupKind.objects.all():
            for key in {k.code.lower(), k.name.lower()}:
                self.kinds[(k.city_id, key)] = k.pk

    def find_kind(self, city_id: int, value: str) -> int | None:
        key = value.lower()
        return self.kinds.get((city_id, key), self.kinds.get((None, key)))

    def parse(self, number: int, raw: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
        row = lower_keys(raw)
        ok = True
        typed: dict[str, Any] = {}
        for column, target in GROUP_FIELDS.items():
            if column not in row and column not in GROUP_ALWAYS:
                continue  # a column the file lacks leaves the stored value as it is
            if column not in DATE_COLUMNS:
                typed[target] = text(row.get(column))
                continue
            try:
                typed[target] = parse_date(row.get(column))
            except ValueError:
                problems.add(number, column, bad_date(row.get(column)))
                ok = False
        resolved: dict[str, Any] = {}
        unit: OrgUnit | str | None = None
        if not text(row.get("kelurahan")):
            typed["kelurahan"] = None  # the form's own "required"
        else:
            unit = self.scope.find(text(row.get("kelurahan")))
            if isinstance(unit, str):
                problems.add(number, "kelurahan", unit)
                ok = False
            else:
                resolved.update(kelurahan_id=unit.pk, city_id=self.scope.city[unit.pk])
        if not text(row.get("kind")):
            typed["kind"] = None
        elif isinstance(unit, OrgUnit):
            kind = self.find_kind(resolved["city_id"], text(row.get("kind")))
            if kind is None:
                problems.add(
                    number, "kind", _("unknown kind %(kind)r") % {"kind": text(row.get("kind"))}
                )
                ok = False
            resolved["kind_id"] = kind
        values = form_values(self.fields, typed, number, problems, COLUMN_OF)
        if values is None or not ok:
            return None
        values.update(resolved)
        if not model_values(Group(**values), RESOLVED, number, problems, COLUMN_OF):
            return None
        return values

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
                parsed.append((number, key))
            # A code already used in the city by a kelurahan the importer may not edit (one of
            # its own is matched and updated instead).
            others = Group.objects.exclude(kelurahan_id__in=self.scope.ids)
            taken = code_clashes((key for _n, key in parsed), others)
            for number, key in parsed:
                if key in taken:
                    problems.add(number, "code", taken[key])
        return count

    def write(self, rows: Iterable[Row], report: ImportReport) -> None:
        moved_dates: dict[int, int] = {}  # group id -> row, to check against its activities
        for chunk in batches(rows):
            problems = Problems()
            parsed = [(n, v) for n, raw in chunk if (v := self.parse(n, raw, problems)) is not None]
            # Only groups the importer may edit are matched; a code taken elsewhere in the
            # city was refused by the check.
            existing = {
                (g.city_id, g.code): g
                for g in Group.objects.filter(
                    kelurahan_id__in=self.scope.ids,
                    city_id__in={v["city_id"] for _n, v in parsed},
                    code__in={v["code"] for _n, v in parsed},
                )
            }
            new, changed, fields = [], [], set()
            moved_from: set[int] = set()  # the kelurahan of changed groups before the change
            for number, values in parsed:
                group = existing.get((values["city_id"], values["code"]))
                if group is None:
                    new.append(Group(**values))
                    continue
                diff = [k for k, v in values.items() if getattr(group, k) != v]
                if not diff:
                    report.unchanged += 1
                    continue
                if {"established", "dissolved"} & set(diff):
                    moved_dates[group.pk] = number
                moved_from.add(group.kelurahan_id)
                for k in diff:
                    setattr(group, k, values[k])
                fields |= set(diff)
                changed.append(group)
            announce(with_history(Group, new, self.history_user))
            announce(with_history(Group, changed, self.history_user, sorted(fields)))
            # A group's kelurahan (before and after a move) has out-of-date results in every year.
            touched = {g.kelurahan_id for g in [*new, *changed]} | moved_from
            stale.mark_units(((unit_id, None) for unit_id in touched), kind="community")
            report.created += len(new)
            report.updated += len(changed)
        self.check_activity_dates(moved_dates)

    def check_activity_dates(self, rows_of: dict[int, int]) -> None:
        """New established/dissolved dates must still cover the activities already recorded."""
        problems = Problems()
        ids = sorted(rows_of)
        for start in range(0, len(ids), BATCH):
            for group_id, (target, message) in date_clashes(ids[start : start + BATCH]).items():
                problems.add(rows_of[group_id], COLUMN_OF[target], message)
        problems.raise_if_any()


class ActivityImporter:
    kind = "activities"
    required = ACTIVITY_COLUMNS

    def __init__(self, user: UserLike) -> None:
        self.user = user
        scope = self.scope = Scope(user)
        self.fields = ActivityForm(groups=Group.objects.none()).fields
        # code -> the group (what the rules read of it); None when two cities share the code
        self.groups: dict[str, Group | None] = {}
        for group in Group.objects.filter(kelurahan_id__in=scope.ids).only(
            "pk", "code", "name", "established", "dissolved"
        ):
            key = group.code.lower()
            self.groups[key] = None if key in self.groups else group

    def parse(self, number: int, raw: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
        row = lower_keys(raw)
        ok = True
        typed: dict[str, Any] = {"title": text(row.get("title"))}
        try:
            typed["date"] = parse_date(row.get("date"))
        except ValueError:
            problems.add(number, "date", bad_date(row.get("date")))
            ok = False
        kind = TYPE_WORDS.get(text(row.get("type")).lower())
        if kind is None:
            problems.add(
                number,
                "type",
                _("unknown type %(value)r (facilitation or fostering)")
                % {"value": text(row.get("type"))},
            )
            ok = False
        else:
            typed["type"] = str(kind)
        if "description" in row:
            typed["description"] = text(row.get("description"))
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
        values = form_values(self.fields, typed, number, problems, {})
        if values is None or not ok or group is None:
            return None
        activity = Activity(**values)
        if not model_values(activity, ("created_by",), number, problems, {}):
            return None
        broken = activity_problems(activity, [group])
        for target, message in broken:
            problems.add(number, target, message)
        if broken:
            return None
        return {
            "key": (activity.date, activity.type, activity.title),
            "group_id": group.pk,
            "description": values.get("description"),
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
            written: Written = []
            if missing:
                found = self.lookup(missing)
                new = [
                    Activity(
                        date=k[0],
                        type=k[1],
                        title=k[2],
                        description=missing[k]["description"] or "",
                        created_by=creator,
                    )
                    for k in missing
                    if k not in found
                ]
                written += with_history(Activity, new, creator)
                # Straight from the insert: the new activities reach no group yet, so a lookup
                # among editable activities would not find them.
                fresh = {(a.date, a.type, a.title): (a.pk, a.description) for a in new}
                created |= {pk for pk, _d in fresh.values()}
                found.update(fresh)
                described: dict[int, str] = {}
                for key, (pk, description) in found.items():
                    ids[key] = pk
                    wanted = missing[key]["description"]
                    if wanted and wanted != description and pk not in created:
                        described[pk] = wanted
                changed = list(Activity.objects.filter(pk__in=described))
                for activity in changed:
                    activity.description = described[activity.pk]
                written += with_history(Activity, changed, creator, ["description"])
                updated |= set(described)
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
            kelurahan = dict(
                Group.objects.filter(pk__in={g for _a, g in pairs}).values_list(
                    "pk", "kelurahan_id"
                )
            )
            stale.mark_units(
                {(kelurahan[v["group_id"]], v["key"][0].year) for v in parsed}, kind="community"
            )
            # After the links: an activity's audit entry names the unit of the groups it reaches.
            announce(written)
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
            # Each record written has its own entry (``announce``); this one says they came
            # from one file, with its counts.
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
