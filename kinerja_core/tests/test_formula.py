from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_core.errors import Code
from kinerja_core.formula import (
    MAX_LENGTH,
    Formula,
    FormulaError,
    NotComputable,
    identical_ratio,
)

SEED = Path("/work/shared/seed/iku-kecamatan-wonoasih.txt")

# (text, position of the fault): every one must be refused at parse time, before evaluation.
REJECTED: list[tuple[str, int]] = [
    ("__import__('os')", 0),
    ("().__class__", 0),
    ("a.b", 0),
    ("a[0]", 1),
    ("lambda: 1", 0),
    ("9**9**9", 1),
    ("a ** 2", 2),
    ("f(x)", 0),
    ("eval(a)", 0),
    ("prev(a+b)", 5),
    ("prev()", 0),
    ("prev(a, b)", 0),
    ("prev(1)", 5),
    ("min(*a)", 4),
    ("max(a, key=b)", 11),
    ("min(a)", 0),
    ("abs(a, b)", 0),
    ("x" * 10_000, MAX_LENGTH),
    ("a if b else c", 0),
    ("[x for x in y]", 0),
    ("(x for x in y)", 0),
    ('"s"', 0),
    ("'é'", 1),
    ("a + ʼ", 4),
    ("ａ", 0),
    ("a // b", 2),
    ("a % b", 2),
    ("a @ b", 2),
    ("a & b", 2),
    ("~a", 0),
    ("not a", 0),
    ("a < b", 0),
    ("a and b", 0),
    ("True", 0),
    ("None", 0),
    ("...", 0),
    ("1j", 0),
    ("0x10", 0),
    ("1e999", 0),
    ("A + b", 0),
    ("_a", 0),
    ("__class__", 0),
    ("prev", 0),
    ("a + prev", 4),
    ("(a := 1)", 1),
    ("{a}", 0),
    ("a +", 3),
    ("(a + b", 0),
    ("a + b)", 5),
    ("", 0),
    ("   ", 0),
    ("a; b", 1),
    ("-" * 40 + "a", 30),
    ("(" * 31 + "a" + ")" * 31, 30),
]


@pytest.mark.parametrize(("text", "position"), REJECTED, ids=lambda v: repr(v)[:30])
def test_it_rejects_everything_outside_the_whitelist(text: str, position: int) -> None:
    with pytest.raises(FormulaError) as info:
        Formula.parse(text)
    assert info.value.position == position
    assert str(info.value).startswith(f"{position}: formula.")
    assert info.value.code in Code


def test_it_checks_length_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("ast.parse must not see over-long input")

    monkeypatch.setattr(ast, "parse", boom)
    with pytest.raises(FormulaError) as info:
        Formula.parse("a+" * 300 + "a")
    assert (info.value.code, info.value.params) == (Code.FORMULA_TOO_LONG, {"limit": MAX_LENGTH})


def test_it_accepts_exactly_max_length() -> None:
    text = "a" * MAX_LENGTH
    assert Formula.parse(text).variables == {text}


def test_it_reports_positions_after_leading_whitespace() -> None:
    with pytest.raises(FormulaError) as info:
        Formula.parse("   a ** 2")
    assert info.value.position == 5
    assert info.value.text == "   a ** 2"


def test_it_accepts_pasted_unicode_operators_keeping_positions() -> None:
    f = Formula.parse("(a − b) ÷ c × 100")
    assert f.evaluate({"a": 5, "b": 3, "c": 4}) == Decimal("50")
    with pytest.raises(FormulaError) as info:
        Formula.parse("a × b ÷ c ** 2")
    assert info.value.position == 10


def test_it_accepts_multi_line_formulas() -> None:
    f = Formula.parse("(a\n + b)\n / 2")
    assert f.evaluate({"a": 1, "b": 2}) == Decimal("1.5")


def test_it_lists_variables_current_and_previous() -> None:
    f = Formula.parse("(cakupan_pemas - prev(cakupan_pemas)) / prev(cakupan_pemas) * 100 + x2")
    assert f.variables == {"cakupan_pemas", "x2"}
    assert f.current_variables == {"cakupan_pemas", "x2"}
    assert f.previous_variables == {"cakupan_pemas"}
    g = Formula.parse("prev(a) + b")
    assert g.current_variables == {"b"}
    assert g.previous_variables == {"a"}
    assert g.variables == {"a", "b"}
    assert g.text == "prev(a) + b"


def test_it_evaluates_in_exact_decimal() -> None:
    assert Formula.parse("0.1 + 0.2").evaluate({}) == Decimal("0.3")
    assert Formula.parse("a + b").evaluate({"a": Decimal("0.1"), "b": Decimal("0.2")}) == Decimal(
        "0.3"
    )
    result = Formula.parse("1 / 3").evaluate({})
    assert isinstance(result, Decimal)
    assert str(result).startswith("0.3333333333333333333333333333")
    assert Formula.parse("10 * 3 - -2 + +1").evaluate({}) == Decimal("33")
    assert Formula.parse("1_000 / 8").evaluate({}) == Decimal("125")
    assert Formula.parse("2.5e1").evaluate({}) == Decimal("25")


def test_it_computes_the_seed_facilitated_percentage() -> None:
    f = Formula.parse("groups_facilitated / groups_total * 100")
    assert f.evaluate({"groups_facilitated": 12, "groups_total": 48}) == Decimal("25")


def test_it_computes_the_year_on_year_increase_with_prev() -> None:
    f = Formula.parse("(cakupan_pemas - prev(cakupan_pemas)) / prev(cakupan_pemas) * 100")
    assert f.evaluate({"cakupan_pemas": Decimal("60")}, {"cakupan_pemas": Decimal("50")}) == 20
    missing = NotComputable.of(Code.VALUE_MISSING_PREVIOUS, name="cakupan_pemas")
    assert f.evaluate({"cakupan_pemas": 60}, {}) == missing
    assert f.evaluate({"cakupan_pemas": 60}) == missing


def test_it_names_the_denominator_on_division_by_zero() -> None:
    f = Formula.parse("(cakupan_pemas - prev(cakupan_pemas)) / prev(cakupan_pemas) * 100")

    def by_zero(operand: str) -> NotComputable:
        return NotComputable.of(Code.VALUE_DIVISION_BY_ZERO, operand=operand)

    assert f.evaluate({"cakupan_pemas": 60}, {"cakupan_pemas": 0}) == by_zero("prev(cakupan_pemas)")
    g = Formula.parse("groups_facilitated / groups_total * 100")
    assert g.evaluate({"groups_facilitated": 0, "groups_total": 0}) == by_zero("groups_total")
    h = Formula.parse("a / (b - c)")
    assert h.evaluate({"a": 1, "b": 2, "c": 2}) == by_zero("b - c")
    assert Formula.parse("a ÷ (b − c)").evaluate({"a": 1, "b": 2, "c": 2}) == by_zero("b − c")


def test_it_never_returns_zero_for_missing_data() -> None:
    f = Formula.parse("a * 0 + b")
    missing = NotComputable.of(Code.VALUE_MISSING, name="a")
    assert f.evaluate({"b": 1}) == missing
    assert f.evaluate({"a": None, "b": 1}) == missing


def test_it_propagates_a_not_computable_input() -> None:
    reason = NotComputable.of(Code.IKM_NO_RESPONDENTS)
    f = Formula.parse("max(ikm, 0) + 1")
    assert f.evaluate({"ikm": reason}) is reason
    assert Formula.parse("prev(ikm)").evaluate({}, {"ikm": reason}) is reason


def test_it_evaluates_min_max_abs() -> None:
    assert Formula.parse("min(a, b, 3)").evaluate({"a": 5, "b": 4}) == 3
    assert Formula.parse("max(a, b, 3)").evaluate({"a": 5, "b": 4}) == 5
    assert Formula.parse("abs(a - b)").evaluate({"a": 4, "b": 5}) == 1
    assert Formula.parse("min(100, a / b * 100)").evaluate({"a": 3, "b": 2}) == 100


def test_it_turns_arithmetic_overflow_into_not_computable() -> None:
    f = Formula.parse("a * a * a")
    result = f.evaluate({"a": Decimal("1e400000")})
    assert isinstance(result, NotComputable)


def test_it_accepts_float_inputs_through_their_text() -> None:
    assert Formula.parse("a + b").evaluate({"a": 0.1, "b": 0.2}) == Decimal("0.3")  # type: ignore[dict-item]  # floats on purpose


def test_it_compares_formulas_by_structure() -> None:
    assert Formula.parse("(a+b)/2") == Formula.parse("( a + b ) / 2")
    assert hash(Formula.parse("a*b")) == hash(Formula.parse("a × b"))
    assert Formula.parse("a") != Formula.parse("b")


def test_it_flags_identical_ratio_in_a_formula() -> None:
    assert identical_ratio("a / a") is not None
    assert identical_ratio("(a+b)/(a+b)*100") is not None
    assert identical_ratio("x + ((a + b) / (a+b)) * 100") is not None
    assert identical_ratio("a / b * 100") is None
    assert identical_ratio("(a+b)/(b+a)") is None


def _seed_nb() -> str:
    match = re.search(r"\$\$(.*?)\$\$", SEED.read_text(encoding="utf-8"), re.S)
    assert match is not None
    return match.group(0)


def test_it_flags_the_seed_nb_formula() -> None:
    nb = _seed_nb()
    assert nb == (
        "$$\\frac{\\sum \\text{Kelompok Masyarakat dan Lembaga masyarakat total yang telah"
        " dibina hingga Tahun N}}{\\sum \\text{Kelompok Masyarakat dan Lembaga masyarakat"
        " total yang telah dibina hingga Tahun N}}$$"
    )
    description = identical_ratio(nb)
    assert description is not None and description.code is Code.FORMULA_IDENTICAL_RATIO
    operand = str(description.params["operand"])
    assert "Kelompok Masyarakat dan Lembaga masyarakat total yang telah dibina" in operand


def test_it_does_not_flag_the_seed_s1_and_t1_formulas() -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if "\\frac" in line]
    s1 = next(line for line in lines if "difasilitasi}}" in line)
    t1 = next(line for line in lines if "Cakupan Pemas Tahun N-1" in line)
    s1_formula = re.search(r"\$(.*)\$", s1)
    assert s1_formula is not None
    assert identical_ratio(s1_formula.group(0)) is None
    assert identical_ratio(s1) is None
    assert identical_ratio(t1) is None


def test_it_flags_identical_latex_after_whitespace_and_case_normalisation() -> None:
    assert identical_ratio(r"\frac{ Jumlah  Kelompok }{jumlah kelompok} \times 100\%") is not None
    assert identical_ratio(r"\dfrac{A}{\frac{B}{B}}") is not None
    assert identical_ratio(r"\frac{A}{B}") is None
    assert identical_ratio(r"\frac{A}") is None


def test_it_flags_identical_plain_text_ratio() -> None:
    assert identical_ratio("Jumlah kelompok ÷ Jumlah kelompok × 100%") is not None
    assert identical_ratio("Cakupan = Σ kelompok dibina / Σ kelompok dibina x 100 %") is not None
    assert identical_ratio("(Σ kelompok) / (Σ Kelompok)") is not None
    assert identical_ratio("Σ kelompok dibina / Σ kelompok x 100 %") is None
    assert identical_ratio("Hasil Survey Kepuasan Masyarakat") is None
    assert identical_ratio("Kelompok dan/atau Lembaga") is None
