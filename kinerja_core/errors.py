"""The one error base of the core, and the problem list used by importers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class CoreError(Exception):
    """Base of every error the core raises on purpose; callers catch only this."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by row (1-based, as a user counts) and field."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where: list[str] = []
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.field is not None:
            where.append(f"kolom {self.field}")
        if not where:
            return self.message
        return f"{', '.join(where)}: {self.message}"


class InputError(CoreError):
    """Bad input data; carries every problem found, so a user fixes a file in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if not self.problems:
            return "data tidak valid"
        lines = [str(p) for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} masalah:\n" + "\n".join(lines)
