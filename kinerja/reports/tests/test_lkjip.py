"""The LKjIP (docs/rules.md#lkjip): chapters in order, figures exactly as stored, sentences
from figures, narratives only as staff wrote them."""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from kinerja.accounts.models import OrgUnit
from kinerja.budget.queries import Totals
from kinerja.plan.models import Indicator
from kinerja.reports.actions import do_save_lkjip_narrative
from kinerja.reports.builders import build_capaian
from kinerja.reports.lkjip import (
    EFFICIENCY_FORMULA,
    Efficiency,
    build_lkjip,
    change_words,
    is_ikm,
)
from kinerja.reports.models import LkjipNarrative
from kinerja.reports.narratives import EMPTY, Narratives
from kinerja.reports.registry import render
from kinerja.results.actions import do_recompute
from kinerja.results.formatting import figure
from kinerja.results.tests.plans import COVERAGE, WAITING, load, put
from kinerja.surveys.actions import do_record_published_ikm
from kinerja_core.ikm import grade_of

HEADINGS = [
    "IKHTISAR EKSEKUTIF",
    "BAB I PENDAHULUAN",
    "BAB II PERENCANAAN KINERJA",
    "BAB III AKUNTABILITAS KINERJA",
    "A. Capaian Kinerja Organisasi",
    "B. Realisasi Anggaran",
    "BAB IV PENUTUP",
    "LAMPIRAN",
]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return flat(done.stdout.decode())


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return flat("\n".join(p.text for p in doc.paragraphs))


def in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


PART_END = r"Indikator [A-Z]\d|[67]\. (Efisiensi|Program)|(Sasaran|Tujuan) \d+:|B\. Realisasi"
LABEL = re.compile(r"\b([1-7])\. (Target|Perbandingan|Penyebab|Efisiensi|Program)\b")


def section_of(text: str, code: str) -> str:
    """The analyses of one indicator: 1–5 under its heading, and its part of analysis 7 (after
    the sasaran's analysis 6), each to the next indicator or part."""
    parts = []
    for found in re.finditer(f"Indikator {re.escape(code)} ", text):
        rest = text[found.start() + 1 :]
        ends = [m.start() for m in re.finditer(PART_END, rest)]
        parts.append(rest[: min(ends)] if ends else rest)
    assert parts, code
    return " ".join(parts)


def analysis_numbers(text: str) -> list[list[int]]:
    """The numbers of the analyses of chapter III A as printed, per sasaran (or tujuan)."""
    chapter = text[text.index("A. Capaian Kinerja Organisasi") : text.index("B. Realisasi")]
    sections = re.split(r"(?:Sasaran|Tujuan) \d+: ", chapter)[1:]
    return [[int(m.group(1)) for m in LABEL.finditer(section)] for section in sections]


def iku_json(plan: Any, year: int) -> dict[str, Any]:
    out = io.StringIO()
    call_command("results", "iku", "--plan", plan.code, "--year", str(year), "--json", stdout=out)
    return {i["code"]: i for i in json.loads(out.getvalue())["indicators"]}


def shown(number: float, decimals: int = 2) -> str:
    return figure(Decimal(str(number)), decimals)


def test_the_demo_lkjip_holds_every_chapter_and_the_stored_figures(demo, tmp_path) -> None:
    # the command line names no plan: the year's own plan of the chain is taken
    out = tmp_path / "lkjip.docx"
    call_command("report", "write", "lkjip", "--year", "2023", "--format", "docx", "-o", str(out))
    now, before = iku_json(demo, 2023)["S2.1"], iku_json(demo, 2022)["S2.1"]
    for text in (docx_text(out.read_bytes()), pdf_text(render("lkjip", "pdf", demo, 2023))):
        assert in_order(text, HEADINGS), text[:2000]
        s21 = section_of(text, "S2.1")
        assert f"sebesar {shown(now['realisation'])}" in s21
        assert f"capaian {shown(now['achievement'])} % dari target {shown(now['target'])}" in s21
        assert f"tahun 2022 ({shown(before['realisation'])})" in s21
        # the demo wrote analyses 5 and 7 for S2.1, none for T1.1
        assert "waktu tunggu layanan" in s21 and EMPTY not in s21
        assert section_of(text, "T1.1").count(EMPTY) == 2
        assert "Efisiensi = capaian sasaran (%) ÷ serapan anggaran (%)" in text
        # the IKM's analysis 1 gives its grade beside the band (docs/rules.md#ikm-grade)
        grade = grade_of(Decimal(str(now["realisation"])))
        assert f"mutu pelayanan {grade.letter} ({grade.label})" in s21
        assert "mutu pelayanan" not in section_of(text, "S1.1")


def test_the_seven_analyses_print_in_their_order(uji) -> None:
    """Per sasaran: analyses 1–5 of each indicator, then the sasaran's 6, then 7 of each."""
    do_save_lkjip_narrative(None, uji.unit, 2021, "programs", "Program pelayanan keliling.", "I2")
    report = build_lkjip(uji, 2021)
    expected = [[1, 2, 3, 4, 5] * len(s.indicators) + [6, 7] for s in report.sections]
    for text in (
        pdf_text(render("lkjip", "pdf", uji, 2021)),
        docx_text(render("lkjip", "docx", uji, 2021)),
    ):
        assert analysis_numbers(text) == expected
        assert "Indikator I2 Pertumbuhan layanan: Program pelayanan keliling." in text


def test_the_lkjip_draws_no_chart_it_does_not_print(uji) -> None:
    report = build_lkjip(uji, 2021)
    rows = [item.row for section in report.sections for item in section.indicators]
    assert len(rows) == 3 and all(row.chart == "" for row in rows)
    # the capaian document, which prints them, still draws one per indicator
    assert all(row.chart.startswith("<svg") for row in build_capaian(uji, 2021).rows)


IKM_INDICATOR = """\
- code: I4
  name: Indeks kepuasan
  level: goal
  formula: ikm
  unit: index
  decimals: 2
  data_source: Laporan SKM
  responsible: Kasi Pelayanan
  targets: {2021: 80, 2022: 81, 2023: 82}
"""


def test_the_ikm_analysis_names_the_grade_of_the_method_it_was_published_under(db) -> None:
    plan = load(COVERAGE, IKM_INDICATOR)
    # 74,67 is B (Baik) under KepMenPAN 25/2004, C (Kurang Baik) under PermenPANRB 14/2017
    do_record_published_ikm(
        plan.unit,
        2021,
        value=Decimal("74.67"),
        grade="B",
        method="kepmenpan-25-2004-rounded-weight",
        document_title="Laporan SKM 2021",
        evidence=SimpleUploadedFile("skm.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    do_recompute(plan, years=[2021])
    report = build_lkjip(plan, 2021)
    by_code = {i.row.indicator.code: i for s in report.sections for i in s.indicators}
    assert "sebesar 74,67 (Hampir tercapai), mutu pelayanan B (Baik), dengan capaian" in (
        by_code["I4"].current
    )
    assert "mutu pelayanan" not in by_code["I1"].current


def test_an_indicator_is_the_ikm_by_its_measure() -> None:
    bound = {"x": {"measure": "ikm", "filters": {"service": ["ktp"]}}}
    assert is_ikm(Indicator(formula=" ikm "))
    assert is_ikm(Indicator(formula="x", bindings=bound))
    assert not is_ikm(Indicator(formula="ikm / 25"))
    assert not is_ikm(Indicator(formula="ikm", bindings={"ikm": {"measure": "respondents"}}))
    assert not is_ikm(Indicator(formula="served / registered * 100"))


def test_a_narrative_prints_as_written_and_an_empty_one_says_so(uji) -> None:
    do_save_lkjip_narrative(None, uji.unit, 2021, "causes", "Petugas loket bertambah.", "I1")
    text = docx_text(render("lkjip", "docx", uji, 2021))
    assert "Petugas loket bertambah." in section_of(text, "I1")
    assert section_of(text, "I1").count(EMPTY) == 1  # analysis 7 not written
    assert section_of(text, "I3").count(EMPTY) == 2
    # emptied again: the document says so again, nothing generated in its place
    do_save_lkjip_narrative(None, uji.unit, 2021, "causes", "  ", "I1")
    assert not LkjipNarrative.objects.exists()
    assert section_of(docx_text(render("lkjip", "docx", uji, 2021)), "I1").count(EMPTY) == 2


def test_staff_text_comes_before_the_quarterly_monitoring_text() -> None:
    both = Narratives(
        written={("causes", "S1.1"): "ditulis staf"},
        quarterly={("causes", "S1.1"): "dari triwulan", ("programs", "S1.1"): "program triwulan"},
    )
    assert both.text("causes", "S1.1") == "ditulis staf"
    assert both.text("programs", "S1.1") == "program triwulan"
    assert both.text("programs", "S2.1") == EMPTY


def test_a_narrative_is_refused_whole_when_bad(uji, staff, settings) -> None:
    settings.KINERJA_LKJIP_NARRATIVE_MAX_CHARS = 10
    with pytest.raises(ValidationError) as refused:
        do_save_lkjip_narrative(staff["planner"], uji.unit, 2021, "causes", "x" * 11, "I1")
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        do_save_lkjip_narrative(staff["planner"], uji.unit, 2021, "causes", "pendek")
    assert "indicator_code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        do_save_lkjip_narrative(staff["planner"], uji.unit, 2021, "issues", "pendek", "I1")
    with pytest.raises(ValidationError):
        do_save_lkjip_narrative(staff["planner"], uji.unit, 2021, "sonnet", "pendek", "I1")
    for who in ("head", "outsider"):
        with pytest.raises(PermissionDenied):
            do_save_lkjip_narrative(staff[who], uji.unit, 2021, "causes", "pendek", "I1")
    assert not LkjipNarrative.objects.exists()
    saved = do_save_lkjip_narrative(staff["planner"], uji.unit, 2021, "causes", "x" * 10, "I1")
    assert saved is not None and saved.updated_by == staff["planner"]


def test_sentences_are_made_of_the_stored_figures(uji) -> None:
    report = build_lkjip(uji, 2021)
    waiting = next(i for s in report.sections for i in s.indicators if i.row.indicator.code == "I3")
    cell = waiting.row.cell
    assert waiting.current.startswith(
        f"Realisasi Hari tunggu tahun 2021 sebesar {figure(cell.realisation, 1)}"
    )
    assert f"dari target {cell.target_text()}" in waiting.current
    # a target of 0 for a lower-is-better indicator: no achievement, said so, none invented
    assert waiting.end_target == (
        "Capaian tahun 2021 terhadap target akhir Renstra 2023 (0) belum dapat dihitung."
    )
    covered = next(i for s in report.sections for i in s.indicators if i.row.indicator.code == "I1")
    assert covered.end_target == (
        "Realisasi tahun 2021 mencapai 71,43 % dari target akhir Renstra tahun 2023 sebesar 70%."
    )
    assert change_words(Decimal("87.08"), Decimal("87.88"), 2) == "turun 0,80 poin dari"
    assert change_words(Decimal("35.07"), Decimal("34.33"), 2) == "naik 0,74 poin dari"
    assert change_words(Decimal("5"), Decimal("5"), 0) == "sama dengan"


def test_analysis_4_compares_the_other_kecamatan_of_the_instance(uji) -> None:
    other = load(WAITING, code="lain", unit="kec-lain")
    put(other, "waiting_days", "kec-lain", "2021", "4")
    do_recompute(other, years=[2021])
    report = build_lkjip(uji, 2021)
    waiting = next(i for s in report.sections for i in s.indicators if i.row.indicator.code == "I3")
    assert "kec-lain 4,0" in waiting.comparison
    assert f"unit ini {figure(waiting.row.cell.realisation, 1)}" in waiting.comparison
    covered = next(i for s in report.sections for i in s.indicators if i.row.indicator.code == "I1")
    assert "Belum ada data unit lain" in covered.comparison
    assert OrgUnit.objects.get(code="kec-lain").level == uji.unit.level


def test_efficiency_is_achievement_over_absorption() -> None:
    eff = Efficiency(
        "sasaran", Totals(Decimal(200_000_000), Decimal(190_000_000)), Decimal("99.41")
    )
    assert eff.totals.absorption == Decimal("95.00")
    assert eff.ratio == Decimal("1.05")  # 99,41 ÷ 95,00 = 1,0464…
    assert eff.sentence() == (
        "Anggaran yang mendukung sasaran ini terserap 95,00 % (Rp 190.000.000 dari pagu "
        "Rp 200.000.000), dengan capaian sasaran 99,41 %; efisiensi 1,05."
    )
    assert Efficiency("tujuan", Totals(), Decimal(100)).ratio is None
    assert "tujuan ini" in Efficiency("tujuan", Totals(), None).sentence()
    assert "÷ pagu × 100" in EFFICIENCY_FORMULA


def test_analysis_2_reads_the_years_of_the_plan_before(uji) -> None:
    from kinerja.plan.actions import do_load_plan_text
    from kinerja.results.tests.plans import COVERAGE, GROWTH
    from kinerja.results.tests.test_series import CROSSWALK, next_plan

    links = CROSSWALK % "redefined"
    text = next_plan("redefined", COVERAGE, GROWTH, WAITING)
    new = do_load_plan_text(text.replace(links, links + "  I2: {same: I2}\n  I3: {same: I3}\n"))
    report = build_lkjip(new, 2025)
    covered = next(i for s in report.sections for i in s.indicators if i.row.indicator.code == "I1")
    assert "2021 50,00% (capaian 100,00 %)" in covered.history  # stored under plan uji
    assert "uji" in covered.history  # the change of definition is footnoted


def test_the_narratives_page_saves_every_field_or_none(uji, staff, login, settings) -> None:
    from django.urls import reverse

    url = reverse("reports:narratives") + f"?plan={uji.code}&year=2021"
    planner = login(staff["planner"])
    page = planner.get(url).content.decode()
    assert 'name="causes:I1"' in page and 'name="issues"' in page
    posted = {"causes:I1": "Sebab I1.", "programs:I3": "Program I3.", "issues": "Isu."}
    assert planner.post(url, posted).status_code == 302
    assert Narratives.load(uji.unit, 2021).text("programs", "I3") == "Program I3."
    # one field too long: nothing of this post is stored, the field is named
    settings.KINERJA_LKJIP_NARRATIVE_MAX_CHARS = 20
    page = planner.post(url, {**posted, "causes:I1": "Sebab baru.", "causes:I2": "x" * 21})
    assert page.status_code == 200
    assert "I2: " in page.content.decode() and "20" in page.content.decode()
    assert Narratives.load(uji.unit, 2021).text("causes", "I1") == "Sebab I1."
    # the head reads them, without a form to change them; an outsider's post is refused
    head = login(staff["head"]).get(url).content.decode()
    assert "Sebab I1." in head and "disabled>" in head
    assert login(staff["outsider"]).post(url, posted).status_code in (403, 404)


def test_the_reports_page_downloads_the_lkjip(uji, staff, login) -> None:
    from django.urls import reverse

    do_save_lkjip_narrative(None, uji.unit, 2021, "programs", "Program pelayanan keliling.", "I2")
    client = login(staff["head"])
    assert "lkjip" in client.get(reverse("reports:index"), {"plan": uji.code}).content.decode()
    response = client.get(
        reverse("reports:download", args=["lkjip", "docx"]), {"plan": uji.code, "year": "2021"}
    )
    assert response.status_code == 200
    assert "Program pelayanan keliling." in section_of(docx_text(response.content), "I2")
