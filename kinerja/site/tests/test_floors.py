"""The floors of docs/architecture.md#floors: lint-imports keeps every contract of pyproject.toml
on this tree, and breaks one as soon as a floor imports one above it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_tree(tmp_path: Path) -> Path:
    skip = shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "*.json")
    for package in ("kinerja", "kinerja_core"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    return tmp_path


def test_the_tree_keeps_every_import_contract(tmp_path: Path) -> None:
    done = lint_imports(copy_of_tree(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # plan counted stored results through results' models before the rooms were set up
        ("kinerja/plan/limits.py", "from kinerja.results import models", "kinerja.plan.limits -> kinerja.results.models"),
        ("kinerja/surveys/models.py", "from kinerja.community import models", "kinerja.surveys.models -> kinerja.community.models"),
        ("kinerja/accounts/models.py", "from kinerja.demo import loader", "kinerja.accounts.models -> kinerja.demo.loader"),
        ("kinerja/lib/tables.py", "from kinerja.site import urls", "kinerja.lib.tables -> kinerja.site.urls"),
        ("kinerja/results/engine.py", "from kinerja.reports import registry", "kinerja.results.engine -> kinerja.reports.registry"),
        ("kinerja_core/ikm.py", "import django", "kinerja_core.ikm -> django"),
    ],
)  # fmt: skip
def test_a_floor_importing_one_above_it_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    tree = copy_of_tree(tmp_path)
    with (tree / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}  # noqa\n")
    done = lint_imports(tree)
    assert done.returncode == 1, done.stdout
    assert broken in " ".join(done.stdout.split()), done.stdout
