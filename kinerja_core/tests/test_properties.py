"""Property tests: the formula parser only ever raises FormulaError, and evaluation and
IKM tallies obey the arithmetic they claim."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_core.formula import Formula, FormulaError, NotComputable
from kinerja_core.ikm import Tally, compute_ikm, ikm_index
from kinerja_core.numbers import format_decimal, parse_decimal, round_half_up

ALPHABET = st.sampled_from(
    list("abxyz_019 .+-*/()%,[]'\"=<>!@#&|^~:;×÷−é\n\t") + ["**", "prev", "min", "max", "abs", "__"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_it_only_raises_formula_errors_on_arbitrary_text(text: str) -> None:
    try:
        formula = Formula.parse(text)
    except FormulaError as error:
        assert 0 <= error.position <= len(text)
        return
    values = dict.fromkeys(formula.variables, Decimal(2))
    result = formula.evaluate(values, values)
    assert isinstance(result, Decimal | NotComputable)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_it_only_raises_formula_errors_on_any_unicode(text: str) -> None:
    try:
        Formula.parse(text)
    except FormulaError as error:
        assert 0 <= error.position <= len(text)


def expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(["a", "b", "c", "prev(a)", "prev(c)"]),
        st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(
            lambda d: f"({d})"
        ),
    )

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(children, st.sampled_from("+-*/"), children).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            children.map(lambda c: f"-{c}"),
            st.tuples(children, children).map(lambda t: f"min({t[0]}, {t[1]})"),
            children.map(lambda c: f"abs({c})"),
        )

    return st.recursive(leaves, extend, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(
    expressions(),
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.one_of(st.none(), st.integers(-50, 50).map(Decimal)),
    ),
)
def test_it_never_raises_while_evaluating(text: str, values: dict[str, Decimal | None]) -> None:
    try:
        formula = Formula.parse(text)
    except FormulaError:
        return  # only nesting limits can refuse generated text
    result = formula.evaluate(values, values)
    assert isinstance(result, Decimal | NotComputable)
    if any(values.get(name) is None for name in formula.variables):
        assert isinstance(result, NotComputable)


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_it_adds_exactly(a: int, b: int) -> None:
    x, y = Decimal(a) / 100, Decimal(b) / 100
    assert Formula.parse("x + y").evaluate({"x": x, "y": y}) == x + y


responses = st.lists(
    st.fixed_dictionaries({f"U{i}": st.integers(1, 4) for i in range(1, 10)}),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(responses, responses)
def test_it_matches_the_direct_definition_and_adds_tallies(
    left: list[dict[str, int]], right: list[dict[str, int]]
) -> None:
    everything = left + right
    total = sum(sum(r.values()) for r in everything)
    expected = Fraction(total * 25, len(everything) * 9)
    result = compute_ikm(Tally.from_responses(left) + Tally.from_responses(right))
    assert result == compute_ikm(Tally.from_responses(everything))
    assert abs(Fraction(result.ikm) - expected) < Fraction(1, 10**40)
    assert Decimal(25) <= result.ikm <= Decimal(100)
    if result.ci95 is not None:
        assert result.ci95[0] <= result.ikm <= result.ci95[1]


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_it_round_trips_formatted_numbers(value: Decimal) -> None:
    for lang in ("id", "en"):
        assert parse_decimal(format_decimal(value, 4, lang)) == round_half_up(value, 4)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**7).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.integers(min_value=n, max_value=4 * n), min_size=9, max_size=9)
        )
    )
)
def test_the_index_alone_is_the_whole_results_index(drawn: tuple[int, list[int]]) -> None:
    n, totals = drawn
    tally = Tally(n, {f"U{i}": total for i, total in enumerate(totals, start=1)})
    assert ikm_index(tally) == compute_ikm(tally).ikm
