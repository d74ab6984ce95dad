"""Every code the core can give has words, and the words are those users read before.

The core raises codes with parameters (``kinerja_core/errors.py``); ``coremessages`` words them.
The sentences below are the core's own Indonesian messages from before it spoke in codes: pages,
commands and stored results must read exactly as they did.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from kinerja.lib import coremessages
from kinerja_core.achievement import NO_TARGET, NOT_MEASURED, achievement
from kinerja_core.coverage import CoverageCounts, increase_percent, percent
from kinerja_core.errors import Code, CoreError, InputError, Message, Problem
from kinerja_core.formula import Formula, FormulaError, NotComputable, identical_ratio
from kinerja_core.ikm import NO_RESPONDENTS, Tally, get_method
from kinerja_core.numbers import parse_decimal
from kinerja_core.periods import Period
from kinerja_core.survey_csv import iter_survey_records

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def catalog() -> dict[str, str]:
    """msgid → msgstr of the project's own catalog (the one this module's msgids live in)."""
    text = PO.read_text(encoding="utf-8")
    found = {}
    for block in text.split("\n\n"):
        parts = re.findall(r'^(msgid|msgstr) ((?:".*"\n?)+)', block + "\n", re.MULTILINE)
        entry = {key: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', value)) for key, value in parts}
        if entry.get("msgid"):
            found[entry["msgid"].replace('\\"', '"')] = entry.get("msgstr", "")
    return found


def test_every_code_the_core_can_give_has_a_message() -> None:
    assert set(coremessages.MESSAGES) == set(Code)


def test_every_message_and_word_has_an_indonesian_translation() -> None:
    translated = catalog()
    msgids = [*coremessages.MESSAGES.values()]
    msgids += [msgid for words in coremessages.WORDS.values() for msgid in words.values()]
    missing = [msgid for msgid in msgids if not translated.get(msgid)]
    assert missing == []
    for msgid in coremessages.MESSAGES.values():
        assert set(PLACEHOLDER.findall(translated[msgid])) == set(PLACEHOLDER.findall(msgid))
    with translation.override("id"):
        assert all(translation.gettext(m) != m for m in coremessages.MESSAGES.values())


def formula_error(text: str) -> str:
    with pytest.raises(FormulaError) as caught:
        Formula.parse(text)
    return coremessages.error_text(caught.value)


def core_error(call: object) -> str:
    with pytest.raises(CoreError) as caught:
        call()  # type: ignore[operator]
    return coremessages.error_text(caught.value)


def survey_problems(text: str, **limits: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        records = iter_survey_records(io.StringIO(text), **{"order": "regulation", **limits})  # type: ignore[arg-type]
        for _chunk in records:
            pass
    return coremessages.problem_texts(caught.value.problems)


HEADER = (
    "submitted_at,service,gender,age,education,occupation,U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion"
)
ROW = "2024-03-05,ktp,L,40,SMA,Swasta,4,4,4,4,4,4,4,4,4,"


def test_formula_errors_read_as_before() -> None:
    with translation.override("id"):
        assert formula_error("a ** 2") == "posisi 2: operator tidak diizinkan: pangkat (**)"
        assert formula_error("a.b") == "posisi 0: tidak diizinkan dalam rumus: akses atribut (a.b)"
        assert formula_error("a" * 501) == (
            "posisi 500: rumus terlalu panjang (maksimum 500 karakter)"
        )
        assert formula_error("a € b") == "posisi 2: karakter tidak diizinkan: '€'"
        assert formula_error("prev(a + b)") == (
            "posisi 5: argumen prev() harus satu nama ukuran, bukan ekspresi"
        )
        assert formula_error("prev + 1") == (
            "posisi 0: prev adalah fungsi dan harus dipanggil: prev(...)"
        )
        assert formula_error("(a + b") == "posisi 0: tanda kurung tidak ditutup"
        assert formula_error("a < b") == "posisi 0: tidak diizinkan dalam rumus: perbandingan"
        assert formula_error("lambda: 1") == "posisi 0: tidak diizinkan dalam rumus: lambda"
        assert formula_error("max(a)") == "posisi 0: max() memerlukan sedikitnya dua argumen"
        same = identical_ratio("(a + b) / (a + b)")
        assert same is not None
        assert coremessages.text(same) == "pembilang sama dengan penyebut: a + b"


def test_reasons_read_as_before() -> None:
    quotient = Formula.parse("a / (b - c)")
    growth = Formula.parse("(x - prev(x)) / prev(x)")
    reasons = {
        quotient.evaluate({"b": 1, "c": 1}): "data tidak tersedia: a",
        quotient.evaluate({"a": 1, "b": 2, "c": 2}): "pembagian dengan nol: b - c = 0",
        growth.evaluate({"x": 1}): "data periode sebelumnya tidak tersedia: x",
        NOT_MEASURED: "belum diukur",
        NO_TARGET: "target belum ditetapkan",
        achievement(Decimal(0), Decimal(5)): (
            "target = 0: capaian tidak dapat dihitung (pembagian dengan nol)"
        ),
        NO_RESPONDENTS: "belum ada responden",
        CoverageCounts(0, 0, 0).fostered_percent: (
            "pembagian dengan nol: jumlah kelompok dan lembaga = 0"
        ),
        percent(1, 0): "pembagian dengan nol: penyebut = 0",
        increase_percent(Decimal(5), Decimal(0)): (
            "pembagian dengan nol: nilai periode sebelumnya = 0"
        ),
    }
    with translation.override("id"):
        for value, expected in reasons.items():
            assert isinstance(value, NotComputable)
            assert coremessages.reason(value) == expected
    with translation.override("en"):
        assert coremessages.reason(NOT_MEASURED) == "not measured yet"


def test_errors_read_as_before() -> None:
    with translation.override("id"):
        assert core_error(lambda: parse_decimal("abc")) == "bukan angka: 'abc'"
        assert core_error(lambda: Period.parse("2024-13")) == (
            "bulan tidak valid dalam kunci periode: '2024-13'"
        )
        assert core_error(lambda: Period.parse("kemarin")) == (
            "kunci periode tidak valid: 'kemarin' (contoh: 2024, 2024-S1, 2024-Q3, 2024-07)"
        )
        assert core_error(lambda: get_method("x")).startswith("metode IKM tidak dikenal: 'x'")
        assert core_error(lambda: Tally.from_responses([{"U1": 5}])).startswith(
            "baris 1, kolom U1: nilai harus bilangan bulat 1–4, bukan 5\n"
            "baris 1, kolom U2: nilai kosong; setiap unsur harus diisi 1–4"
        )


def test_survey_file_problems_read_as_before() -> None:
    huge = '"' + "saran " * 30_000 + '"'
    bad_row = ROW.replace("4,4,4,4,4,", "4,4,4,5,4,", 1)
    with translation.override("id"):
        assert survey_problems("\n".join([HEADER, ROW, ROW + huge]) + "\n") == [
            "baris 3, kolom suggestion: lebih dari 65536 byte dalam satu sel"
        ]
        assert survey_problems(HEADER.replace("age", "a" * 2000) + "\n", field_max_bytes=1000) == [
            "baris 1, kolom #4: lebih dari 1000 byte dalam satu sel"
        ]
        assert survey_problems("\n".join([HEADER, ROW + "antri\x0blama"]) + "\n") == [
            "baris 2, kolom suggestion: berisi karakter kendali U+000B yang tidak terlihat; "
            "hapus karakter itu"
        ]
        late = ROW.replace("2024-03-05", "2099-12-31")
        bounds = {"earliest": date(2000, 1, 1), "latest": date(2025, 6, 1)}
        assert survey_problems("\n".join([HEADER, late]) + "\n", **bounds) == [
            "baris 2, kolom submitted_at: tanggal di luar rentang 2000-01-01 s.d. 2025-06-01: "
            "'2099-12-31'"
        ]
        assert survey_problems("\n".join([HEADER, bad_row]) + "\n") == [
            "baris 2, kolom U4: nilai harus bilangan bulat 1–4, bukan '5'"
        ]
        assert survey_problems(HEADER.replace(",U9", "") + "\n") == [
            "baris 1, kolom U9: kolom wajib tidak ada: U9 (Sarana dan Prasarana)"
        ]
        assert survey_problems("\n") == ["baris 1: berkas kosong: baris header tidak ada"]


def test_a_bare_code_header_without_an_order_is_explained_in_indonesian() -> None:
    with translation.override("id"):
        [text] = survey_problems(HEADER + "\n", order=None)  # no order said
    assert text.startswith("baris 1, kolom U1: kolom unsur hanya berisi kode (U1, U2,")
    assert (
        "daftar unsur peraturan (U8 = Penanganan Pengaduan, Saran dan Masukan, U9 = Sarana" in text
    )
    assert "kuesioner contohnya (U8 = Sarana dan Prasarana, U9 = Penanganan" in text


def test_text_an_app_worded_passes_through() -> None:
    mixed = [Problem(4, "service", "layanan tidak dikenal"), Problem(None, None, "terpotong")]
    with translation.override("id"):
        assert coremessages.problem_texts(mixed) == [
            "baris 4, kolom service: layanan tidak dikenal",
            "terpotong",
        ]
        assert coremessages.problem_text(Problem(None, "U1", Message.of(Code.SCORE_EMPTY))) == (
            "kolom U1: nilai kosong; setiap unsur harus diisi 1–4"
        )
        assert coremessages.reason(NotComputable("ukuran tidak dikenal: x")) == (
            "ukuran tidak dikenal: x"
        )


def test_it_words_messages_in_english_too() -> None:
    with translation.override("en"):
        assert formula_error("a ** 2") == "position 2: operator not allowed: power (**)"
        assert coremessages.problem_text(Problem(3, "U1", Message.of(Code.SCORE_EMPTY))) == (
            "row 3, column U1: empty value; every element must be answered 1–4"
        )


def test_an_unknown_construct_is_named_as_the_parser_names_it() -> None:
    message = Message.of(Code.FORMULA_CONSTRUCT, construct="TemplateStr")
    with translation.override("id"):
        assert coremessages.text(message) == "tidak diizinkan dalam rumus: TemplateStr"


def test_a_message_is_worded_in_the_language_active_each_time() -> None:
    """Wordings are kept per message and language (``coremessages.worded``): asking in English
    between two Indonesian asks must not hand either language the other's text."""
    message = NO_RESPONDENTS.reason
    with translation.override("id"):
        first = coremessages.text(message)
    with translation.override("en"):
        english = coremessages.text(message)
    with translation.override("id"):
        again = coremessages.text(message)
    assert first == again == "belum ada responden"
    assert english == "no respondents yet"


def test_a_message_with_an_unhashable_parameter_is_still_worded() -> None:
    message = Message.of(Code.SCORE_INVALID, value=[1, 2])
    with translation.override("en"):
        assert coremessages.text(message) == "the value must be a whole number 1–4, not [1, 2]"


def test_equal_parameters_that_read_differently_are_worded_each_as_it_reads() -> None:
    """Decimal("0.0000") == Decimal(0): a cache keyed on equal values gave one the other's
    text ("target = 0.0000" where the target was 0)."""
    with translation.override("en"):
        first = coremessages.text(Message.of(Code.SCORE_INVALID, value=Decimal("0.0000")))
        second = coremessages.text(Message.of(Code.SCORE_INVALID, value=Decimal(0)))
        third = coremessages.text(Message.of(Code.SCORE_INVALID, value=1.0))
        fourth = coremessages.text(Message.of(Code.SCORE_INVALID, value=True))
    assert first.endswith("not Decimal('0.0000')")
    assert second.endswith("not Decimal('0')")
    assert third.endswith("not 1.0")
    assert fourth.endswith("not True")
