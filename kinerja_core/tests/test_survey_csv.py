from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import partial

import pytest

from kinerja_core import survey_csv
from kinerja_core.errors import Code, InputError, Message, Problem
from kinerja_core.ikm import compute_ikm
from kinerja_core.survey_csv import SurveyRow, group_key, tally_rows

# These files number bare element codes in the regulation's order, and say so
# (test_survey_csv_order covers a file that does not).
read_survey_csv = partial(survey_csv.read_survey_csv, order="regulation")
iter_survey_csv = partial(survey_csv.iter_survey_csv, order="regulation")

HEADER = (
    "submitted_at,service,gender,age,education,occupation,U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion"
)


def csv_text(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def problems_of(text: io.StringIO) -> list[tuple[int | None, str | None]]:
    with pytest.raises(InputError) as info:
        read_survey_csv(text)
    return [(p.row, p.field) for p in info.value.problems]


def test_it_reads_the_design_format() -> None:
    rows = read_survey_csv(
        csv_text(
            "2024-07-15T09:30:00,KTP,L,34,SMA,Swasta,4,3,3,4,3,3,4,3,3,Antrian lebih cepat",
            "2024-07-16,KK,P,,,,3,3,3,3,3,3,3,3,3,",
        )
    )
    assert rows[0] == SurveyRow(
        row=2,
        submitted_at=datetime(2024, 7, 15, 9, 30),
        service="KTP",
        gender="L",
        age=34,
        education="SMA",
        occupation="Swasta",
        scores={"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 3},
        suggestion="Antrian lebih cepat",
    )
    assert rows[1].submitted_at == datetime(2024, 7, 16)
    assert (rows[1].gender, rows[1].age, rows[1].education, rows[1].suggestion) == (
        "P",
        None,
        None,
        "",
    )


def test_it_handles_a_bom_and_semicolons() -> None:
    text = "\ufeffsubmitted_at;U1;U2;U3;U4;U5;U6;U7;U8;U9;suggestion\n2024-01-02;1;2;3;4;1;2;3;4;1;Baik; cepat\n"
    with pytest.raises(InputError):
        read_survey_csv(io.StringIO(text))  # the unquoted ";" in the suggestion adds a column
    fixed = text.replace("Baik; cepat", '"Baik; cepat"')
    [row] = read_survey_csv(io.StringIO(fixed))
    assert row.scores["U4"] == 4
    assert row.suggestion == "Baik; cepat"
    assert row.service == ""


def test_it_maps_element_names_not_positions() -> None:
    # The regulation's questionnaire asks Sarana as Q8 and Pengaduan as Q9.
    header = (
        'Submitted_At,Persyaratan,"Sistem, Mekanisme, dan Prosedur",waktu penyelesaian,BIAYA/TARIF,'
        "Produk Spesifikasi Jenis Pelayanan,Kompetensi  Pelaksana,Perilaku Pelaksana,"
        'Sarana dan Prasarana,"Penanganan Pengaduan, Saran dan Masukan"'
    )
    [row] = read_survey_csv(csv_text("2024-03-01,1,2,3,4,1,2,3,4,1", header=header))
    assert row.scores == {
        "U1": 1,
        "U2": 2,
        "U3": 3,
        "U4": 4,
        "U5": 1,
        "U6": 2,
        "U7": 3,
        "U8": 1,
        "U9": 4,
    }


def test_it_accepts_profile_values_case_insensitively() -> None:
    [row] = read_survey_csv(
        csv_text("2024-03-01,KTP,p,20,d1-d3,pelajar/mahasiswa,1,1,1,1,1,1,1,1,1,")
    )
    assert (row.gender, row.education, row.occupation) == ("P", "D1–D3", "Pelajar/Mahasiswa")


def test_it_keeps_time_zones_when_given() -> None:
    rows = read_survey_csv(
        csv_text(
            "2024-03-01T10:00:00+07:00,,,,,,1,1,1,1,1,1,1,1,1,",
            "2024-03-01 10:00,,,,,,1,1,1,1,1,1,1,1,1,",
        )
    )
    assert rows[0].submitted_at.tzinfo == timezone(timedelta(hours=7))
    assert rows[1].submitted_at.tzinfo is None


def test_it_lists_every_bad_row_and_column() -> None:
    found = problems_of(
        csv_text(
            "2024-07-15,KTP,L,34,SMA,Swasta,4,3,3,4,3,3,4,3,3,",
            "2024-13-01,KTP,X,abc,SMK,Petani,0,5,3.5,,3,3,3,3,3,",
            "2024-07-15,KTP,L,200,SMA,Swasta,4,3,3,4,3,3,4,3,3,",
            ",KTP,L,30,SMA,Swasta,4,3,3,4,3,3,4,3,a,",
        )
    )
    assert found == [
        (3, "submitted_at"),
        (3, "gender"),
        (3, "age"),
        (3, "education"),
        (3, "occupation"),
        (3, "U1"),
        (3, "U2"),
        (3, "U3"),
        (3, "U4"),
        (4, "age"),
        (5, "submitted_at"),
        (5, "U9"),
    ]


def test_it_names_row_and_field_in_messages() -> None:
    with pytest.raises(InputError) as info:
        read_survey_csv(csv_text("2024-07-15,KTP,L,34,SMA,Swasta,4,3,3,5,3,3,4,3,3,"))
    assert str(info.value.problems[0]) == "2:U4: score.invalid(value='5')"


def test_it_reports_header_problems() -> None:
    header = "submitted_at,U1,U1,Persyaratan,U2,U3,U4,U5,U6,U7,U8,colour"
    found = problems_of(csv_text("2024-01-01,1,1,1,1,1,1,1,1,1,1,x", header=header))
    assert found == [(1, "U1"), (1, "Persyaratan"), (1, "colour"), (1, "U9")]
    assert problems_of(csv_text(header="U1,U2,U3,U4,U5,U6,U7,U8,U9")) == [(1, "submitted_at")]


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(InputError):
        read_survey_csv(io.StringIO(""))


def test_it_skips_blank_lines_and_reports_extra_cells() -> None:
    rows = read_survey_csv(csv_text("", "2024-01-01,,,,,,1,1,1,1,1,1,1,1,1,", ",,,"))
    assert [r.row for r in rows] == [3]
    assert problems_of(csv_text("2024-01-01,,,,,,1,1,1,1,1,1,1,1,1,,extra")) == [(2, None)]


def test_it_streams_in_chunks() -> None:
    lines = [f"2024-01-{d:02d},,,,,,4,4,4,4,4,4,4,4,4," for d in range(1, 26)]
    chunks = list(iter_survey_csv(csv_text(*lines), chunk_size=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert chunks[2][-1].row == 26


def test_it_raises_after_checking_the_whole_stream() -> None:
    lines = [f"2024-01-{d:02d},,,,,,4,4,4,4,4,4,4,4,4," for d in range(1, 26)]
    lines[15] = lines[15].replace(",4,4,", ",4,9,", 1)
    lines[24] = lines[24].replace("2024", "20x4")
    with pytest.raises(InputError) as info:
        list(iter_survey_csv(csv_text(*lines), chunk_size=10))
    assert [(p.row, p.field) for p in info.value.problems] == [(17, "U2"), (26, "submitted_at")]


def test_it_caps_the_problem_list() -> None:
    lines = ["bad,,,,,,1,1,1,1,1,1,1,1,1,"] * 50
    with pytest.raises(InputError) as info:
        list(iter_survey_csv(csv_text(*lines), max_problems=10))
    assert len(info.value.problems) == 11
    assert info.value.problems[-1] == Problem(
        None, None, Message.of(Code.SURVEY_MORE_PROBLEMS, limit=10)
    )


def test_it_tallies_rows_into_an_ikm() -> None:
    rows = read_survey_csv(csv_text(*["2024-01-01,,,,,,4,4,4,4,4,4,4,4,4,"] * 3))
    result = compute_ikm(tally_rows(rows))
    assert result.ikm == Decimal(100)
    assert result.respondents == 3


def test_it_groups_by_service_and_period() -> None:
    when = datetime(2024, 8, 17, 10, 0)
    assert group_key(when, "service", "KTP") == "KTP"
    assert group_key(when, "month", "KTP") == "2024-08"
    assert group_key(when, "quarter", "KTP") == "2024-Q3"
    assert group_key(when, "semester", "KTP") == "2024-S2"
    assert group_key(when, "year", "KTP") == "2024"
    assert group_key(date(2024, 1, 1), "quarter", "") == "2024-Q1"


def test_it_refuses_a_score_cell_holding_several_scores() -> None:
    # Valid rows are recognised by their joined score cells; a cell holding the joining
    # character must not pass as two scores.
    assert problems_of(csv_text("2024-01-01,,,,,,1\x1f1,1,1,1,1,1,1,1,1,")) == [(2, "U1")]


def test_it_checks_services_with_the_callers_check_on_every_row() -> None:
    from kinerja_core.errors import Problem

    iter_survey_records = partial(survey_csv.iter_survey_records, order="regulation")

    def check(row: int, service: str) -> Problem | None:
        return None if service == "KTP" else Problem(row, "service", f"tidak dikenal: {service}")

    text = csv_text(
        "2024-01-01,KTP,,,,,1,1,1,1,1,1,1,1,1,",
        "2024-01-01,SIM,,,,,1,1,1,1,1,1,1,1,1,",
        "2024-01-01,SIM,X,,,,1,1,1,1,1,1,1,1,1,",
    )
    with pytest.raises(InputError) as info:
        list(iter_survey_records(text, check_service=check))
    assert [(p.row, p.field) for p in info.value.problems] == [
        (3, "service"),
        (4, "gender"),
        (4, "service"),
    ]
    [[record]] = list(iter_survey_records(csv_text("2024-01-02,KTP,p,33,,,1,2,3,4,1,2,3,4,1,ok")))
    assert record == (
        2,
        datetime(2024, 1, 2),
        "KTP",
        "P",
        33,
        None,
        None,
        (1, 2, 3, 4, 1, 2, 3, 4, 1),
        "ok",
    )
