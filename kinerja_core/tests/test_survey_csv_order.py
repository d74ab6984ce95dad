"""Element order of survey files: bare codes need an order, named elements do not
(docs/rules.md#survey-csv-element-order)."""

from __future__ import annotations

import io

import pytest

from kinerja_core.errors import Code, CoreError, InputError, Message
from kinerja_core.survey_csv import element_header, read_survey_csv

PROFILE = "submitted_at,service,gender,age,education,occupation"
BARE = PROFILE + ",U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion"
# U8 is 2 and U9 is 4 in the file: which element gets the 2 depends on the order.
ROW = "2024-03-05,ktp,L,40,SMA,Swasta,1,1,1,1,1,1,1,2,4,"


def read(header: str, order: str | None = None) -> dict[str, int]:
    [row] = read_survey_csv(io.StringIO(f"{header}\n{ROW}\n"), order=order)  # type: ignore[arg-type]
    return row.scores


def test_bare_codes_without_an_order_are_refused_explaining_both_orders():
    with pytest.raises(InputError) as info:
        read(BARE)
    [problem] = info.value.problems
    assert (problem.row, problem.field) == (1, "U1")
    message = problem.message
    assert isinstance(message, Message) and message.code == Code.SURVEY_ELEMENT_ORDER_REQUIRED
    params = message.params
    assert params["columns"] == "U1, U2, U3, U4, U5, U6, U7, U8, U9"
    assert params["regulation"] == (
        "U8 = Penanganan Pengaduan, Saran dan Masukan, U9 = Sarana dan Prasarana"
    )
    assert params["questionnaire"] == (
        "U8 = Sarana dan Prasarana, U9 = Penanganan Pengaduan, Saran dan Masukan"
    )
    assert params["example"] == "U8 Penanganan Pengaduan, Saran dan Masukan"


def test_regulation_order_reads_u8_as_complaints():
    scores = read(BARE, "regulation")
    assert (scores["U8"], scores["U9"]) == (2, 4)


def test_questionnaire_order_reads_u8_as_facilities():
    scores = read(BARE, "questionnaire")
    assert (scores["U8"], scores["U9"]) == (4, 2)
    assert [scores[f"U{i}"] for i in range(1, 8)] == [1] * 7


def quoted(names: list[str]) -> str:
    return ",".join(f'"{n}"' for n in names)


def test_code_and_name_header_needs_no_order_and_is_what_exports_write():
    header = f"{PROFILE},{quoted(element_header())},suggestion"
    assert element_header()[7] == "U8 Penanganan Pengaduan, Saran dan Masukan"
    scores = read(header)
    assert (scores["U8"], scores["U9"]) == (2, 4)


def test_the_name_decides_over_the_number_before_it():
    names = element_header()
    # A questionnaire-numbered sheet that names its columns: question 8 is Sarana.
    names[7], names[8] = "U8 Sarana dan Prasarana", "U9 Penanganan Pengaduan, Saran dan Masukan"
    scores = read(f"{PROFILE},{quoted(names)},suggestion", "regulation")
    assert (scores["U8"], scores["U9"]) == (4, 2)


def test_names_alone_need_no_order():
    names = [n.split(" ", 1)[1] for n in element_header()]
    scores = read(f"{PROFILE},{quoted(names)},suggestion")
    assert (scores["U8"], scores["U9"]) == (2, 4)


def test_a_method_whose_questionnaire_keeps_its_list_order_needs_no_order():
    header = PROFILE + "," + ",".join(f"U{i}" for i in range(1, 15)) + ",suggestion"
    row = "2024-03-05,ktp,L,40,SMA,Swasta," + ",".join(["3"] * 14) + ","
    [parsed] = read_survey_csv(io.StringIO(f"{header}\n{row}\n"), "kepmenpan-25-2004")
    assert parsed.scores["U14"] == 3


def test_an_unknown_order_is_a_core_error():
    with pytest.raises(CoreError) as info:
        read(BARE, "alphabetical")
    assert info.value.code == Code.SURVEY_UNKNOWN_ORDER
