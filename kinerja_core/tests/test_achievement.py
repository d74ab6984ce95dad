from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_core.achievement import (
    DEFAULT_BANDS,
    NOT_MEASURED,
    Band,
    TargetRange,
    achievement,
    classify,
)
from kinerja_core.errors import Code, CoreError, Message
from kinerja_core.formula import NotComputable
from kinerja_core.numbers import round_half_up

D = Decimal


def test_it_divides_realisation_by_target_when_higher_is_better() -> None:
    result = achievement(D("84.60"), D("91.48"))
    assert isinstance(result, Decimal)
    assert round_half_up(result, 10) == D("108.1323877069")
    assert achievement(D(20), D(25)) == D(125)
    assert achievement(D(40), D(10), "higher") == D(25)


def test_it_follows_the_regulation_example_when_lower_is_better() -> None:
    # PermenPANRB 53/2014 practice: target 7, realisation 6,5 → 107,14 %.
    result = achievement(D(7), D("6.5"), "lower")
    assert isinstance(result, Decimal)
    assert round_half_up(result, 2) == D("107.14")
    assert str(result).startswith("107.142857142857")
    assert achievement(D(7), D(7), "lower") == D(100)
    assert achievement(D(7), D(14), "lower") == D(0)


def test_it_is_on_target_anywhere_inside_a_range_whatever_the_polarity() -> None:
    band = TargetRange(D(80), D(90))
    for polarity in ("higher", "lower", "stable"):
        for inside in (D(80), D(85), D(90)):
            assert achievement(band, inside, polarity) == D(100)


def _shown(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return round_half_up(value, 2)


def test_a_range_above_its_band_is_better_when_higher_is_better() -> None:
    # docs/rules.md#capaian-range-targets: band 80–90, R 92 → 92 ÷ 90 = 102,22 %.
    assert _shown(achievement(TargetRange(D(80), D(90)), D(92), "higher")) == D("102.22")


def test_a_range_below_its_band_is_worse_when_higher_is_better() -> None:
    # band 80–90, R 78 → 78 ÷ 80 = 97,50 %.
    assert _shown(achievement(TargetRange(D(80), D(90)), D(78), "higher")) == D("97.50")


def test_a_range_below_its_band_is_better_when_lower_is_better() -> None:
    # band 7–8, R 6,5 → (2 × 7 − 6,5) ÷ 7 = 107,14 %.
    assert _shown(achievement(TargetRange(D(7), D(8)), D("6.5"), "lower")) == D("107.14")


def test_a_range_above_its_band_is_worse_when_lower_is_better() -> None:
    # band 7–8, R 9 → (2 × 8 − 9) ÷ 8 = 87,50 %.
    assert _shown(achievement(TargetRange(D(7), D(8)), D(9), "lower")) == D("87.50")


def test_a_stable_range_is_worse_on_both_sides() -> None:
    band = TargetRange(D(80), D(90))
    assert achievement(band, D(72), "stable") == D(90)  # 72 ÷ 80
    assert achievement(band, D(99), "stable") == D(90)  # (2 × 90 − 99) ÷ 90
    low_band = TargetRange(D(7), D(8))
    assert _shown(achievement(low_band, D("6.5"), "stable")) == D("92.86")
    assert _shown(achievement(low_band, D(9), "stable")) == D("87.50")


def test_a_stable_single_target_is_worse_on_both_sides() -> None:
    assert achievement(D(50), D(40), "stable") == D(80)
    assert achievement(D(50), D(60), "stable") == D(80)
    assert achievement(D(50), D(50), "stable") == D(100)
    assert isinstance(achievement(D(0), D(1), "stable"), NotComputable)


def test_it_refuses_an_unknown_polarity() -> None:
    with pytest.raises(CoreError):
        achievement(D(50), D(40), "sideways")  # type: ignore[arg-type]
    with pytest.raises(CoreError):
        achievement(TargetRange(D(7), D(8)), D(9), "sideways")  # type: ignore[arg-type]


def test_it_refuses_an_inverted_range() -> None:
    with pytest.raises(CoreError):
        TargetRange(D(90), D(80))


def test_it_is_not_computable_for_a_zero_target() -> None:
    result = achievement(D(0), D(5))
    assert isinstance(result, NotComputable)
    assert result.reason == Message.of(Code.ACHIEVEMENT_ZERO_TARGET, target=D(0))
    assert isinstance(achievement(D(0), D(5), "lower"), NotComputable)
    assert isinstance(achievement(TargetRange(D(0), D(10)), D(-1)), NotComputable)
    assert isinstance(achievement(None, D(5)), NotComputable)


def test_it_tells_not_measured_from_not_computable() -> None:
    assert achievement(D(20), None) is NOT_MEASURED
    assert NOT_MEASURED.reason == Message.of(Code.VALUE_NOT_MEASURED)
    other = NotComputable.of(Code.VALUE_DIVISION_BY_ZERO, operand="groups_total")
    assert achievement(D(20), other) is other
    assert achievement(D(20), other) != NOT_MEASURED
    assert achievement(D(20), D(0)) == D(0)


def test_it_caps_only_when_asked() -> None:
    assert achievement(D(20), D(50)) == D(250)
    assert achievement(D(20), D(50), cap=D(120)) == D(120)
    assert achievement(D(20), D(10), cap=D(120)) == D(50)


def test_it_classifies_with_default_bands() -> None:
    assert [b.key for b in DEFAULT_BANDS] == ["met", "near", "not_met"]
    assert DEFAULT_BANDS[0] == Band(D(100), "met", "Tercapai", "#1a7f37")
    assert DEFAULT_BANDS[1] == Band(D(85), "near", "Hampir tercapai", "#975a16")
    assert DEFAULT_BANDS[2] == Band(None, "not_met", "Tidak tercapai", "#c62828")
    assert classify(D(125)).key == "met"  # type: ignore[union-attr]  # a band is found
    assert classify(D(100)).key == "met"  # type: ignore[union-attr]  # a band is found
    assert classify(D("99.99")).key == "near"  # type: ignore[union-attr]  # a band is found
    assert classify(D(85)).key == "near"  # type: ignore[union-attr]  # a band is found
    assert classify(D("84.99")).key == "not_met"  # type: ignore[union-attr]  # a band is found
    assert classify(D(-5)).key == "not_met"  # type: ignore[union-attr]  # a band is found
    assert classify(NOT_MEASURED) is None
    assert classify(NotComputable.of(Code.VALUE_NOT_MEASURED)) is None


def test_it_classifies_the_value_as_displayed() -> None:
    # 99,996 is shown as "100,00"; calling it "Hampir tercapai" would contradict the table.
    assert classify(D("99.996")).key == "met"  # type: ignore[union-attr]  # a band is found
    assert classify(D("99.994")).key == "near"  # type: ignore[union-attr]  # a band is found


def test_it_classifies_with_custom_bands_in_any_order() -> None:
    bands = (
        Band(None, "bad", "Buruk", "#000000"),
        Band(D(90), "good", "Baik", "#00ff00"),
    )
    assert classify(D(95), bands).key == "good"  # type: ignore[union-attr]  # a band is found
    assert classify(D(50), bands).key == "bad"  # type: ignore[union-attr]  # a band is found
    assert classify(D(50), (Band(D(60), "ok", "Ok", "#fff"),)) is None
