from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")


def test_it_covers_every_core_module() -> None:
    assert {
        "achievement",
        "coverage",
        "errors",
        "formula",
        "ikm",
        "numbers",
        "periods",
        "sampling",
        "survey_csv",
    } <= set(MODULES)


def test_it_imports_without_django() -> None:
    imports = "; ".join(["import kinerja_core", *(f"import kinerja_core.{m}" for m in MODULES)])
    code = (
        f"import sys; {imports}; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'kinerja.')) "
        "or m == 'kinerja'); print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=CORE.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_uses_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"kinerja_core"}
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_it_never_executes_formula_text() -> None:
    source = (CORE / "formula.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__"}
