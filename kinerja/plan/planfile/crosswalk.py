"""A plan that continues an older one: ``continues: CODE`` and the crosswalk of the old plan's
indicators to the new ones (docs/rules.md#plans-continuing-plans).

Reading checks the shape and that every new code named is an indicator of the new file; the
checks against the stored old plan (its code, its IKU, cycles, overlapping periods) need the
database and live in kinerja/plan/chain.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import limits
from ..models import Indicator, Plan
from .problems import Path

# How an old indicator lives on: the same definition (one series), a new name, a new formula
# (the series shows a break), several new ones, one new one for several old, or none.
KINDS = ("same", "renamed", "redefined", "split", "merged", "dropped")
KIND_LABELS = {
    "same": _lazy("same"),
    "renamed": _lazy("renamed"),
    "redefined": _lazy("redefined (the series breaks)"),
    "split": _lazy("split"),
    "merged": _lazy("merged"),
    "dropped": _lazy("dropped"),
}
# The kinds whose old values continue the new indicator's series without a break.
UNBROKEN = frozenset({"same", "renamed"})


class LinkJSON(TypedDict):
    kind: str
    new: list[str]
    reason: str


@dataclass(frozen=True)
class Link:
    """What became of one indicator of the old plan."""

    kind: str
    new: tuple[str, ...] = ()
    reason: str = ""

    def to_json(self) -> LinkJSON:
        return {"kind": self.kind, "new": list(self.new), "reason": self.reason}

    @classmethod
    def from_json(cls, data: LinkJSON) -> Link:
        return cls(kind=data["kind"], new=tuple(data["new"]), reason=data["reason"])

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def to_yaml(self) -> dict[str, Any]:
        value: Any = True if self.kind == "dropped" else self.new[0]
        if self.kind == "split":
            value = list(self.new)
        out: dict[str, Any] = {self.kind: value}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Continuation:
    plan: str
    crosswalk: dict[str, Link]

    def crosswalk_json(self) -> dict[str, LinkJSON]:
        return {old: link.to_json() for old, link in self.crosswalk.items()}


def read_continuation(
    v: Any, top: dict[str, Any], new_codes: set[str], code_re: re.Pattern[str]
) -> Continuation | None:
    """The ``continues`` and ``crosswalk`` keys of a plan file (``v`` is read.Validator)."""
    if "continues" not in top:
        if "crosswalk" in top:
            v.error(("crosswalk",), _("a crosswalk needs continues: <plan code>"), "plan")
        return None
    code = v.text(
        top, "continues", (), "plan", pattern=code_re, max_length=limits.column_length(Plan, "code")
    )
    raw = top.get("crosswalk")
    if not isinstance(raw, dict) or not raw:
        v.error(("crosswalk",), _("a plan that continues another needs its crosswalk"), "plan")
        return Continuation(code, {})
    links: dict[str, Link] = {}
    for old, entry in raw.items():
        link = read_link(v, ("crosswalk", old), str(old), entry, new_codes)
        if link is not None:
            links[str(old)] = link
    return Continuation(code, links)


def read_link(v: Any, path: Path, old: str, entry: Any, new_codes: set[str]) -> Link | None:
    where = f"crosswalk.{old}"
    if len(old) > limits.column_length(Indicator, "code"):
        v.error(path, _("%(value)r is not a valid code or name") % {"value": old}, where, "code")
        return None
    entry = v.mapping(entry, path, (), (*KINDS, "reason"), where=where)
    if entry is None:
        return None
    kinds = [k for k in KINDS if k in entry]
    if len(kinds) != 1:
        v.error(
            path,
            _("give exactly one of %(kinds)s") % {"kinds": ", ".join(KINDS)},
            where,
            "kind",
        )
        return None
    kind = kinds[0]
    reason = v.text(entry, "reason", path, where)
    value = entry[kind]
    if kind == "dropped":
        if value is not True:
            v.error((*path, kind), _("must be true or false"), where, kind)
        if not reason:
            v.error((*path, "reason"), _("a dropped indicator needs its reason"), where, "reason")
        return Link(kind, (), reason)
    targets = value if kind == "split" else [value]
    if not isinstance(targets, list) or not targets or (kind == "split" and len(targets) < 2):
        v.error((*path, kind), _("a split needs a list of two or more codes"), where, kind)
        return None
    new: list[str] = []
    for item in targets:
        if not isinstance(item, str) or item not in new_codes:
            v.error(
                (*path, kind),
                _("%(code)s is not an indicator of this plan") % {"code": item},
                where,
                kind,
            )
        else:
            new.append(item)
    return Link(kind, tuple(new), reason)


def continuation_yaml(continuation: Continuation) -> dict[str, Any]:
    return {
        "continues": continuation.plan,
        "crosswalk": {old: link.to_yaml() for old, link in continuation.crosswalk.items()},
    }
