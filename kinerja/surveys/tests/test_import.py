"""Importing survey files: all or nothing, every problem named, idempotent, CSV and XLSX."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kinerja.lib.tables import xlsx_bytes
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import DailyTally, ImportBatch, Response
from kinerja_core.errors import InputError

from .conftest import BARE_HEADER, HEADER, HEADER_CELLS, csv_text, worked_rows

pytestmark = pytest.mark.django_db

BAD = (
    HEADER
    + "\n"
    + "\n".join(
        [
            "2024-01-15,ktp,L,30,SMA,Swasta,4,4,4,4,4,4,4,4,4,ok",
            "2024-01-15,ktp,X,30,SMA,Swasta,0,4,4,4,4,4,4,4,4,",  # row 3: gender, U1
            "2024-02-30,ktp,P,30,SMA,Swasta,4,4,4,4,4,4,4,4,,",  # row 4: date, U9
            "2024-01-16,paspor,P,30,SMA,Swasta,4,4,4,4,4,4,4,4,4,",  # row 5: unknown service
            "2024-01-17,ktp,P,30,SMA,Swasta,4,4,4,4,4,4,4,4,4,",
        ]
    )
)


def test_it_stores_a_file_once_and_skips_it_the_second_time(kec: Any, service: Any) -> None:
    data = csv_text(worked_rows()).encode()
    first = import_bytes(kec, data, "a.csv")
    assert (first.rows, first.inserted, first.skipped) == (29, 29, 0)
    assert Response.objects.count() == 29
    # Identical rows (same day, same answers) are distinct forms: all 29 kept.
    again = import_bytes(kec, data, "a.csv")
    assert (again.rows, again.inserted, again.skipped) == (29, 0, 29)
    assert Response.objects.count() == 29
    assert DailyTally.objects.get().respondents == 29
    longer = csv_text(worked_rows() + [[1] * 9]).encode()
    assert import_bytes(kec, longer, "a.csv").inserted == 1
    assert Response.objects.filter(channel="import").count() == 30


def test_it_refuses_a_bad_file_whole_naming_every_bad_row(kec: Any, service: Any) -> None:
    with pytest.raises(InputError) as caught:
        import_bytes(kec, BAD.encode(), "bad.csv")
    where = {(p.row, p.field) for p in caught.value.problems}
    assert {(3, "gender"), (3, "U1"), (4, "submitted_at"), (4, "U9"), (5, "service")} <= where
    assert not any(p.row in (2, 6) for p in caught.value.problems)
    assert Response.objects.count() == 0
    assert DailyTally.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_it_rolls_back_rows_stored_before_a_late_problem(kec: Any, service: Any) -> None:
    rows = csv_text([[4] * 9] * 2500).splitlines()
    rows.append("2024-01-15,ktp,,,,,4,4,4,4,4,4,4,4,7,")  # row 2502, after two stored chunks
    with pytest.raises(InputError) as caught:
        import_bytes(kec, ("\n".join(rows) + "\n").encode(), "late.csv")
    assert [(p.row, p.field) for p in caught.value.problems] == [(2502, "U9")]
    assert Response.objects.count() == 0
    assert DailyTally.objects.count() == 0


def test_it_reads_xlsx_with_the_same_checks(kec: Any, service: Any) -> None:
    header = HEADER_CELLS
    good = [datetime(2024, 4, 1, 9, 30), "KTP", "P", 35, "S1", "PNS", *[4] * 9, "=HYPERLINK(1)"]
    bad = [datetime(2024, 4, 2), "ktp", "", None, "", "", 4, 4, 4, 4.5, 4, 4, 4, 4, 4, ""]
    data = xlsx_bytes([("Survei", header, [good, bad])])
    with pytest.raises(InputError) as caught:
        import_bytes(kec, data, "survei.xlsx")
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "U4")]
    result = import_bytes(kec, xlsx_bytes([("Survei", header, [good])]), "survei.xlsx")
    assert result.inserted == 1
    stored = Response.objects.get()
    assert stored.education == "S1" and stored.age == 35
    # The suggestion is stored exactly as typed (the apostrophe xlsx_bytes adds is not ours).
    assert stored.suggestion.endswith("=HYPERLINK(1)")


def test_it_checks_without_storing_on_a_dry_run(kec: Any, service: Any) -> None:
    result = import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv", dry_run=True)
    assert (result.rows, result.inserted) == (29, 29)
    assert Response.objects.count() == 0


def test_it_imports_from_the_command_line(kec: Any, service: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(csv_text(worked_rows()), encoding="utf-8")
    out = StringIO()
    call_command("survey", "import", str(good), "--unit", "kec-wonoasih", "--dry-run", stdout=out)
    assert "would store 29" in out.getvalue()
    assert Response.objects.count() == 0
    call_command("survey", "import", str(good), "--unit", "kec-wonoasih", stdout=out)
    assert Response.objects.count() == 29
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("survey", "import", str(bad), "--unit", "kec-wonoasih")
    message = str(caught.value)
    for where in ("baris 3", "baris 4", "baris 5"):
        assert where in message
    assert "nothing was stored" in message
    assert Response.objects.count() == 29
    with pytest.raises(CommandError, match="no org unit"):
        call_command("survey", "import", str(good), "--unit", "nowhere")
    call_command("survey", "rebuild-rollup", stdout=out)
    assert DailyTally.objects.get().respondents == 29


def test_it_stores_imported_rows_as_a_form_entry_would(kec: Any, service: Any) -> None:
    from datetime import UTC

    from kinerja.surveys import rollup
    from kinerja.surveys.actions import Answer, build_response

    times = ["2024-03-05 06:15:00", "2024-03-05 13:00:00", "2024-03-05T20:30:00+00:00"]
    lines = [HEADER] + [f"{t},ktp,P,33,D3,PNS,1,2,3,4,4,3,2,1,4,catatan" for t in times]
    import_bytes(kec, ("\n".join(lines) + "\n").encode(), "times.csv")
    stored = list(Response.objects.order_by("submitted_at"))
    scores = {f"U{i}": s for i, s in enumerate([1, 2, 3, 4, 4, 3, 2, 1, 4], start=1)}
    answer = Answer(scores, "P", 33, "D3", "PNS", "catatan")
    for text, response in zip(times, stored, strict=True):
        expected = build_response(
            service, answer, submitted_at=datetime.fromisoformat(text), channel="import"
        )
        fields = ["submitted_at", "day", "session", "unit_id", "service_id", "gender", "age"]
        assert [getattr(response, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert response.scores == expected.scores and response.suggestion == "catatan"
    # 20:30 UTC is 03:30 the next morning in Jakarta: filed under that day.
    assert stored[2].submitted_at == datetime(2024, 3, 5, 20, 30, tzinfo=UTC)
    assert (str(stored[2].day), stored[2].session) == ("2024-03-06", "morning")
    assert stored[1].session == "afternoon" and stored[0].batch is not None
    before = sorted(DailyTally.objects.values_list("day", "respondents", "t1", "sum_s2"))
    rollup.rebuild()
    assert sorted(DailyTally.objects.values_list("day", "respondents", "t1", "sum_s2")) == before
    assert len(before) == 2


def test_it_imports_as_a_user_from_the_command_line_within_their_rights(
    people: Any, service: Any, tmp_path: Path
) -> None:
    from kinerja.accounts.models import Membership, OrgUnit, Role
    from kinerja.audit.models import AuditEntry

    good = tmp_path / "good.csv"
    good.write_text(csv_text(worked_rows()), encoding="utf-8")
    with pytest.raises(CommandError, match="may not import"):
        call_command("survey", "import", str(good), "--unit", "kec-wonoasih", "--as", "outsider")
    with pytest.raises(CommandError, match="no active user"):
        call_command("survey", "import", str(good), "--unit", "kec-wonoasih", "--as", "nobody")
    assert Response.objects.count() == 0
    officer = people["operator"]
    Membership.objects.create(
        user=officer, unit=OrgUnit.objects.get(code="kec-wonoasih"), role=Role.SURVEY_OFFICER
    )
    call_command("survey", "import", str(good), "--unit", "kec-wonoasih", "--as", "operator")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, model="surveys.response")
    assert entry.actor == officer and entry.changes["inserted"] == 29
    assert ImportBatch.objects.get().created_by == officer


def test_it_keys_rows_as_earlier_versions_did(kec: Any, service: Any) -> None:
    # A file imported before the importer was rewritten must still be recognised: the key of
    # a row is sha256(sha256(content) + "#" + occurrence), content joined with "|".
    import_bytes(kec, csv_text([[4] * 9, [4] * 9]).encode(), "a.csv")
    assert sorted(str(k) for k in Response.objects.values_list("import_key", flat=True)) == [
        "import:b3f1d9c8f1a62e8edb59be6fb6cf21a4c00d14dbcddfc195b5f766f73441abe3",
        "import:ded51f79b871585fc81fd1ba937e0a61f8d8ffd59ef872405b66d6ea5b3414b2",
    ]


@pytest.mark.parametrize("fork", [False, True])
def test_it_keeps_the_rollup_equal_to_the_rows_when_part_of_a_file_is_new(
    kec: Any, service: Any, fork: bool
) -> None:
    from io import BytesIO

    from kinerja.surveys import rollup
    from kinerja.surveys.importing import do_import

    def tallies() -> list[tuple[Any, ...]]:
        return sorted(DailyTally.objects.values_list("day", "respondents", "t1", "t9", "sum_s2"))

    def two_days(first_day: int, second_day: int) -> bytes:
        second = csv_text(worked_rows()[:second_day], day="2024-03-06").split("\n", 1)[1]
        return (csv_text(worked_rows()[:first_day]) + second).encode()

    do_import(kec, BytesIO(two_days(10, 5)), "a.csv", fork=fork)
    # The same rows again plus new ones on both days: only the new ones count.
    result = do_import(kec, BytesIO(two_days(29, 7)), "a.csv", fork=fork)
    assert (result.rows, result.inserted, result.skipped) == (36, 21, 15)
    assert Response.objects.count() == 36
    stored = tallies()
    rollup.rebuild()
    assert tallies() == stored and [t[1] for t in stored] == [29, 7]


def test_it_names_every_problem_when_the_file_is_read_in_a_second_process(
    kec: Any, service: Any
) -> None:
    from io import BytesIO

    from kinerja.surveys.importing import do_import

    with pytest.raises(InputError) as caught:
        do_import(kec, BytesIO(BAD.encode()), "bad.csv", fork=True)
    where = {(p.row, p.field) for p in caught.value.problems}
    assert {(3, "gender"), (3, "U1"), (4, "submitted_at"), (4, "U9"), (5, "service")} <= where
    with pytest.raises(InputError, match="UTF-8"):
        do_import(kec, BytesIO(HEADER.encode() + b"\n\xff\xfe\n"), "latin.csv", fork=True)
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_the_reading_process_builds_at_most_the_set_chunks_ahead(
    kec: Any, service: Any, settings: Any
) -> None:
    """KINERJA_IMPORT_CHUNKS_AHEAD chunks wait in the importing process, no more, however far
    ahead the reading process could run; all of the file arrives, and its rollup sums."""
    import time

    from kinerja.surveys.importing import ServiceLookup, _ForkedRows, _RowBuilder

    settings.KINERJA_IMPORT_CHUNK_ROWS = 3
    settings.KINERJA_IMPORT_CHUNKS_AHEAD = 2
    reader = _ForkedRows(
        _RowBuilder(kec, ServiceLookup(kec), None), StringIO(csv_text(worked_rows()))
    )
    chunks = reader.chunks()
    sizes = [len(next(chunks))]
    time.sleep(1)  # the reading process has built the whole file (10 chunks) by now
    assert reader.ahead.qsize() == 2
    sizes += [len(chunk) for chunk in chunks]
    assert sizes == [3] * 9 + [2]
    assert sum(packed & (2**48 - 1) for packed in reader.builder.sums.values()) == 29


def test_a_forked_import_stopped_while_storing_leaves_no_reader_behind(
    kec: Any, service: Any, settings: Any
) -> None:
    """Storing stops early (here the batch is declared abandoned after the first chunk): the
    reading process and the receiving thread end, and nothing of the file is kept."""
    import multiprocessing
    import threading
    from io import BytesIO

    from kinerja.surveys import batches
    from kinerja.surveys.importing import do_import

    settings.KINERJA_IMPORT_CHUNK_ROWS = 2
    settings.KINERJA_IMPORT_CHUNKS_AHEAD = 1
    threads = threading.active_count()

    def abandon(_rows: int) -> None:
        ImportBatch.objects.update(state=ImportBatch.State.DISCARDED)

    with pytest.raises(batches.Abandoned):
        do_import(
            kec, BytesIO(csv_text(worked_rows()).encode()), "a.csv", fork=True, progress=abandon
        )
    assert threading.active_count() == threads and not multiprocessing.active_children()
    assert Response.stored.count() == 0


# U8 holds 2 and U9 holds 4 in the file: which element gets the 2 is the file's order.
BARE_FILE = f"{BARE_HEADER}\n2024-03-05,ktp,L,40,SMA,Swasta,4,4,4,4,4,4,4,2,4,\n"


def test_a_bare_code_header_without_an_order_stores_nothing(kec: Any, service: Any) -> None:
    with pytest.raises(InputError) as caught:
        import_bytes(kec, BARE_FILE.encode(), "kantor.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (1, "U1")
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(("order", "u8", "u9"), [("regulation", 2, 4), ("questionnaire", 4, 2)])
def test_a_bare_code_header_is_read_in_the_order_said(
    kec: Any, service: Any, order: str, u8: int, u9: int
) -> None:
    assert import_bytes(kec, BARE_FILE.encode(), "kantor.csv", order=order).inserted == 1
    stored = Response.objects.get()
    assert (stored.u8, stored.u9) == (u8, u9)


def test_the_command_line_takes_the_order(kec: Any, service: Any, tmp_path: Path) -> None:
    path = tmp_path / "kantor.csv"
    path.write_text(BARE_FILE, encoding="utf-8")
    with pytest.raises(CommandError, match="U1"):
        call_command("survey", "import", str(path), "--unit", kec.code, stdout=StringIO())
    out = StringIO()
    call_command(
        "survey",
        "import",
        str(path),
        "--unit",
        kec.code,
        "--order",
        "questionnaire",
        "--dry-run",
        stdout=out,
    )
    assert "would store 1 new responses" in out.getvalue()
    assert Response.objects.count() == 0
    call_command(
        "survey",
        "import",
        str(path),
        "--unit",
        kec.code,
        "--order",
        "questionnaire",
        stdout=StringIO(),
    )
    assert (Response.objects.get().u8, Response.objects.get().u9) == (4, 2)


@pytest.mark.parametrize("fork", [False, True])
def test_stored_rows_are_skipped_in_whichever_chunk_they_come(
    kec: Any, service: Any, settings: Any, fork: bool
) -> None:
    """Chunks of new rows, then one repeating stored rows, then new ones again: PostgreSQL
    copies the new chunks without a look-up and looks the keys up once one was stored."""
    from io import BytesIO

    from kinerja.surveys import rollup
    from kinerja.surveys.importing import do_import

    settings.KINERJA_IMPORT_CHUNK_ROWS = 10
    rows = worked_rows()

    def days(*parts: tuple[str, int]) -> bytes:
        texts = [csv_text(rows[:count], day=day).split("\n", 1)[1] for day, count in parts]
        return (HEADER + "\n" + "".join(texts)).encode()

    do_import(kec, BytesIO(days(("2024-03-06", 10))), "a.csv", fork=fork)
    result = do_import(
        kec,
        BytesIO(days(("2024-03-05", 10), ("2024-03-06", 15), ("2024-03-07", 10))),
        "b.csv",
        fork=fork,
    )
    assert (result.rows, result.inserted, result.skipped) == (35, 25, 10)
    assert Response.objects.count() == 45 - 10
    per_day = sorted(DailyTally.objects.values_list("day", "respondents"))
    rollup.rebuild()
    assert sorted(DailyTally.objects.values_list("day", "respondents")) == per_day
    assert [n for _day, n in per_day] == [10, 15, 10]
