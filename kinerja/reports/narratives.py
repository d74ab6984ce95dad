"""The narratives of an LKjIP as they print (docs/rules.md#lkjip): what staff wrote for the
year, else what the quarterly monitoring wrote for that year's quarters, else nothing, which
the document prints as "analisis belum diisi". Never a generated sentence.

The quarterly monitoring feeds the LKjIP through ``kinerja.monitoring.narratives``
``lkjip_narratives(unit, year, kind) -> dict[str, str]``: per indicator code, the text of that
kind (``causes`` only: the quarterly report has no field for programs) from the year's quarters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.accounts.models import OrgUnit
from kinerja.monitoring.narratives import lkjip_narratives

from .models import LkjipNarrative

EMPTY = "analisis belum diisi"


@dataclass(frozen=True)
class Narratives:
    """Every narrative of a unit's year, looked up by kind and indicator code."""

    written: dict[tuple[str, str], str] = field(default_factory=dict)
    quarterly: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, unit: OrgUnit, year: int) -> Narratives:
        written = {
            (n.kind, n.indicator_code): n.text
            for n in LkjipNarrative.objects.filter(unit=unit, year=year)
            if n.text.strip()
        }
        quarterly: dict[tuple[str, str], str] = {}
        for kind in (LkjipNarrative.Kind.CAUSES, LkjipNarrative.Kind.PROGRAMS):
            for code, text in lkjip_narratives(unit, year, kind.value).items():
                if text.strip():
                    quarterly[(kind.value, code)] = text
        return cls(written, quarterly)

    def text(self, kind: str, code: str = "") -> str:
        """The staff's text, else the quarterly monitoring's, else EMPTY."""
        return self.written.get((kind, code)) or self.quarterly.get((kind, code)) or EMPTY
