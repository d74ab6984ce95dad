"""Province > city or regency > kecamatan > kelurahan or desa: nesting, names and the migration."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from kinerja.accounts import levels
from kinerja.accounts.models import OrgUnit

L = OrgUnit.Level


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (L.PROVINCE, L.CITY, True),
        (L.PROVINCE, L.REGENCY, True),
        (L.REGENCY, L.KECAMATAN, True),
        (L.CITY, L.KECAMATAN, True),
        (L.KECAMATAN, L.DESA, True),
        (L.KECAMATAN, L.KELURAHAN, True),
        (L.PROVINCE, L.KECAMATAN, False),  # a level skipped
        (L.REGENCY, L.DESA, False),
        (L.CITY, L.REGENCY, False),  # two units of one level
        (L.KECAMATAN, L.KECAMATAN, False),
        (L.DESA, L.KELURAHAN, False),  # under the lowest level
        (L.KELURAHAN, L.DESA, False),
        (L.DESA, L.PROVINCE, False),  # upside down
    ],
)
def test_it_knows_which_level_may_hold_which(parent, child, allowed) -> None:
    assert levels.may_hold(parent, child) is allowed


def test_every_level_has_its_rule_and_its_head() -> None:
    assert set(levels.CHILD_LEVELS) == set(L.values) == set(levels.HEAD_TITLES)


@pytest.mark.django_db
def test_it_names_units_and_their_heads_by_level() -> None:
    jatim = OrgUnit.objects.create(code="prov-jatim", name="Jawa Timur", level=L.PROVINCE)
    kab = OrgUnit.objects.create(code="kab-pb", name="Probolinggo", level=L.REGENCY, parent=jatim)
    kota = OrgUnit.objects.create(code="kota-pb", name="Probolinggo", level=L.CITY, parent=jatim)
    kec = OrgUnit.objects.create(code="kec-dr", name="Dringu", level=L.KECAMATAN, parent=kab)
    desa = OrgUnit.objects.create(code="desa-pb", name="Pabean", level=L.DESA, parent=kec)
    with translation.override("id"):
        assert [str(u) for u in (jatim, kab, kota, kec, desa)] == [
            "Provinsi Jawa Timur",
            "Kabupaten Probolinggo",
            "Kota Probolinggo",
            "Kecamatan Dringu",
            "Desa Pabean",
        ]
    assert levels.head_title(kab) == "Bupati Probolinggo"
    assert levels.head_title(kota) == "Wali Kota Probolinggo"
    assert levels.head_title(desa) == "Kepala Desa Pabean"
    # The regency a desa lies in; none above the second level.
    assert levels.city_of(desa) == kab and levels.city_of(kab) == kab
    assert levels.city_of(jatim) is None


def test_it_heads_a_column_of_villages_by_what_they_are() -> None:
    with translation.override("id"):
        assert levels.village_label([L.DESA, L.DESA]) == "Desa"
        assert levels.village_label([L.KELURAHAN]) == "Kelurahan"
        assert levels.village_label([L.DESA, L.KELURAHAN]) == "Kelurahan/Desa"
        assert levels.village_label([]) == "Kelurahan"  # nothing listed: the usual word


@pytest.mark.django_db(transaction=True)
def test_it_migrates_the_levels_back_and_forth_keeping_every_unit() -> None:
    before = [("accounts", "0004_two_factor_on_django_otp")]
    after = [("accounts", "0005_regency_and_desa_levels")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "OrgUnit")
    city = old.objects.create(code="kota-x", name="X", level="city", path="/kota-x/")
    old.objects.create(
        code="kel-x", name="X", level="kelurahan", parent=city, path="/kota-x/kel-x/"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("accounts", "OrgUnit")
    assert dict(new.objects.values_list("code", "level")) == {
        "kota-x": "city",
        "kel-x": "kelurahan",
    }
    new.objects.create(code="kab-y", name="Y", level="regency", path="/kab-y/")
    new.objects.create(code="desa-y", name="Y", level="desa", path="/kab-y/desa-y/")

    # Back: the older code reads a regency as a city and a desa as a kelurahan; nothing is lost.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert dict(old.objects.values_list("code", "level")) == {
        "kota-x": "city",
        "kel-x": "kelurahan",
        "kab-y": "city",
        "desa-y": "kelurahan",
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert OrgUnit.objects.count() == 4


def test_the_api_describes_every_level() -> None:
    import json
    from pathlib import Path

    import kinerja.api

    schema = json.loads((Path(kinerja.api.__file__).parent / "openapi.json").read_text())
    found: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            level = node.get("properties", {}).get("level", {})
            if "province" in level.get("enum", []):
                found.append(level["enum"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    assert found and all(sorted(enum) == sorted(L.values) for enum in found)
