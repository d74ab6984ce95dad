"""Measures owned by the results app: manually entered values (see registry.manual_spec).

Manual measures are declared per plan, not by the app, so the app declares none of its own.
"""

from __future__ import annotations

from kinerja_core.measures import Measure

from .manual import manual

MEASURES: tuple[Measure, ...] = ()

__all__ = ["MEASURES", "manual"]
