"""kinerja survey ikm / sample-size: database-free (no db fixture: pytest-django refuses DB access)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import HEADER, csv_text, worked_rows


def run(*args: str) -> str:
    out = StringIO()
    call_command("survey", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str, name: str = "survei.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_computes_the_worked_example_from_csv(tmp_path: Path) -> None:
    data = json.loads(run("ikm", write(tmp_path, csv_text(worked_rows())), "--json"))
    assert data["respondents"] == 29
    assert data["ikm"] == 91.48
    assert data["grade"] == "A"
    assert data["performance"] == "Sangat Baik"
    assert [e["total"] for e in data["elements"]] == [105, 101, 100, 116, 102, 105, 106, 115, 105]
    assert data["elements"][7] == {
        "code": "U8",
        "name": "Penanganan Pengaduan, Saran dan Masukan",
        "total": 115,
        "nrr": 3.9655,
        "ikm": 99.14,
        "grade": "A",
    }
    assert len(data["ci95"]) == 2 and data["ci95"][0] < 91.48 < data["ci95"][1]
    assert data["method"] == "permenpanrb-14-2017"


def test_it_gives_100_for_all_4_and_99_90_with_the_rounded_weight(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text([[4] * 9] * 10))
    assert json.loads(run("ikm", path, "--json"))["ikm"] == 100.0
    rounded = json.loads(
        run("ikm", path, "--json", "--method", "permenpanrb-14-2017-rounded-weight")
    )
    assert rounded["ikm"] == 99.9
    assert rounded["method"] == "permenpanrb-14-2017-rounded-weight"


def test_it_prints_a_readable_table(tmp_path: Path) -> None:
    text = run("ikm", write(tmp_path, csv_text(worked_rows())), "--population", "100")
    assert "91,48" in text and "Sangat Baik" in text
    assert "Target sampel" in text and ": 80" in text  # Krejcie–Morgan for N = 100


def test_it_groups_by_period_and_service(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n"
        + "\n".join(
            [
                "2024-01-15,ktp,,,,,4,4,4,4,4,4,4,4,4,",
                "2024-05-15,ktp,,,,,3,3,3,3,3,3,3,3,3,",
                "2024-05-20T10:00,legalisasi,,,,,2,2,2,2,2,2,2,2,2,",
            ]
        )
    )
    path = write(tmp_path, text)
    quarters = json.loads(run("ikm", path, "--by", "quarter", "--json"))
    assert [(g["group"], g["respondents"], g["ikm"]) for g in quarters] == [
        ("2024-Q1", 1, 100.0),
        ("2024-Q2", 2, 62.5),
    ]
    semesters = json.loads(run("ikm", path, "--by", "semester", "--json"))
    assert [g["group"] for g in semesters] == ["2024-S1"]
    months = json.loads(run("ikm", path, "--by", "month", "--json"))
    assert [g["group"] for g in months] == ["2024-01", "2024-05"]
    services = json.loads(run("ikm", path, "--by", "service", "--json"))
    assert {g["group"]: g["ikm"] for g in services} == {"ktp": 87.5, "legalisasi": 50.0}


def test_it_refuses_a_bad_file_naming_every_row_and_column(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n"
        + "\n".join(
            [
                "2024-01-15,ktp,,,,,4,4,4,4,4,4,4,4,4,",
                "2024-13-45,ktp,,,,,4,4,4,4,4,4,4,4,4,",
                "2024-01-16,ktp,,,,,5,4,4,4,4,4,4,4,,",
            ]
        )
    )
    with pytest.raises(CommandError) as caught:
        run("ikm", write(tmp_path, text))
    message = str(caught.value)
    assert "baris 3, kolom submitted_at" in message
    assert "baris 4, kolom U1" in message
    assert "baris 4, kolom U9" in message


def test_it_names_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="U9"):
        run(
            "ikm",
            write(tmp_path, "submitted_at,U1,U2,U3,U4,U5,U6,U7,U8\n2024-01-01,4,4,4,4,4,4,4,4\n"),
        )


def test_it_computes_sample_sizes() -> None:
    assert json.loads(run("sample-size", "1000", "--json"))["sample"] == 278
    assert "357" in run("sample-size", "5000")
    with pytest.raises(CommandError):
        run("sample-size", "-3")


def test_it_runs_as_a_console_script_without_any_database(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(worked_rows()))
    env = {
        **os.environ,
        # An address where no database listens: the command must never try to connect.
        "KINERJA_DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "KINERJA_VAR_DIR": str(tmp_path / "var"),
    }
    kinerja = Path(sys.executable).parent / "kinerja"
    done = subprocess.run(
        [str(kinerja), "ikm", path, "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ikm"] == 91.48
    bad = subprocess.run(
        [
            str(kinerja),
            "ikm",
            write(tmp_path, HEADER + "\n2024-01-01,x,,,,,9,4,4,4,4,4,4,4,4,\n", "bad.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "baris 2, kolom U1" in bad.stderr
