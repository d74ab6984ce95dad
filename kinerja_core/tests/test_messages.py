"""The core speaks no human language: errors and reasons are codes with parameters.

Every error the core raises and every reason it gives for a value that cannot be computed is a
``Message`` (a ``Code`` and its parameters); the app words it in the user's language
(``kinerja/lib/coremessages.py``). These tests keep sentences out of the core's sources and keep
``Code`` exactly the set of codes the core uses, so the app can translate every one of them.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_core.errors import Code, CoreError, InputError, Message, Problem
from kinerja_core.formula import FormulaError, NotComputable

CORE = Path(__file__).resolve().parent.parent
SOURCES = sorted(CORE.glob("*.py"))

# Indonesian words of messages (not of the regulations' vocabulary below).
WORDS = {
    "tidak",
    "harus",
    "baris",
    "kolom",
    "nilai",
    "indikator",
    "tahun",
    "bukan",
    "belum",
    "masalah",
    "berkas",
    "tanggal",
    "rumus",
    "karakter",
    "pembagian",
}

# Data, not messages: the regulations' own names and answer labels, the plan's default bands,
# month names for dates on signed documents, and the headers operators type in survey files.
VOCABULARY = {
    "_SESUAI",
    "_BAIK",
    "ELEMENTS_2017",
    "ELEMENTS_2004",
    "GRADES_2017",
    "GRADES_2004",
    "METHODS",
    "DEFAULT_BANDS",
    "MONTHS_ID",
    "_ALIASES",
}

# Where the core builds an error or a reason, and which argument is the message.
BUILDERS = {"CoreError": 0, "FormulaError": 0, "NotComputable": 0, "Problem": 2}


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def vocabulary_nodes(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        if set(targets) & VOCABULARY:
            found |= {id(n) for n in ast.walk(node)}
    return found


def message_words(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = docstrings(tree) | vocabulary_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            words = set(re.findall(r"[a-z]+", node.value.lower())) & WORDS
            if words:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_it_scans_every_core_module() -> None:
    names = {p.name for p in SOURCES}
    assert {"formula.py", "ikm.py", "survey_csv.py", "periods.py", "errors.py"} <= names


def test_it_finds_the_words_it_looks_for() -> None:
    sample = CORE / "tests" / "test_messages.py"
    assert message_words(sample), "the scan must see the word list in this very file"


def test_no_core_source_holds_an_indonesian_message() -> None:
    found = [line for path in SOURCES for line in message_words(path)]
    assert found == [], "use a Code and let the app word it:\n" + "\n".join(found)


def test_errors_and_reasons_are_built_from_codes_not_text() -> None:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = BUILDERS.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.JoinedStr) or (
                isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.func.id}")
    assert found == []


def used_codes() -> set[str]:
    return {
        node.attr
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Code"
    }


def test_code_lists_exactly_the_codes_the_core_uses() -> None:
    assert used_codes() == {code.name for code in Code}


def test_codes_are_stable_dotted_names() -> None:
    values = [code.value for code in Code]
    assert len(set(values)) == len(values)
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", value) for value in values)


def test_an_error_carries_its_code_and_parameters() -> None:
    with pytest.raises(CoreError) as caught:
        from kinerja_core.numbers import parse_decimal

        parse_decimal("abc")
    assert caught.value.code is Code.NUMBER_INVALID
    assert caught.value.params == {"value": "abc"}
    assert str(caught.value) == "number.invalid(value='abc')"


def test_a_formula_error_carries_its_position_besides_its_code() -> None:
    from kinerja_core.formula import Formula

    with pytest.raises(FormulaError) as caught:
        Formula.parse("a ** 2")
    assert (caught.value.code, caught.value.params) == (
        Code.FORMULA_OPERATOR,
        {"operator": "Pow"},
    )
    assert caught.value.position == 2


def test_reasons_are_hashable_messages() -> None:
    reason = NotComputable(Message.of(Code.VALUE_DIVISION_BY_ZERO, operand="b"))
    assert reason == NotComputable(Message.of(Code.VALUE_DIVISION_BY_ZERO, operand="b"))
    assert {reason: 1}[reason] == 1
    assert isinstance(reason.reason, Message)
    assert reason.reason.params == {"operand": "b"}
    assert str(reason) == "value.division_by_zero(operand='b')"


def test_problems_locate_a_message_without_words() -> None:
    score = Message.of(Code.SCORE_INVALID, value=5)
    assert str(Problem(3, "U4", score)) == "3:U4: score.invalid(value=5)"
    assert str(Problem(None, "U4", score)) == ":U4: score.invalid(value=5)"
    assert str(Problem(2, None, score)) == "2:: score.invalid(value=5)"
    assert str(Problem(None, None, score)) == "score.invalid(value=5)"
    error = InputError([Problem(2, "U1", score), Problem(5, "U9", Message.of(Code.SCORE_EMPTY))])
    assert isinstance(error, CoreError) and error.code is Code.INPUT_INVALID
    assert error.params == {"count": 2}
    assert str(error) == "2:U1: score.invalid(value=5)\n5:U9: score.empty"


def test_a_parameter_keeps_its_type() -> None:
    message = Message.of(Code.ACHIEVEMENT_ZERO_TARGET, target=Decimal("0.00"))
    assert message.params["target"] == Decimal("0.00")
