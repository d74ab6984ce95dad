"""The PK per level (docs/rules.md#pk-per-level): the Camat's lists the sasaran-level IKUs once
each with the unit's programs and their total; an officer's lists the indicators they hold with
the lines linked to them; a PK Perubahan is a new version and the original is kept."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kinerja.budget.actions import do_import_lines
from kinerja.budget.models import BudgetLine
from kinerja.budget.queries import unit_year_totals
from kinerja.lib.tables import iter_rows
from kinerja.plan.actions import do_load_plan_text
from kinerja.reports.actions import SignatoryInput, do_save_pk_version, do_save_signatory
from kinerja.reports.models import PkVersion, Signatory
from kinerja.reports.pk import build_level_pk
from kinerja.reports.registry import render, render_data
from kinerja.reports.tests.test_documents import docx_text
from kinerja.test import WONOASIH_PLAN, load_wonoasih, personas

pytestmark = pytest.mark.django_db

SIGNED = date(2024, 1, 15)
BUDGET = """kode,nama,pagu,realisasi,sasaran,indikator
7.01.01,Program Penunjang Urusan Pemerintahan,1.000.000,900000,,
7.01.01.2.01,Perencanaan dan Evaluasi,400000,350000,,
7.01.02,Program Penyelenggaraan Pemerintahan dan Pelayanan Publik,500000,500000,S2,
7.01.03,Program Pemberdayaan Masyarakat Desa dan Kelurahan,"300.000,50",250000,,S1.1
"""
# The names the plan's document prints for S1.1 and S2.1 (document.target_name.CODE), which its
# PK prints too; they are stored as "…yang Difasilitasi" and "IKM".
S11_PRINTED = "Persentase Kelompok dan Lembaga Kemasyarakatan yang difasilitasi"
IKM_PRINTED = "Indeks Kepuasan Masyarakat (IKM)"
T11 = "Persentase Peningkatan Cakupan Pemberdayaan Masyarakat di Kecamatan Wonoasih"
T21 = "Indeks Kepuasan Masyarakat (IKM) pada Kecamatan Wonoasih"
KASI_PEMAS = "Kasi Pemberdayaan Masyarakat"


def pdf_text(content: bytes) -> str:
    """The PDF's words in reading order, each cell's lines joined (no layout columns)."""
    assert content.startswith(b"%PDF-")
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def import_budget(plan, text: str = BUDGET, year: int = 2024) -> None:
    rows = list(iter_rows(io.BytesIO(text.encode("utf-8")), "anggaran.csv"))
    do_import_lines(None, plan.unit, year, rows)


@pytest.fixture
def wonoasih():
    plan = load_wonoasih()
    import_budget(plan)
    return plan


def texts(plan, year: int = 2024, **kwargs) -> list[str]:
    data = build_level_pk(plan, year, SIGNED, **kwargs)
    return [pdf_text(render_data("pk", "pdf", data)), docx_text(render_data("pk", "docx", data))]


def test_the_camat_pk_lists_sasaran_level_ikus_once_with_the_budget_total(wonoasih) -> None:
    data = build_level_pk(wonoasih, 2024, SIGNED)
    assert [r.indicator for r in data.rows] == [S11_PRINTED, IKM_PRINTED]
    assert [r.target for r in data.rows] == ["40%", "88,60"]
    # the unit's top lines, the kegiatan under 7.01.01 counted inside its program
    assert [p.code for p in data.programs] == ["7.01.01", "7.01.02", "7.01.03"]
    total = unit_year_totals(wonoasih.unit, 2024).budget
    assert total == Decimal("1800000.50") and data.budget_total == "Rp 1.800.000,50"
    with translation.override("en"):  # `LANGUAGE=en kinerja report write pk`: still Indonesian
        english = build_level_pk(wonoasih, 2024, SIGNED)
        assert english.budget_total == "Rp 1.800.000,50"
        assert [r.target for r in english.rows] == ["40%", "88,60"]  # not "88.60"
    for text in texts(wonoasih):
        assert "PERJANJIAN KINERJA TAHUN 2024" in text
        assert S11_PRINTED in text and IKM_PRINTED in text
        assert "Rp 1.800.000,50" in text and "Rp 300.000,50" in text
        assert T11 not in text and T21 not in text  # goal-level: not asked by the plan
        assert "Wali Kota Probolinggo" in text
        assert "Perencanaan dan Evaluasi" not in text


def test_goal_level_indicators_come_only_when_the_plan_asks(db) -> None:
    text = WONOASIH_PLAN.read_text("utf-8").replace(
        "document:\n", "document:\n  pk_goal_indicators: true\n", 1
    )
    plan = do_load_plan_text(text)
    data = build_level_pk(plan, 2024, SIGNED)
    assert [r.indicator for r in data.rows] == [T11, S11_PRINTED, T21, IKM_PRINTED]
    assert data.programs == [] and data.budget_total == "Rp 0"


def test_an_officer_pk_lists_the_indicators_they_hold_and_their_lines(wonoasih) -> None:
    do_save_signatory(
        None,
        wonoasih.unit,
        SignatoryInput(
            role=Signatory.Role.HEAD,
            name="Camat Satu",
            nip="197503122000031004",
            rank="Pembina (IV/a)",
            position="Camat Wonoasih",
            valid_from=date(2023, 1, 1),
        ),
    )
    do_save_signatory(
        None,
        wonoasih.unit,
        SignatoryInput(
            role=Signatory.Role.OFFICER,
            name="Kasi Dua",
            nip="198204042005012003",
            rank="Penata (III/c)",
            position=KASI_PEMAS,
            valid_from=date(2023, 1, 1),
        ),
    )
    data = build_level_pk(wonoasih, 2024, SIGNED, level="kasi", officer=KASI_PEMAS.lower())
    assert [r.indicator for r in data.rows] == [S11_PRINTED]
    assert [p.code for p in data.programs] == ["7.01.03"]
    assert data.common.signing.name == "Kasi Dua"
    assert data.common.signing.superior_name == "Camat Satu"
    assert data.common.signing.superior_title == "Camat Wonoasih"
    assert not data.common.signing.draft
    service = build_level_pk(wonoasih, 2024, SIGNED, level="kasi", officer="Kasi Pemerintahan")
    assert [r.indicator for r in service.rows] == [IKM_PRINTED]
    assert [p.code for p in service.programs] == ["7.01.02"]  # linked to S2, the IKM's sasaran
    for text in texts(wonoasih, level="kasi", officer=KASI_PEMAS):
        assert "KASI PEMBERDAYAAN MASYARAKAT" in text and S11_PRINTED in text
        assert "IKM" not in text
        assert "Kasi Dua" in text and "Camat Satu" in text and "Rp 300.000,50" in text


def test_an_officer_without_indicators_or_a_name_is_refused(wonoasih) -> None:
    with pytest.raises(ValidationError, match="Kasi Tidak Ada"):
        build_level_pk(wonoasih, 2024, SIGNED, level="kasi", officer="Kasi Tidak Ada")
    with pytest.raises(ValidationError, match="--officer"):
        build_level_pk(wonoasih, 2024, SIGNED, level="kasi", officer=" ")
    with pytest.raises(ValidationError, match="lurah"):
        build_level_pk(wonoasih, 2024, SIGNED, level="lurah")


def test_a_pk_for_a_year_without_targets_is_refused_naming_the_indicator(db) -> None:
    text = WONOASIH_PLAN.read_text("utf-8")
    # S2.1's targets are the last block of the file: its 2024 target left empty
    head, tail = text.rsplit("        2024: 88.60\n", 1)
    plan = do_load_plan_text(head + "        2024: null\n" + tail)
    with pytest.raises(ValidationError) as refused:
        build_level_pk(plan, 2024, SIGNED)
    assert "S2.1 IKM" in refused.value.messages[0] and "S1.1" not in refused.value.messages[0]
    assert build_level_pk(plan, 2023, SIGNED).rows  # other years print


def test_a_pk_perubahan_is_a_new_version_and_the_original_is_kept(wonoasih) -> None:
    first = do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2024, 1, 15))
    assert first.version == 1
    with pytest.raises(ValidationError, match="wajib menyebut alasannya"):
        do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2024, 9, 30))
    with pytest.raises(ValidationError, match="antara 2023 dan 2024"):
        do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2025, 1, 2), "APBD-P")
    BudgetLine.objects.filter(unit=wonoasih.unit, year=2024, code="7.01.02").update(
        budget=Decimal("700000")
    )
    second = do_save_pk_version(
        None, wonoasih, 2024, "camat", "", date(2024, 9, 30), "Perubahan APBD 2024"
    )
    assert second.version == 2 and PkVersion.objects.count() == 2
    original = build_level_pk(wonoasih, 2024, None, version=1)
    changed = build_level_pk(wonoasih, 2024)
    assert original.budget_total == "Rp 1.800.000,50"
    assert changed.budget_total == "Rp 2.000.000,50" and changed.version == 2
    for text in (
        pdf_text(render_data("pk", "pdf", changed)),
        docx_text(render_data("pk", "docx", changed)),
    ):
        assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2024" in text
        assert "Perubahan ke-1 tanggal 30 September 2024: Perubahan APBD 2024" in text
        assert "30 September 2024" in text
    assert "PERUBAHAN" not in pdf_text(render_data("pk", "pdf", original))
    # the registry's PK is the latest stored version
    assert "Rp 2.000.000,50" in docx_text(render("pk", "docx", wonoasih, 2024))


def test_a_pk_reason_has_a_length_limit(wonoasih, settings) -> None:
    assert settings.KINERJA_PK_REASON_MAX_CHARS == 2000
    settings.KINERJA_PK_REASON_MAX_CHARS = 10
    do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2024, 1, 15))
    with pytest.raises(ValidationError, match="lebih dari 10 karakter"):
        do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2024, 9, 30), "x" * 11)
    assert PkVersion.objects.count() == 1


def test_another_units_officer_may_not_store_a_pk(wonoasih) -> None:
    users = personas()
    with pytest.raises(PermissionDenied):
        do_save_pk_version(users["operator"], wonoasih, 2024, "camat", "", date(2024, 1, 15))
    with pytest.raises(PermissionDenied):
        do_save_pk_version(users["outsider"], wonoasih, 2024, "camat", "", date(2024, 1, 15))
    assert not PkVersion.objects.exists()


def test_the_command_writes_each_level_and_stores_versions(wonoasih, tmp_path) -> None:
    out = StringIO()
    target = tmp_path / "pk.docx"
    call_command(
        "report", "pk", "--year", "2024", "--level", "camat", "-f", "docx", "-o", str(target),
        stdout=out,
    )  # fmt: skip
    text = docx_text(target.read_bytes())
    assert S11_PRINTED in text and T11 not in text and "Rp 1.800.000,50" in text
    assert "1. " + S11_PRINTED in out.getvalue() and "2. " + IKM_PRINTED in out.getvalue()
    kasi = tmp_path / "kasi.pdf"
    call_command(
        "report", "pk", "--year", "2024", "--level", "kasi", "--officer", KASI_PEMAS,
        "-o", str(kasi), stdout=StringIO(),
    )  # fmt: skip
    assert S11_PRINTED in pdf_text(kasi.read_bytes()) and "IKM" not in pdf_text(kasi.read_bytes())
    with pytest.raises(CommandError, match="--agree"):
        call_command(
            "report", "pk", "--year", "2024", "--revise", "--reason", "APBD-P",
            "--date", "2024-09-30", "-o", str(target), stdout=StringIO(),
        )  # fmt: skip
    call_command(
        "report", "pk", "--year", "2024", "--agree", "--date", "2024-01-15", "-o", str(target),
        stdout=StringIO(),
    )  # fmt: skip
    call_command(
        "report", "pk", "--year", "2024", "--revise", "--reason", "APBD-P",
        "--date", "2024-09-30", "-o", str(target), stdout=StringIO(),
    )  # fmt: skip
    assert list(PkVersion.objects.values_list("version", flat=True)) == [1, 2]


def test_the_command_refuses_a_year_without_targets_naming_the_indicator(db, tmp_path) -> None:
    text = WONOASIH_PLAN.read_text("utf-8")
    plan = do_load_plan_text(text.replace("        2024: 40\n", "        2024: null\n"))
    target = tmp_path / "pk.pdf"
    with pytest.raises(CommandError, match="S1.1"):
        call_command(
            "report", "pk", "--plan", plan.code, "--year", "2024", "-o", str(target),
            stdout=StringIO(),
        )  # fmt: skip
    assert not target.exists()


def test_the_reports_page_offers_each_officers_pk_and_the_stored_versions(
    wonoasih, people, login
) -> None:
    do_save_pk_version(None, wonoasih, 2024, "camat", "", date(2024, 1, 15))
    client = login(people["planner"])
    page = client.get(reverse("reports:index"), {"year": "2024"}).content.decode()
    for position in (KASI_PEMAS, "Kasi Pelayanan", "Kasi Keamanan dan Ketertiban"):
        assert f"officer={quote(position)}" in page
    assert "version=1" in page
    url = reverse("reports:download", args=["pk", "docx"])
    asked = {"plan": wonoasih.code, "year": "2024", "level": "kasi"}
    response = client.get(url, {**asked, "officer": KASI_PEMAS})
    assert response.status_code == 200
    text = docx_text(response.content)
    assert S11_PRINTED in text and "IKM" not in text and "Rp 300.000,50" in text
    refused = client.get(url, {**asked, "officer": "Kasi Tidak Ada"})
    assert refused.status_code == 302
    page = client.get(refused["Location"]).content.decode()
    assert "Kasi Tidak Ada" in page
    outsider = login(people["outsider"])
    assert outsider.get(url, {"plan": wonoasih.code, "year": "2024"}).status_code == 403


def test_officers_of_different_positions_sign_at_once_one_holder_per_position(wonoasih) -> None:
    def officer(name: str, position: str) -> SignatoryInput:
        return SignatoryInput(
            role=Signatory.Role.OFFICER,
            name=name,
            nip="",
            rank="",
            position=position,
            valid_from=date(2024, 1, 1),
        )

    do_save_signatory(None, wonoasih.unit, officer("Satu", "Kasi Pelayanan"))
    do_save_signatory(None, wonoasih.unit, officer("Dua", KASI_PEMAS))
    with pytest.raises(ValidationError, match="Satu"):
        do_save_signatory(None, wonoasih.unit, officer("Tiga", "kasi pelayanan"))
    assert Signatory.objects.filter(role=Signatory.Role.OFFICER).count() == 2


def test_a_pk_of_a_year_asked_of_the_next_plan_is_the_plan_of_that_year(wonoasih) -> None:
    later = do_load_plan_text(
        (WONOASIH_PLAN.parent / "wonoasih-2025-2029.yaml").read_text(encoding="utf-8")
    )
    assert later.continues == wonoasih.code
    data = build_level_pk(later, 2024, SIGNED)
    assert data.common.plan == wonoasih
    assert [r.target for r in data.rows] == ["40%", "88,60"]
    assert data.budget_total == "Rp 1.800.000,50"
    assert [r.target for r in build_level_pk(later, 2025, SIGNED).rows] == ["42%", "88,60"]


def test_the_pk_command_writes_a_year_of_the_plan_before_without_naming_it(
    wonoasih, tmp_path
) -> None:
    do_load_plan_text((WONOASIH_PLAN.parent / "wonoasih-2025-2029.yaml").read_text("utf-8"))
    target = tmp_path / "pk-2022.pdf"
    call_command("report", "pk", "--year", "2022", "-o", str(target), stdout=StringIO())
    text = pdf_text(target.read_bytes())
    assert "PERJANJIAN KINERJA TAHUN 2022" in text and IKM_PRINTED in text and "86,60" in text
