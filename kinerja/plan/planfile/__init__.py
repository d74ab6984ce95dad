"""The YAML plan file, in three steps: reading (text → a checked, typed PlanDocument, with the
file's safety limits), validating (the linter over a document) and writing (a document into the
database through the plan actions, back out of it, and as canonical YAML text)."""

from __future__ import annotations

from .document import IndicatorDoc, PlanDocument
from .problems import PlanFileError, Problem, has_errors
from .read import parse_plan
from .validate import lint_plan
from .write import dump_plan, export_plan, store_plan

__all__ = [
    "IndicatorDoc",
    "PlanDocument",
    "PlanFileError",
    "Problem",
    "dump_plan",
    "export_plan",
    "has_errors",
    "lint_plan",
    "parse_plan",
    "store_plan",
]
