"""The narratives of an LKjIP as they print (docs/rules.md#lkjip): what staff wrote for the
year, else what the quarterly monitoring wrote for that year's quarters, else nothing, which
the document prints as "analisis belum diisi". Never a generated sentence.

The quarterly monitoring (``kinerja.monitoring``, when installed) feeds the LKjIP through one
hook: a module ``kinerja.monitoring.narratives`` with a function
``lkjip_narratives(unit, year, kind) -> dict[str, str]`` giving, per indicator code, the text of
that kind (``causes`` or ``programs``) gathered from the year's quarters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from kinerja.accounts.models import OrgUnit

from .models import Narrative

EMPTY = "analisis belum diisi"
MONITORING_HOOK = "kinerja.monitoring.narratives"

QuarterlySource = Callable[[OrgUnit, int, str], dict[str, str]]


def quarterly_source() -> QuarterlySource | None:
    """The monitoring app's narratives of a year, when that app provides them."""
    if find_spec("kinerja.monitoring") is None or find_spec(MONITORING_HOOK) is None:
        return None
    source: QuarterlySource | None = getattr(
        import_module(MONITORING_HOOK), "lkjip_narratives", None
    )
    return source


@dataclass(frozen=True)
class Narratives:
    """Every narrative of a unit's year, looked up by kind and indicator code."""

    written: dict[tuple[str, str], str] = field(default_factory=dict)
    quarterly: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, unit: OrgUnit, year: int) -> Narratives:
        written = {
            (n.kind, n.indicator_code): n.text
            for n in Narrative.objects.filter(unit=unit, year=year)
            if n.text.strip()
        }
        quarterly: dict[tuple[str, str], str] = {}
        source = quarterly_source()
        if source is not None:
            for kind in (Narrative.Kind.CAUSES, Narrative.Kind.PROGRAMS):
                for code, text in source(unit, year, kind.value).items():
                    if text.strip():
                        quarterly[(kind.value, code)] = text
        return cls(written, quarterly)

    def text(self, kind: str, code: str = "") -> str:
        """The staff's text, else the quarterly monitoring's, else EMPTY."""
        return self.written.get((kind, code)) or self.quarterly.get((kind, code)) or EMPTY
