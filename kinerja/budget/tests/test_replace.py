"""A budget file that is the whole budget of the year: the lines it leaves out are removed, listed
first, and never a line a Rencana Aksi action names (docs/rules.md#budget-lines)."""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from kinerja.accounts.models import OrgUnit, Role
from kinerja.budget import actions as budget_actions
from kinerja.budget.actions import do_delete_line, do_import_lines, do_save_line
from kinerja.budget.models import BudgetLine
from kinerja.budget.rules import LineValues
from kinerja.budget.tests.test_views import confirm_url
from kinerja.budget.uses import uses_of
from kinerja.lib import coremessages
from kinerja.lib.tables import iter_rows
from kinerja.monitoring.actions import do_add_renaksi_action
from kinerja.monitoring.models import Renaksi, RenaksiAction
from kinerja.plan.models import Indicator
from kinerja.test import make_user, other_kecamatan
from kinerja_core.errors import InputError

pytestmark = pytest.mark.django_db

YEAR = 2023
STORED = """kode,nama,pagu,realisasi
7.01.01,Program Penunjang,1.000.000,900.000
7.01.01.2.01,Perencanaan,400.000,350.000
7.01.02,Program Pelayanan,500.000,400.000
7.01.02.2.01,Koordinasi Pelayanan,300.000,250.000
7.01.03,Program Pemberdayaan,300.000,150.000
"""
# The year's budget again without the public-service program and its kegiatan.
WHOLE = """kode,nama,pagu,realisasi
7.01.01,Program Penunjang,1.000.000,950.000
7.01.01.2.01,Perencanaan,400.000,350.000
7.01.03,Program Pemberdayaan,300.000,150.000
"""


def kec() -> OrgUnit:
    return OrgUnit.objects.get(code="kec-wonoasih")


def rows(text: str) -> list[Any]:
    return list(iter_rows(io.BytesIO(text.encode("utf-8")), "anggaran.csv"))


def codes() -> list[str]:
    return list(BudgetLine.objects.order_by("code").values_list("code", flat=True))


def snapshot() -> list[tuple[Any, ...]]:
    return list(BudgetLine.objects.order_by("code").values_list("code", "budget", "spent"))


def history_count() -> int:
    return int(BudgetLine.history.count())  # type: ignore[attr-defined]  # simple-history


def renaksi_names(wonoasih: Any, code: str, indicator: str = "S2.1") -> RenaksiAction:
    """A Rencana Aksi action of the kecamatan's year that names the budget line ``code``."""
    renaksi, _ = Renaksi.objects.get_or_create(plan=wonoasih, unit=kec(), year=YEAR)
    return RenaksiAction.objects.create(
        renaksi=renaksi,
        indicator=Indicator.objects.get(plan=wonoasih, code=indicator),
        name="Koordinasi pelayanan publik",
        budget_code=code,
        position="Kasi Pelayanan",
        months=[1, 2, 3],
    )


@pytest.fixture
def stored(people: dict[str, Any]) -> None:
    do_import_lines(people["planner"], kec(), YEAR, rows(STORED))


def test_without_replace_the_lines_a_file_leaves_out_stay(people, stored):
    report = do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE))
    assert (report.created, report.updated, report.unchanged, report.removed) == (0, 1, 2, [])
    assert len(codes()) == 5


def test_a_dry_run_lists_the_lines_it_would_remove_and_stores_nothing(people, stored):
    before, history = snapshot(), history_count()
    report = do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), True, replace=True)
    assert report.removed == [
        ("7.01.02", "Program Pelayanan"),
        ("7.01.02.2.01", "Koordinasi Pelayanan"),
    ]
    assert "2 removed" in report.summary() or "2 dihapus" in report.summary()
    assert snapshot() == before and history_count() == history


def test_replace_removes_the_lines_left_out_each_with_its_history_row(people, stored):
    history = history_count()
    report = do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), replace=True)
    assert (report.updated, report.unchanged, len(report.removed)) == (1, 2, 2)
    assert codes() == ["7.01.01", "7.01.01.2.01", "7.01.03"]
    deleted = BudgetLine.history.filter(history_type="-")  # type: ignore[attr-defined]
    assert sorted(deleted.values_list("code", flat=True)) == ["7.01.02", "7.01.02.2.01"]
    assert {h.history_change_reason for h in deleted} != {None}
    assert history_count() == history + 3  # two removed, one updated
    again = do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), replace=True)
    assert (again.unchanged, again.removed) == (3, [])


def test_replace_refuses_to_remove_a_line_a_renaksi_action_names(wonoasih, people, stored):
    renaksi_names(wonoasih, "7.01.02.2.01")
    before, history = snapshot(), history_count()
    with pytest.raises(InputError) as caught:
        do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), replace=True)
    found = coremessages.problem_texts(caught.value.problems)
    assert len(found) == 1
    assert "7.01.02.2.01" in found[0] and "S2.1" in found[0] and "7.01.02," not in found[0]
    # Nothing half-written: the change to 7.01.01 in the same file is not stored either.
    assert snapshot() == before and history_count() == history
    # The dry run is refused alike, before anyone ticks "store".
    with pytest.raises(InputError):
        do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), True, replace=True)


def test_a_renaksi_of_another_year_or_unit_does_not_hold_a_line(wonoasih, people, stored):
    action = renaksi_names(wonoasih, "7.01.02.2.01")
    Renaksi.objects.filter(pk=action.renaksi_id).update(year=YEAR + 1)
    assert uses_of(kec(), YEAR, ["7.01.02.2.01"]) == {}
    do_import_lines(people["planner"], kec(), YEAR, rows(WHOLE), replace=True)
    assert "7.01.02.2.01" not in codes()


@pytest.mark.parametrize("who", ["outsider", "other_planner", "operator", "head"])
def test_only_an_editor_of_the_unit_may_replace(wonoasih, people, stored, who):
    people["other_planner"] = make_user("perencana-lain", Role.PLANNER, other_kecamatan())
    before, history = snapshot(), history_count()
    with pytest.raises(PermissionDenied):
        do_import_lines(people[who], kec(), YEAR, rows(WHOLE), replace=True)
    assert snapshot() == before and history_count() == history


def test_deleting_a_line_a_renaksi_names_is_refused_with_its_parent(wonoasih, people, stored):
    renaksi_names(wonoasih, "7.01.02.2.01")
    program = BudgetLine.objects.get(code="7.01.02")
    with pytest.raises(ValidationError) as caught:
        do_delete_line(people["planner"], program)
    assert "7.01.02.2.01" in " ".join(caught.value.messages)
    assert len(codes()) == 5
    assert do_delete_line(people["planner"], BudgetLine.objects.get(code="7.01.03")) == 1


def test_a_refused_delete_leaves_the_lines_and_their_history_as_they_were(wonoasih, people, stored):
    renaksi_names(wonoasih, "7.01.02.2.01")
    before, history = snapshot(), history_count()
    for code in ("7.01.02", "7.01.02.2.01"):  # the program and its kegiatan the Renaksi names
        with pytest.raises(ValidationError):
            do_delete_line(people["planner"], BudgetLine.objects.get(code=code))
        assert snapshot() == before and history_count() == history


def test_a_delete_reads_the_line_as_stored_not_as_the_caller_holds_it(wonoasih, people, stored):
    # A page read the kegiatan, then its code was changed to one a Renaksi action then named.
    held = BudgetLine.objects.get(code="7.01.02.2.01")
    BudgetLine.objects.filter(pk=held.pk).update(code="7.01.02.2.02")
    renaksi_names(wonoasih, "7.01.02.2.02")
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        do_delete_line(people["planner"], held)
    assert "7.01.02.2.02" in " ".join(caught.value.messages)
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need a server database (SQLite's IMMEDIATE transactions queue them anyway)",
)
def test_a_renaksi_action_added_while_a_delete_checks_waits_and_is_refused(
    wonoasih, people, stored, monkeypatch
):
    """The delete has found the kegiatan unused; a Rencana Aksi action naming it is added before
    the delete commits: it waits for the line and is refused, never left naming a deleted line."""
    checked, added = threading.Event(), threading.Event()
    real = budget_actions.in_use_messages

    def check_then_pause(*args: Any, **kwargs: Any) -> list[str]:
        messages = real(*args, **kwargs)
        checked.set()
        added.wait(timeout=1.5)  # the action's try, which must wait for this transaction
        return messages

    monkeypatch.setattr(budget_actions, "in_use_messages", check_then_pause)
    outcomes: dict[str, Any] = {}

    def delete() -> None:
        try:
            line = BudgetLine.objects.get(code="7.01.02.2.01")
            outcomes["delete"] = do_delete_line(people["planner"], line)
        except BaseException as exc:  # noqa: BLE001 - reported to the test; a thread's exception is otherwise lost
            outcomes["delete"] = exc
        finally:
            connections.close_all()

    def add() -> None:
        checked.wait(timeout=10)
        try:
            outcomes["add"] = do_add_renaksi_action(
                people["planner"], wonoasih, kec(), YEAR,
                Indicator.objects.get(plan=wonoasih, code="S2.1"),
                name="Koordinasi", budget_code="7.01.02.2.01", position="Kasi", months=[1],
            )  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - as above
            outcomes["add"] = exc
        finally:
            added.set()
            connections.close_all()

    threads = [threading.Thread(target=delete), threading.Thread(target=add)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes["delete"] == 1
    assert isinstance(outcomes["add"], ValidationError)
    assert "budget_code" in outcomes["add"].message_dict
    assert "7.01.02.2.01" not in codes() and not RenaksiAction.objects.exists()


def test_the_code_of_a_line_a_renaksi_names_does_not_change(wonoasih, people, stored):
    renaksi_names(wonoasih, "7.01.02.2.01")
    line = BudgetLine.objects.get(code="7.01.02.2.01")
    values = LineValues("7.01.02.2.02", "Koordinasi Pelayanan", Decimal(300_000), Decimal(0))
    with pytest.raises(ValidationError) as caught:
        do_save_line(people["planner"], line, values)
    assert "7.01.02.2.01" in str(caught.value.message_dict["code"])
    assert BudgetLine.objects.filter(code="7.01.02.2.01").exists()


def test_the_import_page_lists_the_lines_to_remove_then_removes_them(people, stored, login):
    client = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", YEAR])
    upload = SimpleUploadedFile("anggaran.csv", WHOLE.encode())
    page = client.post(url, {"file": upload, "replace": "on"}).content.decode()
    assert 'id="removed"' in page and "7.01.02.2.01" in page and "Koordinasi Pelayanan" in page
    assert len(codes()) == 5
    store = confirm_url(page)
    page = client.post(store).content.decode()  # "Simpan" replaces, as the check said
    assert 'id="removed"' in page
    assert codes() == ["7.01.01", "7.01.01.2.01", "7.01.03"]


def test_a_renaksi_action_added_after_the_check_still_holds_its_line(
    wonoasih, people, stored, login
):
    client = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", YEAR])
    upload = SimpleUploadedFile("anggaran.csv", WHOLE.encode())
    store = confirm_url(client.post(url, {"file": upload, "replace": "on"}).content.decode())
    renaksi_names(wonoasih, "7.01.02.2.01")
    before = snapshot()
    page = client.post(store).content.decode()
    assert 'id="problems"' in page and "7.01.02.2.01" in page
    assert snapshot() == before


def test_the_import_page_refuses_an_outsider_who_asks_to_replace(people, stored, login):
    planner = login(people["planner"])
    url = reverse("budget:import", args=["kec-wonoasih", YEAR])
    upload = SimpleUploadedFile("anggaran.csv", WHOLE.encode())
    store = confirm_url(planner.post(url, {"file": upload, "replace": "on"}).content.decode())
    outsider = login(people["outsider"])
    upload = SimpleUploadedFile("anggaran.csv", WHOLE.encode())
    assert outsider.post(url, {"file": upload, "replace": "on"}).status_code in (403, 404)
    assert outsider.post(store).status_code in (403, 404)  # nor the planner's checked file
    assert len(codes()) == 5


def test_the_command_lists_the_lines_and_refuses_a_used_one(wonoasih, people, stored, tmp_path):
    path = tmp_path / "anggaran.csv"
    path.write_text(WHOLE, encoding="utf-8")
    out = io.StringIO()
    args = ["import", str(path), "--unit", "kec-wonoasih", "--year", str(YEAR), "--replace"]
    call_command("budget", *args, "--dry-run", stdout=out)
    assert "7.01.02.2.01 Koordinasi Pelayanan" in out.getvalue()
    assert len(codes()) == 5
    renaksi_names(wonoasih, "7.01.02")
    with pytest.raises(CommandError) as caught:
        call_command("budget", *args, stdout=io.StringIO())
    assert "7.01.02" in str(caught.value)
    assert len(codes()) == 5
    with pytest.raises(CommandError):  # the outsider, named with --as
        call_command("budget", *args, "--as", "outsider", stdout=io.StringIO())
    RenaksiAction.objects.all().delete()
    out = io.StringIO()
    call_command("budget", *args, stdout=out)
    assert "7.01.02.2.01" in out.getvalue()
    assert codes() == ["7.01.01", "7.01.01.2.01", "7.01.03"]
