"""The national nomenclature code of a budget line and the level it names (docs/rules.md#budget-lines).

Permendagri 90/2019 (as updated by the Kepmendagri on the classification) numbers every line of a
regional budget as urusan.bidang.program.kegiatan.sub-kegiatan: ``7`` · ``7.01`` · ``7.01.01`` ·
``7.01.01.2.01`` · ``7.01.01.2.01.0001``. An SIPD export gives the levels from urusan down; the
level is read from the shape of the code, and any other shape is refused. Sub-kegiatan codes had two
digits before the 2021 update (``7.01.01.2.01.01``); both are accepted.
"""

from __future__ import annotations

import re

URUSAN = "urusan"
BIDANG = "bidang"
PROGRAM = "program"
KEGIATAN = "kegiatan"
SUB_KEGIATAN = "sub_kegiatan"

LEVELS = (URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB_KEGIATAN)
CODE_RE = re.compile(
    r"^(?P<urusan>\d)(?:\.(?P<bidang>\d{2})(?:\.(?P<program>\d{2})"
    r"(?:\.(?P<kegiatan>\d\.\d{2})(?:\.(?P<sub_kegiatan>\d{4}|\d{2}))?)?)?)?$"
)
CODE_MAX_LENGTH = len("9.99.99.9.99.9999")


def level_of(code: str) -> str | None:
    """The level a code names, or None when it is no nomenclature code."""
    match = CODE_RE.match(code)
    if match is None:
        return None
    found = [level for level in LEVELS if match.group(level) is not None]
    return found[-1]


def parent_code(code: str) -> str | None:
    """The code of the line one level up (``7.01.01.2.01`` → ``7.01.01``), None for an urusan."""
    level = level_of(code)
    if level is None or level == URUSAN:
        return None
    cut = 2 if level == KEGIATAN else 1  # a kegiatan part holds one dot of its own
    return ".".join(code.split(".")[:-cut])


def ancestors(code: str) -> list[str]:
    """The codes above ``code``, nearest first (``7.01.01.2.01`` → ``7.01.01``, ``7.01``, ``7``)."""
    found: list[str] = []
    parent = parent_code(code)
    while parent is not None:
        found.append(parent)
        parent = parent_code(parent)
    return found
