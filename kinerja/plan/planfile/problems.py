"""What is wrong with a plan file: one Problem each, with its line, and the error carrying them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

# A key path in the file: mapping keys and list positions from the top.
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file; ``where`` names the indicator code or the key path."""

    message: str
    line: int | None = None
    where: str = ""
    field: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        parts = []
        if self.line:
            parts.append(_("line %(line)s") % {"line": self.line})
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(self.field)
        prefix = ", ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class PlanFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
