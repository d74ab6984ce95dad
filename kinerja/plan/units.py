"""The org units a plan file names, and who may create or change them by loading it.

A plan file lists its unit with the chain of parents from the top and its sub-units; loading it
creates what is missing and moves or renames what differs. Units are the boundary of every
permission, so a file may create units only under a unit its uploader administers, may change
an existing unit only where the uploader administers both its old and new place, and a plan code
stays with the unit that first loaded it (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit

from .models import Plan
from .planfile.document import PlanDocument, UnitDoc, UnitRef
from .planfile.problems import Problem


@dataclass(frozen=True)
class Placement:
    """Where a unit of the file goes: its values, its parent's code and path, what exists now."""

    item: UnitRef
    parent_code: str | None
    parent_path: str
    existing: OrgUnit | None

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def path(self) -> str:
        return f"{self.parent_path}{self.code}/"

    def changes(self) -> list[str]:
        """What loading would change in the existing unit, in words (empty when identical)."""
        old = self.existing
        if old is None:
            return []
        out = []
        if old.name != self.item.name:
            out.append(_('name "%(old)s" → "%(new)s"') % {"old": old.name, "new": self.item.name})
        if old.level != self.item.level:
            out.append(_("level %(old)s → %(new)s") % {"old": old.level, "new": self.item.level})
        old_parent = old.parent.code if old.parent else None
        if old_parent != self.parent_code:
            top = _("the top level")
            out.append(
                _("parent %(old)s → %(new)s")
                % {"old": old_parent or top, "new": self.parent_code or top}
            )
        return out


def placements(unit_doc: UnitDoc) -> list[Placement]:
    """The file's units in load order: the parents from the top, the unit, then its sub-units."""
    chain = [*unit_doc.parents, unit_doc]
    codes = [u.code for u in chain] + [c.code for c in unit_doc.children]
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=codes).select_related("parent")}
    out: list[Placement] = []
    parent_code, parent_path = None, "/"
    for item in chain:
        out.append(Placement(item, parent_code, parent_path, existing.get(item.code)))
        parent_code, parent_path = out[-1].code, out[-1].path
    for child in unit_doc.children:
        out.append(Placement(child, parent_code, parent_path, existing.get(child.code)))
    return out


def refusals(doc: PlanDocument, user: access.UserLike | None) -> list[Problem]:
    """Why ``user`` may not load ``doc`` (None: the command line, with every right but one)."""
    found = []
    owner = Plan.objects.filter(code=doc.code).select_related("unit").first()
    if owner is not None and owner.unit.code != doc.unit.code:
        # For everyone: loading would move a plan, its results and approvals to another unit.
        found.append(
            Problem(
                _(
                    "Plan code %(code)s belongs to %(owner)s (%(owner_code)s); this file is for "
                    "%(unit_code)s. A plan code stays with its unit: give this plan another code."
                )
                % {
                    "code": doc.code,
                    "owner": owner.unit.name,
                    "owner_code": owner.unit.code,
                    "unit_code": doc.unit.code,
                },
                where="plan",
                field="code",
            )
        )
    if user is None:
        return found
    administered = access.scope_paths(user, access.ADMINISTER)
    places = placements(doc.unit)
    for place in places:
        if place.existing is None:
            if not access.covers(administered, place.path):
                found.append(
                    Problem(
                        _(
                            "You may not create unit %(code)s (%(name)s) under %(parent)s: only "
                            "an administrator of %(parent)s may."
                        )
                        % {
                            "code": place.code,
                            "name": place.item.name,
                            "parent": place.parent_code or _("the top level"),
                        },
                        where="unit",
                        field=place.code,
                    )
                )
            continue
        changes = place.changes()
        if changes and not (
            access.covers(administered, place.existing.path)
            and access.covers(administered, place.path)
        ):
            found.append(
                Problem(
                    _("You may not change unit %(code)s (%(changes)s): only its administrator may.")
                    % {"code": place.code, "changes": "; ".join(changes)},
                    where="unit",
                    field=place.code,
                )
            )
    plan_unit = places[len(doc.unit.parents)]
    if not access.covers(access.scope_paths(user, access.EDIT_PLAN), plan_unit.path):
        found.append(
            Problem(
                _("You may not change the plan of %(unit)s.") % {"unit": doc.unit.name},
                where="plan",
                field="unit",
            )
        )
    return found
