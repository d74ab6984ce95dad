"""The levels of the org unit tree: which may sit under which, and the words that name them.

Indonesian local government has two kinds of unit on each of two levels: a province holds
cities (kota, headed by a Wali Kota) and regencies (kabupaten, headed by a Bupati); a kecamatan
of either holds kelurahan (urban villages, headed by a Lurah) and desa (villages, headed by a
Kepala Desa). Code that means "a city or a regency" or "a kelurahan or a desa" asks this module
rather than naming one level (docs/rules.md#org-unit-levels).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import OrgUnit

Level = OrgUnit.Level

# The second level: group codes and group kinds belong to one (the registry's "city").
CITY_LEVELS: tuple[str, ...] = (Level.CITY, Level.REGENCY)
# The lowest level: the registry keeps its groups in either.
VILLAGE_LEVELS: tuple[str, ...] = (Level.KELURAHAN, Level.DESA)

# Which levels a unit of each level may hold directly.
CHILD_LEVELS: dict[str, tuple[str, ...]] = {
    Level.PROVINCE: CITY_LEVELS,
    Level.CITY: (Level.KECAMATAN,),
    Level.REGENCY: (Level.KECAMATAN,),
    Level.KECAMATAN: VILLAGE_LEVELS,
    Level.KELURAHAN: (),
    Level.DESA: (),
}

# The official title of the head of a unit of each level, as documents print it before the
# unit's name ("Bupati Probolinggo"). Titles of office are the same words in every language.
HEAD_TITLES: dict[str, str] = {
    Level.PROVINCE: "Gubernur",
    Level.CITY: "Wali Kota",
    Level.REGENCY: "Bupati",
    Level.KECAMATAN: "Camat",
    Level.KELURAHAN: "Lurah",
    Level.DESA: "Kepala Desa",
}


def may_hold(parent_level: str, child_level: str) -> bool:
    """Whether a unit of ``child_level`` may sit directly under one of ``parent_level``."""
    return child_level in CHILD_LEVELS.get(parent_level, ())


def level_label(level: str) -> str:
    """The level's name as users read it ("Kabupaten", "Desa")."""
    return str(Level(level).label) if level in Level.values else level


def city_of(unit: OrgUnit, ancestors: Iterable[OrgUnit] | None = None) -> OrgUnit | None:
    """The city or regency ``unit`` lies in (itself when it is one), None above or outside one."""
    chain = [*(unit.ancestors() if ancestors is None else ancestors), unit]
    return next((u for u in reversed(chain) if u.level in CITY_LEVELS), None)


def head_title(unit: OrgUnit) -> str:
    """The head of ``unit`` by office and place: "Wali Kota Probolinggo", "Bupati Probolinggo"."""
    title = HEAD_TITLES.get(unit.level)
    return f"{title} {unit.name}" if title else unit.name


def village_label(levels: Iterable[str]) -> str:
    """The heading of a column of villages: "Desa" or "Kelurahan" when all are one kind,
    both words when they are mixed (a kecamatan of a regency often holds both)."""
    present = {level for level in levels if level in VILLAGE_LEVELS}
    if present == {Level.DESA}:
        return level_label(Level.DESA)
    if present == {Level.DESA, Level.KELURAHAN}:
        return _("Kelurahan/Desa")
    return level_label(Level.KELURAHAN)
