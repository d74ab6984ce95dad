from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja_core.errors import Code, CoreError, InputError, Message
from kinerja_core.formula import NotComputable
from kinerja_core.ikm import (
    DEFAULT_METHOD,
    ELEMENTS_2017,
    METHODS,
    Tally,
    compute_ikm,
    get_method,
    grade_of,
    ikm_index,
    ikm_value,
    to_dict,
)

D = Decimal
CODES = [f"U{i}" for i in range(1, 10)]
WORKED_TOTALS = [105, 101, 100, 116, 102, 105, 106, 115, 105]


def column(total: int, n: int = 29) -> list[int]:
    """n scores of 3 and 4 summing to ``total`` (3n ≤ total ≤ 4n)."""
    fours = total - 3 * n
    assert 0 <= fours <= n
    return [4] * fours + [3] * (n - fours)


def worked_example_responses() -> list[dict[str, int]]:
    columns = [column(t) for t in WORKED_TOTALS]
    return [{code: columns[i][row] for i, code in enumerate(CODES)} for row in range(29)]


def uniform(score: int, n: int = 1) -> list[dict[str, int]]:
    return [dict.fromkeys(CODES, score) for _ in range(n)]


# The regulation's worked example comes first: everything else builds on it.
def test_it_reproduces_the_worked_example() -> None:
    responses = worked_example_responses()
    tally = Tally.from_responses(responses)
    assert tally.respondents == 29
    assert [tally.totals[c] for c in CODES] == WORKED_TOTALS
    assert tally.sum_s == 955
    result = compute_ikm(tally)
    assert result.respondents == 29
    # IKM = 955 / (29 × 9) × 25 = 91,4750957854…
    assert str(result.ikm).startswith("91.47509578544061302681992337")
    assert result.ikm_rounded == D("91.48")
    assert result.grade.letter == "A"
    assert result.grade.label == "Sangat Baik"
    assert result.method.name == DEFAULT_METHOD == "permenpanrb-14-2017"


def test_it_reports_each_element() -> None:
    result = compute_ikm(Tally.from_responses(worked_example_responses()))
    assert [e.code for e in result.elements] == CODES
    u4 = result.elements[3]
    assert (u4.name, u4.total, u4.nrr, u4.ikm, u4.grade.letter) == (
        "Biaya/Tarif",
        116,
        Decimal(4),
        Decimal(100),
        "A",
    )
    u3 = result.elements[2]
    assert str(u3.nrr).startswith("3.448275862068965517241379310")
    assert u3.grade.letter == "B"  # 86,21
    assert result.elements[7].name == "Penanganan Pengaduan, Saran dan Masukan"
    assert result.elements[8].name == "Sarana dan Prasarana"
    assert [e.code for e in result.lowest(2)] == ["U3", "U2"]


def test_it_gives_exactly_100_for_all_fours_with_exact_weights() -> None:
    result = compute_ikm(Tally.from_responses(uniform(4, 7)))
    assert result.ikm == 100
    assert str(result.ikm_rounded) == "100.00"
    assert compute_ikm(Tally.from_responses(uniform(1, 3))).ikm == 25


def test_it_gives_99_90_with_the_rounded_weight_option() -> None:
    method = METHODS["permenpanrb-14-2017-rounded-weight"]
    assert method.weight == D("0.111")
    assert "0,111" in method.label
    result = compute_ikm(Tally.from_responses(uniform(4, 7)), method)
    assert result.ikm == D("99.9")
    assert str(result.ikm_rounded) == "99.90"


def test_it_uses_an_exact_one_ninth_weight() -> None:
    method = get_method(DEFAULT_METHOD)
    assert method.weight is None
    assert method.exact_weight == Fraction(1, 9)
    assert len(method.elements) == 9
    assert METHODS["kepmenpan-25-2004"].exact_weight == Fraction(1, 14)


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),
        ("88.30", "B"),
        ("88.3049", "B"),
        ("76.61", "B"),
        ("76.605", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.995", "C"),
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_it_grades_the_value_rounded_to_two_decimals(value: str, letter: str) -> None:
    assert grade_of(D(value), get_method(DEFAULT_METHOD)).letter == letter


def test_it_labels_the_grades() -> None:
    grades = get_method(DEFAULT_METHOD).grades
    assert [(g.letter, g.label, g.minimum) for g in grades] == [
        ("A", "Sangat Baik", D("88.31")),
        ("B", "Baik", D("76.61")),
        ("C", "Kurang Baik", D("65.00")),
        ("D", "Tidak Baik", D("25.00")),
    ]


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("43.75", "D"),
        ("43.76", "C"),
        ("62.50", "C"),
        ("62.51", "B"),
        ("81.25", "B"),
        ("81.26", "A"),
    ],
)
def test_it_knows_the_2004_bands(value: str, letter: str) -> None:
    assert grade_of(D(value), get_method("kepmenpan-25-2004")).letter == letter


def test_it_defines_the_2017_elements_in_regulation_order() -> None:
    assert [(e.code, e.name) for e in ELEMENTS_2017] == [
        ("U1", "Persyaratan"),
        ("U2", "Sistem, Mekanisme, dan Prosedur"),
        ("U3", "Waktu Penyelesaian"),
        ("U4", "Biaya/Tarif"),
        ("U5", "Produk Spesifikasi Jenis Pelayanan"),
        ("U6", "Kompetensi Pelaksana"),
        ("U7", "Perilaku Pelaksana"),
        ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
        ("U9", "Sarana dan Prasarana"),
    ]
    assert ELEMENTS_2017[3].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert ELEMENTS_2017[7].labels == (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    )
    assert ELEMENTS_2017[8].labels == ("Buruk", "Cukup", "Baik", "Sangat Baik")


def test_it_defines_the_2004_method() -> None:
    method = get_method("kepmenpan-25-2004")
    assert [e.code for e in method.elements] == [f"U{i}" for i in range(1, 15)]
    assert method.elements[0].name == "Prosedur pelayanan"
    assert method.elements[13].name == "Keamanan pelayanan"
    assert method.elements[5].labels == ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
    responses = [dict.fromkeys((e.code for e in method.elements), 3)]
    assert compute_ikm(Tally.from_responses(responses, method), method).ikm == 75


def bogor_2011() -> Tally:
    """A tally whose 14 NRRs add up to 42,066, as in Kab. Bogor's published 2011 survey: 1 000
    respondents, element totals 3 005 (ten of them) and 3 004 (four)."""
    totals = {f"U{i}": 3005 if i <= 10 else 3004 for i in range(1, 15)}
    tally = Tally(1000, totals)
    assert Fraction(tally.sum_s, tally.respondents) == Fraction("42.066")
    return tally


def test_it_reproduces_the_2004_values_published_with_the_rounded_weight() -> None:
    # Offices printed the 2004 IKM with the weight 0,071: 42,066 × 0,071 × 25 = 74,667… → 74,67
    # (docs/rules.md#ikm-rounded-weight).
    method = get_method("kepmenpan-25-2004-rounded-weight")
    assert method.weight == D("0.071")
    assert "0,071" in method.label
    assert method.elements == get_method("kepmenpan-25-2004").elements
    result = compute_ikm(bogor_2011(), method)
    assert result.ikm == D("74.66715")
    assert result.ikm_rounded == D("74.67")
    assert result.grade.letter == "B"
    fours = [dict.fromkeys(method.codes, 4)]
    assert compute_ikm(Tally.from_responses(fours, method), method).ikm == D("99.4")


def test_it_gives_the_exact_2004_value_with_one_fourteenth() -> None:
    result = compute_ikm(bogor_2011(), "kepmenpan-25-2004")
    assert result.ikm_rounded == D("75.12")  # 42,066 ÷ 14 × 25 = 75,1178…
    assert result.grade.letter == "B"


def test_the_index_alone_equals_the_whole_result_to_the_last_digit() -> None:
    # The engine's figure, 25 · w · Σ totals ÷ n in one fraction, is the sum element by element.
    worked = Tally.from_responses(worked_example_responses())
    assert ikm_index(worked) == compute_ikm(worked).ikm
    assert str(ikm_index(worked)).startswith("91.47509578544061302681992337")
    rounded = get_method("kepmenpan-25-2004-rounded-weight")
    assert ikm_index(bogor_2011(), rounded) == D("74.66715")
    assert (
        ikm_index(bogor_2011(), "kepmenpan-25-2004")
        == compute_ikm(bogor_2011(), "kepmenpan-25-2004").ikm
    )


def test_the_index_alone_refuses_what_the_whole_result_refuses() -> None:
    with pytest.raises(CoreError) as info:
        ikm_index(Tally.empty())
    assert info.value.code is Code.IKM_NO_RESPONDENTS
    with pytest.raises(CoreError) as info:
        ikm_index(Tally.from_responses(uniform(3, 2)), "kepmenpan-25-2004")
    assert info.value.code is Code.IKM_TALLY_MISMATCH


def test_it_lists_valid_names_for_an_unknown_method() -> None:
    with pytest.raises(CoreError) as info:
        get_method("permenpanrb-16-2014")
    for name in METHODS:
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (0, Code.SCORE_INVALID),
        (5, Code.SCORE_INVALID),
        ("3.5", Code.SCORE_INVALID),
        (3.0, Code.SCORE_INVALID),
        (True, Code.SCORE_INVALID),
        (None, Code.SCORE_EMPTY),
        (" ", Code.SCORE_EMPTY),
    ],
)
def test_it_rejects_bad_scores_naming_row_and_field(bad: object, code: Code) -> None:
    responses: list[dict[str, object]] = [dict.fromkeys(CODES, 3) for _ in range(3)]
    responses[1]["U4"] = bad
    with pytest.raises(InputError) as info:
        Tally.from_responses(responses)  # type: ignore[arg-type]  # bad scores on purpose
    [problem] = info.value.problems
    assert (problem.row, problem.field) == (2, "U4")
    assert problem.message == (
        Message.of(code) if code is Code.SCORE_EMPTY else Message.of(code, value=bad)
    )
    assert str(info.value).startswith("2:U4: score.")


def test_it_rejects_a_missing_element_and_collects_all_problems() -> None:
    responses: list[dict[str, int]] = [dict.fromkeys(CODES, 3) for _ in range(4)]
    del responses[0]["U9"]
    responses[2]["U1"] = 7
    responses[2]["U2"] = 0
    with pytest.raises(InputError) as info:
        Tally.from_responses(responses)
    assert [(p.row, p.field) for p in info.value.problems] == [(1, "U9"), (3, "U1"), (3, "U2")]


def test_it_adds_tallies() -> None:
    responses = worked_example_responses()
    left = Tally.from_responses(responses[:10])
    right = Tally.from_responses(responses[10:])
    whole = Tally.from_responses(responses)
    assert left + right == whole
    assert sum([left, right], Tally.empty()) == whole
    assert compute_ikm(left + right).ikm == compute_ikm(whole).ikm


def test_it_refuses_a_tally_of_another_method() -> None:
    tally = Tally.from_responses(uniform(3, 2))
    with pytest.raises(CoreError):
        compute_ikm(tally, "kepmenpan-25-2004")


def test_it_builds_a_tally_from_database_rollups() -> None:
    tally = Tally(respondents=29, totals=dict(zip(CODES, WORKED_TOTALS, strict=True)))
    assert tally.sum_s == 955
    assert tally.sum_s2 is None
    result = compute_ikm(tally)
    assert result.ikm_rounded == D("91.48")
    assert result.ci95 is None
    assert not result.crosses_grade_edge


def test_it_handles_no_respondents() -> None:
    assert ikm_value(Tally.empty()) == NotComputable.of(Code.IKM_NO_RESPONDENTS)
    with pytest.raises(CoreError) as info:
        compute_ikm(Tally.empty())
    assert info.value.code is Code.IKM_NO_RESPONDENTS
    value = ikm_value(Tally.from_responses(worked_example_responses()))
    assert isinstance(value, Decimal)
    assert value > 91


def test_it_computes_a_95_percent_interval_by_hand() -> None:
    # Respondent IKMs 100, 75, 50: mean 75, sample sd 25, half-width 1,96 × 25 / √3 = 28,2902.
    tally = Tally.from_responses(uniform(4) + uniform(3) + uniform(2))
    assert (tally.sum_s, tally.sum_s2) == (81, 36**2 + 27**2 + 18**2)
    result = compute_ikm(tally)
    assert result.ikm == 75
    assert result.ci95 is not None
    low, high = result.ci95
    assert round(low, 4) == D("46.7098")
    # 75 + 28,2902 = 103,29 lies beyond the scale: the interval stops at 100.
    assert high == 100
    assert result.crosses_grade_edge


def test_it_shrinks_the_interval_with_the_finite_population_correction() -> None:
    tally = Tally.from_responses(uniform(4) + uniform(3) + uniform(2))
    result = compute_ikm(tally, population=10)
    assert result.ci95 is not None
    low, high = result.ci95
    # × √((10 − 3) / (10 − 1)) = 0,881917…: half-width 24,9496
    assert round(low, 4) == D("50.0504")
    assert round(high, 4) == D("99.9496")
    assert result.sample_target == 10
    unknown = compute_ikm(tally)
    assert unknown.sample_target is None
    # A population not larger than the sample gives no correction (the count is suspect).
    assert compute_ikm(tally, population=3).ci95 == unknown.ci95


def test_it_does_not_flag_an_interval_inside_one_grade() -> None:
    almost = dict.fromkeys(CODES, 4)
    almost["U1"] = 3
    result = compute_ikm(Tally.from_responses(uniform(4) + [almost]))
    assert result.ci95 is not None
    low, high = result.ci95
    assert D("95") < low < high <= D("100")
    assert not result.crosses_grade_edge


def test_it_clips_the_interval_to_the_scale_of_the_method() -> None:
    tally = Tally.from_responses(uniform(4) + uniform(1))
    low, high = compute_ikm(tally).ci95 or (None, None)
    assert (low, high) == (Decimal(25), Decimal(100))
    low, high = compute_ikm(tally, "permenpanrb-14-2017-rounded-weight").ci95 or (None, None)
    assert (low, high) == (D("24.975"), D("99.9"))


def test_it_has_no_interval_for_one_respondent() -> None:
    result = compute_ikm(Tally.from_responses(uniform(3)))
    assert result.ci95 is None
    assert not result.crosses_grade_edge
    constant = compute_ikm(Tally.from_responses(uniform(3, 5)))
    assert constant.ci95 == (D(75), D(75))


def test_it_serialises_to_the_json_contract() -> None:
    result = compute_ikm(Tally.from_responses(worked_example_responses()), population=100)
    data = to_dict(result)
    assert list(data) == [
        "method",
        "respondents",
        "ikm",
        "grade",
        "performance",
        "ci95",
        "elements",
    ]
    assert data["method"] == "permenpanrb-14-2017"
    assert data["respondents"] == 29
    assert data["ikm"] == 91.48
    assert data["grade"] == "A"
    assert data["performance"] == "Sangat Baik"
    assert isinstance(data["ci95"], list)
    assert len(data["ci95"]) == 2
    assert data["elements"][2] == {
        "code": "U3",
        "name": "Waktu Penyelesaian",
        "total": 100,
        "nrr": 3.4483,
        "ikm": 86.21,
        "grade": "B",
    }
    assert json.loads(json.dumps(data)) == data
    no_ci = to_dict(compute_ikm(Tally.from_responses(uniform(3))))
    assert no_ci["ci95"] is None
    assert "null" in json.dumps(no_ci)
