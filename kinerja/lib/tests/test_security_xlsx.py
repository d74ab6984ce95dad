"""Attack regressions: an uploaded XLSX is read within bounds of memory, time, rows and columns.

The bomb and the bogus dimension are read in a child process under a memory limit and a
timeout, so a regression fails the test instead of taking the test run down with it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from kinerja.lib import coremessages
from kinerja.lib.tables import iter_rows
from kinerja_core.errors import InputError

from .hostile import MIB, bogus_dimension_xlsx, parts_of, workbook, zip_bomb_xlsx

CHILD = """
import resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from kinerja.lib.tables import iter_rows
from kinerja_core.errors import InputError
try:
    with open(sys.argv[1], "rb") as stream:
        rows = [(number, list(row.values())) for number, row in iter_rows(stream, sys.argv[1])]
except InputError as exc:
    print("refused:", exc.problems[0].message)
else:
    print("rows:", rows)
"""


def read_in_child(path: Path, memory: int = 600 * MIB, seconds: int = 30) -> str:
    """What the file reader says about ``path`` in a process limited to ``memory`` bytes."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
        "KINERJA_VAR_DIR": str(path.parent / "var"),
        "KINERJA_SECRET_KEY": "child-process-key-" + "x" * 40,
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, str(path), str(memory)],
        capture_output=True,
        text=True,
        timeout=seconds,
        env=env,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def rows_of(data: bytes) -> list[tuple[int, dict[str, object]]]:
    return list(iter_rows(io.BytesIO(data), "data.xlsx"))


def refusal(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        rows_of(data)
    (problem,) = caught.value.problems
    return coremessages.problem_text(problem)


def test_it_refuses_a_zip_bomb_before_it_fills_memory(tmp_path) -> None:
    """300 MiB of shared string packed into 300 KB; read under a 600 MB address-space limit."""
    path = tmp_path / "bom.xlsx"
    path.write_bytes(zip_bomb_xlsx(300))
    said = read_in_child(path)
    assert said.startswith("refused: bagian xl/sharedStrings.xml dari berkas XLSX"), said
    assert "314 MB (paling banyak 200 MB)" in said


def test_it_reads_a_sheet_declaring_a_bogus_dimension_without_padding_to_it(tmp_path) -> None:
    path = tmp_path / "dimensi.xlsx"
    path.write_bytes(bogus_dimension_xlsx())
    said = read_in_child(path, seconds=20)
    assert said == "rows: [(2, ['X1', 'RW 1']), (1048576, ['X2'])]"


def test_it_refuses_a_part_packed_more_than_the_ratio_allows() -> None:
    """A 3 MiB part (well under the size limit) packed about a thousandfold."""
    message = refusal(zip_bomb_xlsx(3))
    assert "bagian xl/sharedStrings.xml dari berkas XLSX" in message
    assert "kali ukuran terkemasnya (paling banyak 100 kali)" in message


def test_it_keeps_a_part_within_the_limits(settings) -> None:
    settings.KINERJA_XLSX_MAX_RATIO = 2000
    assert [n for n, _row in rows_of(zip_bomb_xlsx(3))] == [2]


def test_it_refuses_a_part_larger_than_the_setting(settings) -> None:
    settings.KINERJA_XLSX_MAX_PART_BYTES = 5_000  # the theme part is 10 KB
    assert "bagian xl/theme/theme1.xml" in refusal(workbook([["code"], ["X1"]]))


def test_it_refuses_more_parts_than_the_setting(settings) -> None:
    settings.KINERJA_XLSX_MAX_PARTS = 5  # an openpyxl workbook has 9
    assert "terlalu banyak bagian (paling banyak 5)" in refusal(workbook([["code"], ["X1"]]))


def test_it_refuses_rows_and_columns_beyond_the_settings(settings) -> None:
    settings.KINERJA_XLSX_MAX_ROWS = 3
    message = refusal(workbook([["code"], ["X1"], ["X2"], ["X3"]]))
    assert message.startswith("baris 4") and "lebih dari 3 baris" in message
    settings.KINERJA_XLSX_MAX_ROWS = 10
    settings.KINERJA_XLSX_MAX_COLUMNS = 2
    assert rows_of(workbook([["code", "name"], ["X1", "RW 1"]]))
    message = refusal(workbook([["code", "name"], ["X1", "RW 1", "lebih"]]))
    assert message.startswith("baris 2") and "setelah kolom 2" in message


def test_it_refuses_a_file_that_is_not_a_zip() -> None:
    assert "berkas XLSX tidak dapat dibaca" in refusal(b"code,name\nX1,RW 1\n")


def rezipped(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """``data`` with some of its parts replaced."""
    parts = {**parts_of(data), **replaced}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_it_logs_why_a_damaged_workbook_is_unreadable(caplog) -> None:
    damaged = rezipped(workbook([["code"]]), {"xl/workbook.xml": b"<workbook"})
    with caplog.at_level("WARNING", logger="kinerja.lib.xlsx_reader"):
        assert "berkas XLSX tidak dapat dibaca" in refusal(damaged)
    (record,) = caplog.records
    assert record.getMessage() == "unreadable XLSX workbook" and record.exc_info is not None


def test_it_logs_why_a_damaged_sheet_is_unreadable(caplog) -> None:
    sheet = {
        "xl/worksheets/sheet1.xml": b'<worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="n"><v>X1</v></c></row>'
        b"</sheetData></worksheet>"
    }
    damaged = rezipped(workbook([["code"], ["X1"]]), sheet)
    with caplog.at_level("WARNING", logger="kinerja.lib.xlsx_reader"):
        assert "berkas XLSX tidak dapat dibaca" in refusal(damaged)
    (record,) = caplog.records
    assert record.getMessage() == "unreadable XLSX sheet" and record.exc_info is not None
