"""Start-up check of the measure registry: a broken measure stops ``kinerja check`` and the server.

Every problem ``measure_registry.collect`` finds (a measures module that cannot be imported, a definition
that does not satisfy ``kinerja_core.measures.Measure``, a name declared twice) is an error
naming the module and the measure, so it is fixed before anyone computes with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks

from . import measure_registry

HINT = (
    "Each app declares its measures as a tuple MEASURES of kinerja_core.measures.Measure "
    "objects in its measures module; names are unique across the apps."
)


def check_measures(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    configs = apps.get_app_configs() if app_configs is None else app_configs
    return [
        checks.Error(f"measure {p.where}: {p.why}", hint=HINT, id="kinerja.E101")
        for p in measure_registry.collect(configs).problems
    ]


def register() -> None:
    checks.register(check_measures)
