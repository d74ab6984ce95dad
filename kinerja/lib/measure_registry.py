"""Every measure an indicator formula may name, collected from the installed apps.

Each data app declares its measures as ``Measure`` objects (``kinerja_core.measures``, the whole
interface between a data app and results) in a tuple ``MEASURES`` in its module
``<app>.measures``. ``load`` collects them when the apps are ready (``LibConfig.ready``)
into ``MEASURES``, keyed by name. A measures module that cannot be imported, a definition that
does not satisfy the interface and a name declared twice are start-up errors reported by the
system check (``kinerja.lib.checks``), never "not computable" at compute time.

The registry sits on the lowest Django floor so that the plan linter and the results engine
read the same measures; it reaches the data apps only through the measure interface
(docs/architecture.md#floors). Manual measures are resolved per plan by ``kinerja.results.registry``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import import_module

from django.apps import AppConfig, apps
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from kinerja.lib import coremessages
from kinerja_core.measures import Measure, problems

# The module of an app that declares its measures, and the tuple in it that holds them.
MEASURES_MODULE = "measures"
MEASURES_ATTRIBUTE = "MEASURES"

# The measures of the installed apps by name, filled in place once the apps are ready.
MEASURES: dict[str, Measure] = {}


@dataclass(frozen=True)
class Problem:
    """What is wrong with a measure (``where``: its module, and its name when it has one)."""

    where: str
    why: str


@dataclass
class Collected:
    measures: dict[str, Measure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # measure name → the module that declared it first, to name both of a duplicate
    owners: dict[str, str] = field(default_factory=dict)

    def add(self, module: str, label: str, declared: object) -> None:
        name = getattr(declared, "name", None)
        where = f"{module}: {name}" if isinstance(name, str) else module
        wrong = list(problems(declared))
        if wrong:
            # A start-up check speaks to developers, in English like Django's own checks.
            with translation.override("en"):
                why = "; ".join(coremessages.text(m) for m in wrong)
            self.problems.append(Problem(where, why))
            return
        assert isinstance(declared, Measure)
        if declared.name in self.measures:
            first = self.owners[declared.name]
            self.problems.append(Problem(where, f"declared twice (first in {first})"))
            return
        self.measures[declared.name] = replace(declared, source=label)
        self.owners[declared.name] = module


def collect(app_configs: Iterable[AppConfig]) -> Collected:
    """The measures the apps declare, and what is wrong with any of them."""
    found = Collected()
    for config in app_configs:
        if not module_has_submodule(config.module, MEASURES_MODULE):
            continue
        module_name = f"{config.name}.{MEASURES_MODULE}"
        try:
            module = import_module(module_name)
        except Exception as error:  # noqa: BLE001 - any import error becomes a check error naming it
            found.problems.append(
                Problem(module_name, f"cannot be imported: {type(error).__name__}: {error}")
            )
            continue
        declared = getattr(module, MEASURES_ATTRIBUTE, None)
        if not isinstance(declared, tuple):
            found.problems.append(
                Problem(module_name, f"has no {MEASURES_ATTRIBUTE} tuple of Measure objects")
            )
            continue
        for measure in declared:
            found.add(module_name, config.label, measure)
    return found


def load() -> None:
    """Fill ``MEASURES`` from the installed apps (broken ones are left out; the check says why)."""
    collected = collect(apps.get_app_configs())
    MEASURES.clear()
    MEASURES.update(collected.measures)
