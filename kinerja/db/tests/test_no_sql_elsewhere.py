"""Hand-written SQL lives in kinerja/db/ and the migrations, nowhere else (docs/architecture.md,
"Fast paths"): every other module of kinerja/ and kinerja_core/, tests included, reaches the
database through the ORM or a function of the layer.

The check reads each file's syntax tree, so comments and docstrings may still talk about SQL:
it looks for calls that run SQL (a cursor, ``execute``, ``executemany``, ``raw``, ``extra``,
``RawSQL``, a ``copy`` of a statement) and for string literals that read like SQL.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TREES = ("kinerja", "kinerja_core")
# Methods that run a statement, whatever object they are called on.
RUNS_SQL = {"cursor", "execute", "executemany", "executescript", "raw", "extra"}
SQL_TEXT = re.compile(
    r"\b(?:INSERT\s+INTO|SELECT\s|UPDATE\s|DELETE\s+FROM|PRAGMA\b|FOR\s+(?:NO\s+KEY\s+)?UPDATE"
    r"|CREATE\s+(?:TEMP\s+|UNIQUE\s+)?(?:TABLE|INDEX|EXTENSION)|DROP\s+(?:TABLE|INDEX)"
    r"|ALTER\s+TABLE|ANALYZE\b|COPY\s.*\b(?:FROM\s+STDIN|TO\s+STDOUT)|ON\s+CONFLICT)"
)


def python_files(root: Path) -> Iterator[Path]:
    for tree in TREES:
        for path in sorted((root / tree).rglob("*.py")):
            relative = path.relative_to(root)
            if relative.parts[:2] == ("kinerja", "db") or "migrations" in relative.parts:
                continue
            yield path


def _skipped(tree: ast.AST) -> set[int]:
    """ids of string constants not to read alone: docstrings (and other strings that are a
    statement of their own), and the parts of an f-string (read as a whole)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skip.add(id(node.value))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
    return skip


def _texts(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return "".join(p for p in parts if isinstance(p, str)) + " "
    return None


def sql_in(path: Path) -> list[str]:
    """Where ``path`` runs or spells SQL: "line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _skipped(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            statement = any(_texts(a) is not None for a in node.args)
            on_cursor = isinstance(func, ast.Attribute) and "cursor" in ast.unparse(func.value)
            # super().execute(…) is a management command's own method, not a statement.
            of_super = isinstance(func, ast.Attribute) and ast.unparse(func.value) == "super()"
            if (
                (isinstance(func, ast.Attribute) and name in RUNS_SQL and not of_super)
                or name == "RawSQL"
                or (name == "copy" and (statement or on_cursor))
            ):
                found.append((node.lineno, f"{ast.unparse(func)}(…)"))
        elif id(node) not in skip and isinstance(node, ast.Constant | ast.JoinedStr):
            text = _texts(node)
            if text and SQL_TEXT.search(text):
                found.append((node.lineno, repr(text.strip()[:60])))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_no_module_outside_the_layer_holds_sql() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found for path in python_files(ROOT) if (found := sql_in(path))
    }
    assert offenders == {}


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring may say SELECT … FOR UPDATE."""\n'
        "# and so may a comment: INSERT INTO t\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        '    c.execute(f"UPDATE {t} SET a = 1")\n'
        "q = Model.objects.raw('x')\n"
        "cursor.copy(statement)\n"
        "request.GET.copy()\n"
        'label = "Select a service"\n'
        "super().execute(*args)\n",
        encoding="utf-8",
    )
    assert sql_in(sample) == [
        "4: connection.cursor(…)",
        "5: 'UPDATE  SET a = 1'",
        "5: c.execute(…)",
        "6: Model.objects.raw(…)",
        "7: cursor.copy(…)",
    ]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git history")
def test_it_would_have_failed_before_the_layer(tmp_path: Path) -> None:
    """The tree before kinerja/db/ existed had SQL in the domain apps; the check sees it."""
    before = "eb8d62b"  # "One sqlite_pragma helper (kinerja/sqlite.py) …": SQL in many apps
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", before, *TREES],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.skip("that commit is not in this clone")
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive.stdout, check=True)
    offenders = {str(p.relative_to(tmp_path)) for p in python_files(tmp_path) if sql_in(p)}
    assert {
        "kinerja/surveys/rollup.py",
        "kinerja/surveys/ratelimit.py",
        "kinerja/surveys/importing.py",
        "kinerja/surveys/formcache.py",
        "kinerja/results/storage.py",
        "kinerja/sqlite.py",
        "kinerja/audit/tests/test_chain.py",
    } <= offenders
