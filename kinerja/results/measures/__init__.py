"""Measures owned by the results app: manually entered values (see registry.manual_spec)."""

from __future__ import annotations

from .manual import manual

__all__ = ["manual"]
