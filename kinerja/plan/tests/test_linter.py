from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from kinerja.plan.actions import check_plan_text
from kinerja.test import WONOASIH_PLAN

# The linter checks a file against the stored plans (a plan it continues, periods it overlaps).
pytestmark = pytest.mark.django_db

TEXT = WONOASIH_PLAN.read_text(encoding="utf-8")
NB = (
    r"$$\frac{\sum \text{Kelompok Masyarakat dan Lembaga masyarakat total yang telah dibina hingga Tahun N}}"
    r"{\sum \text{Kelompok Masyarakat dan Lembaga masyarakat total yang telah dibina hingga Tahun N}}$$"
)


def errors(text: str) -> list[str]:
    _doc, problems = check_plan_text(text)
    return [f"{p.where} {p.field}: {p.message}" for p in problems if p.severity == "error"]


def run_check(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:
        try:
            call_command("plan", "check", str(path), *args, stdout=stdout)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.read_text()


def test_it_passes_the_shipped_plan_with_its_readings_as_notes(tmp_path: Path) -> None:
    code, output = run_check(tmp_path, TEXT)
    assert code == 0
    assert ": 0 kesalahan, " in output and ", 6 catatan\n" in output
    assert "\nCATATAN " in output and "salah tata" in output
    with translation.override("en"):
        _code, output = run_check(tmp_path, TEXT)
    assert ": 0 errors, " in output and ", 6 notes\n" in output and "\nNOTE " in output


def test_it_fails_the_nb_text_given_as_the_coverage_formula(tmp_path: Path) -> None:
    text = TEXT.replace(
        "formula: groups_fostered_cumulative / groups_total * 100", "formula: '" + NB + "'"
    )
    code, output = run_check(tmp_path, text, "--json")
    assert code == 1
    findings = json.loads(output)["findings"]
    hit = [f for f in findings if f["severity"] == "error"]
    assert len(hit) == 1
    assert hit[0]["indicator"] == "T1.1" and hit[0]["field"] == "derived.cakupan_pemas.formula"
    assert "pembilang sama dengan penyebut" in hit[0]["message"]


def test_it_fails_a_computable_ratio_of_a_measure_by_itself() -> None:
    text = TEXT.replace(
        "formula: groups_facilitated / groups_total * 100",
        "formula: (groups_total) / groups_total * 100",
    )
    assert any(e.startswith("S1.1 formula: pembilang sama dengan penyebut") for e in errors(text))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            (
                "formula: groups_facilitated / groups_total * 100",
                "formula: groups_helped / groups_total * 100",
            ),
            "S1.1 formula: ukuran groups_helped tidak dikenal",
        ),
        (
            (
                "formula: groups_facilitated / groups_total * 100",
                "formula: groups_facilitated / (groups_total",
            ),
            "S1.1 formula:",
        ),
        (
            ("        2022: 30\n        2023: 35\n", "        2023: 35\n"),
            "S1.1 targets.2022: tidak ada target untuk 2022",
        ),
        (
            (
                "      data_source: Data Kelompok dan Lembaga Kemasyarakatan\n",
                "      data_source: ''\n",
            ),
            "S1.1 data_source: sumber data belum diisi",
        ),
        (
            ("      responsible: Kasi Pemberdayaan Masyarakat\n", ""),
            "S1.1 responsible: penanggung jawab belum diisi",
        ),
        (
            (
                "    - code: S2.1\n      name: IKM\n",
                "    - code: S2.1\n      name: Persentase Kelompok dan Lembaga Kemasyarakatan yang Difasilitasi\n",
            ),
            "S2.1 name: indikator yang sama dengan S1.1",
        ),
        (
            ("formula: ikm\n    unit: index", "formula: ikm + open('x')\n    unit: index"),
            "T2.1 formula:",
        ),
    ],
)
def test_it_reports_each_error_with_indicator_and_field(
    edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in TEXT
    found = errors(TEXT.replace(old, new, 1))
    assert any(e.startswith(expected) for e in found), found


def test_it_gives_the_position_of_a_formula_error() -> None:
    text = TEXT.replace(
        "formula: groups_facilitated / groups_total * 100",
        "formula: groups_facilitated / groups_total.real",
        1,
    )
    found = errors(text)
    assert any("S1.1 formula" in e and "21" in e for e in found), found


def test_it_warns_on_targets_against_polarity_and_percent_range() -> None:
    text = TEXT.replace(
        "        2023: 35\n        2024: 40\n", "        2023: 35\n        2024: 140\n", 1
    ).replace("      2022: 30\n", "      2022: 10\n", 1)
    _doc, problems = check_plan_text(text)
    warnings = [f"{p.where} {p.field}: {p.message}" for p in problems if p.severity == "warning"]
    assert any(
        w.startswith("T1.1 targets.2022: target bergerak berlawanan dengan polaritas")
        for w in warnings
    ), warnings
    assert any(w.startswith("S1.1 targets.2024: target persen di luar 0–100") for w in warnings), (
        warnings
    )
    assert not errors(text)


def test_a_stable_target_may_move_either_way() -> None:
    text = TEXT.replace("      2022: 30\n", "      2022: 10\n", 1).replace(
        "    polarity: higher\n", "    polarity: stable\n", 1
    )
    _doc, problems = check_plan_text(text)
    assert not [p for p in problems if "polaritas" in p.message], problems


def test_it_flags_derived_measures_in_a_circle() -> None:
    text = TEXT.replace(
        "formula: groups_fostered_cumulative / groups_total * 100", "formula: cakupan_pemas + 1", 1
    )
    assert any("melingkar" in e for e in errors(text))
