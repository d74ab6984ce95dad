"""Measures are objects the data apps export; a broken one stops start-up (a check error)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import AppConfig, apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from kinerja.community import measures as community_measures
from kinerja.lib import measure_registry as registry
from kinerja.lib.checks import check_measures
from kinerja.plan.planfile import PlanDocument, parse_plan
from kinerja.surveys import measures as survey_measures
from kinerja_core.formula import Formula
from kinerja_core.measures import Measure


def messages(app_configs: Any = None) -> list[str]:
    return [f"{e.msg} {e.hint or ''}" for e in check_measures(app_configs)]


def test_it_collects_the_measures_of_the_data_apps_as_objects() -> None:
    assert set(registry.MEASURES) == {
        "groups_total",
        "groups_facilitated",
        "groups_fostered_cumulative",
        "ikm",
        "respondents",
    }
    total = registry.MEASURES["groups_total"]
    assert total.compute is community_measures.groups_total
    assert total.batch is community_measures.CoverageBatch
    assert total.source == "community"
    ikm = registry.MEASURES["ikm"]
    assert ikm.compute is survey_measures.ikm and ikm.source == "surveys" and ikm.unit == "index"
    # no dotted path left to import at compute time
    assert all(callable(m.compute) for m in registry.MEASURES.values())
    with translation.override("id"):
        assert str(registry.MEASURES["respondents"].label) == "Responden survei"
        assert str(registry.MEASURES["groups_facilitated"].label) == (
            "Kelompok dan lembaga yang difasilitasi pada tahun berjalan"
        )


def test_it_finds_no_error_in_the_real_registry() -> None:
    assert check_measures() == []
    call_command("check")  # raises SystemCheckError on any error


def test_it_refuses_a_definition_that_breaks_the_interface(monkeypatch) -> None:
    broken = Measure("groups lost", "Lost groups", community_measures.groups_total, unit="km")
    monkeypatch.setattr(
        community_measures, "MEASURES", (*community_measures.MEASURES, broken, "groups_total")
    )
    found = messages()
    assert len(found) == 2
    assert "kinerja.community.measures" in found[0] and "groups lost" in found[0]
    assert "cannot be used in a formula" in found[0] and "'km'" in found[0]
    assert "not a Measure" in found[1] and "'groups_total'" in found[1]
    with pytest.raises(SystemCheckError, match="groups lost"):
        call_command("check")


def test_it_refuses_a_measure_declared_twice(monkeypatch) -> None:
    twin = Measure("groups_total", "Twin", survey_measures.respondents)
    monkeypatch.setattr(survey_measures, "MEASURES", (*survey_measures.MEASURES, twin))
    (found,) = messages()
    assert "groups_total" in found and "declared twice" in found
    assert "kinerja.community.measures" in found and "kinerja.surveys.measures" in found
    with pytest.raises(SystemCheckError, match="groups_total"):
        call_command("check")


def test_it_refuses_a_measures_module_without_a_tuple(monkeypatch) -> None:
    monkeypatch.delattr(survey_measures, "MEASURES")
    (found,) = messages()
    assert "kinerja.surveys.measures" in found and "MEASURES" in found


def test_it_refuses_a_measures_module_that_cannot_be_imported(tmp_path, monkeypatch) -> None:
    package = tmp_path / "meteran"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "measures.py").write_text("from kinerja.community.models import Meteran\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = AppConfig.create("meteran")
    found = messages([*apps.get_app_configs(), broken])
    assert len(found) == 1
    assert "meteran.measures" in found[0] and "cannot be imported" in found[0]
    assert "ImportError" in found[0] and "Meteran" in found[0]
    original = apps.get_app_configs
    monkeypatch.setattr(apps, "get_app_configs", lambda: [*original(), broken])
    with pytest.raises(SystemCheckError, match="meteran.measures"):
        call_command("check")


def measure_names(doc: PlanDocument) -> set[str]:
    """Every registry measure a plan document's formulas and bindings name."""
    manual = {m.name for m in doc.manual_measures}
    names: set[str] = set()
    for ind in doc.indicators():
        local = manual | set(ind.derived) | set(ind.bindings)
        formulas = [ind.formula, *(d.formula for d in ind.derived.values())]
        for text in formulas:
            names |= Formula.parse(text).variables - local
        names |= {b.measure for b in ind.bindings.values()}
    return names


def plan_documents() -> dict[str, PlanDocument]:
    from kinerja.benchmarks.generate import plan_text

    plans = Path(settings.BASE_DIR) / "plans"
    docs = {p.name: parse_plan(p.read_text(encoding="utf-8")) for p in plans.glob("*.yaml")}
    city = SimpleNamespace(code="kota-uji", name="Kota Uji")
    # A stand-in city: plan_text reads only its code and name.
    docs["bench"] = parse_plan(plan_text(city, ["rt", "rw", "pkk"]))  # type: ignore[arg-type]
    return docs


def test_every_measure_the_plans_use_resolves() -> None:
    docs = plan_documents()
    assert "wonoasih-2020-2024.yaml" in docs
    for name, doc in docs.items():
        used = measure_names(doc)
        assert used, name
        assert used <= set(registry.MEASURES), (name, used - set(registry.MEASURES))
