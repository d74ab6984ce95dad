from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kinerja.results.models import Result, YearLock
from kinerja.results.tests.plans import COVERAGE, WAITING, load, put

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("results", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_recomputes_and_prints_the_iku_table() -> None:
    plan = load(COVERAGE, WAITING)
    put(plan, "served", "kec-uji", "2022", 33)
    put(plan, "registered", "kec-uji", "2022", 60)
    assert run("recompute", "--year", "2022").startswith("uji: 30 ")  # 30 new rows
    assert Result.objects.count() == 2 * 3 * 5
    table = run("iku", "--year", "2022")
    assert "Cakupan layanan" in table and "55,00%" in table and "60%" in table
    assert "91,67%" in table  # 55 / 60
    assert "3–5" in table  # the range target of I3
    # without --year: the latest year with a measured result
    assert "· 2022" in run("iku")


def test_it_explains_bad_input() -> None:
    load(COVERAGE)
    with pytest.raises(CommandError, match="no plan with code 'nope'"):
        run("iku", "--plan", "nope")
    with pytest.raises(CommandError, match="not a year of plan uji"):
        run("recompute", "--year", "2030")
    load(COVERAGE, code="lain", unit="kec-lain")
    with pytest.raises(CommandError, match="several plans"):
        run("iku")
    assert "lain" in run("recompute", "--all")


def test_it_moves_a_year_to_its_lock_as_the_user_given(uji, staff) -> None:
    def year(*args: str) -> str:
        out = StringIO()
        call_command("year", *args, "--plan", uji.code, stdout=out)
        return out.getvalue()

    assert "diajukan" in year("submit", "2021", "--as", "planner", "--note", "lengkap")
    with pytest.raises(CommandError, match="planner tidak boleh melakukan approve"):
        year("approve", "2021", "--as", "planner")
    assert "disetujui" in year("approve", "2021", "--as", "head")
    assert "terkunci" in year("lock", "2021", "--as", "head")
    assert YearLock.objects.filter(plan=uji, year=2021).exists()
    with pytest.raises(CommandError, match="bukan tahun|not a year"):
        year("lock", "2030", "--as", "head")
    with pytest.raises(CommandError, match="the following arguments are required: --as"):
        year("lock", "2021")
