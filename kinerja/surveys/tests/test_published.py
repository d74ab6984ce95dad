"""Published IKM values (docs/rules.md#ikm-published-values): recorded with their document, used by
the ``ikm`` measure for their unit and year, and replaced by the year's answers only by an
officer's recorded decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.audit.models import AuditEntry
from kinerja.surveys import measures
from kinerja.surveys.actions import do_decide_published_ikm, do_record_published_ikm
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import PublishedIkm
from kinerja.surveys.published import check_published, scale
from kinerja_core.formula import NotComputable
from kinerja_core.ikm import get_method
from kinerja_core.measures import Published
from kinerja_core.numbers import round_half_up
from kinerja_core.periods import Period

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db

D = Decimal
BOGOR = "kepmenpan-25-2004-rounded-weight"
REPORT = "Laporan Survei Kepuasan Masyarakat Kecamatan Wonoasih Tahun 2023"
YEAR = 2023
WORKED_IKM = D("91.48")  # the regulation's worked example, rounded


def document(name: str = "laporan-skm.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n") -> Any:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record(unit: Any, year: int = YEAR, **changes: Any) -> PublishedIkm:
    given: dict[str, Any] = {
        "value": D("74.67"),
        "grade": "B",
        "method": BOGOR,
        "document_title": REPORT,
        "document_number": "065/123/425.510/2023",
        "evidence": document(),
        **changes,
    }
    return do_record_published_ikm(unit, year, **given)


def ikm(unit: Any, period: str = str(YEAR), **filters: list[str]) -> Any:
    return measures.ikm(unit, Period.parse(period), filters)


def import_answers(kec: Any, year: int = YEAR) -> None:
    import_bytes(kec, csv_text(worked_rows(), day=f"{year}-03-05").encode(), "jawaban.csv")


@pytest.mark.parametrize(
    ("year", "value", "grade", "method", "field"),
    [
        (2003, "74.67", "B", BOGOR, "year"),  # before KepMenPAN 25/2004
        (2999, "74.67", "B", BOGOR, "year"),
        (2011, "99.50", "A", BOGOR, "value"),  # 0,071 × 14 × 4 × 25 = 99,40 at most
        (2011, "24.80", "D", BOGOR, "value"),
        (2011, "74.667", "B", BOGOR, "value"),  # as printed: two decimals
        (2011, "74.67", "A", BOGOR, "grade"),  # 74,67 is B under the 2004 bands
        (2011, "74.67", "E", BOGOR, "grade"),
        (2011, "74.67", "B", "permenpanrb-16-2014", "method"),
        (2019, "88.30", "A", "permenpanrb-14-2017", "grade"),  # 88,30 is B, 88,31 is A
    ],
)
def test_it_refuses_what_a_unit_cannot_have_published(
    year: int, value: str, grade: str, method: str, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        check_published(year, D(value), grade, method)
    assert field in info.value.message_dict


def test_it_accepts_the_ends_of_each_methods_scale() -> None:
    assert scale(get_method("permenpanrb-14-2017")) == (D("25.00"), D("100.00"))
    assert scale(get_method("permenpanrb-14-2017-rounded-weight")) == (D("24.98"), D("99.90"))
    assert scale(get_method(BOGOR)) == (D("24.85"), D("99.40"))
    check_published(2011, D("74.67"), "B", BOGOR)
    check_published(2011, D("99.40"), "A", BOGOR)
    check_published(2019, D("88.31"), "A", "permenpanrb-14-2017")


def test_the_measure_gives_the_published_value_of_a_year_without_answers(kec: Any) -> None:
    assert ikm(kec) is None
    record(kec)
    assert ikm(kec) == Published(D("74.67"), f"{REPORT} (065/123/425.510/2023)")
    kel = kec.children.get()
    assert ikm(kel) is None  # a published value stands for its own unit only
    assert ikm(kec, str(YEAR - 1)) is None


def test_it_keeps_the_published_value_for_the_whole_year_and_unit_only(kec: Any) -> None:
    record(kec)
    quarter = ikm(kec, f"{YEAR}-Q2")
    assert isinstance(quarter, NotComputable) and "seluruh tahun" in str(quarter)
    per_service = ikm(kec, service=["ktp"])
    assert isinstance(per_service, NotComputable) and "per layanan" in str(per_service)


def test_answers_imported_later_replace_it_only_by_a_recorded_decision(
    kec: Any, service: Any, people: Any
) -> None:
    row = record(kec)
    import_answers(kec)
    assert isinstance(ikm(kec), Published)  # the answers wait for a decision
    do_decide_published_ikm(
        row, use_answers=True, reason="Data mentah 2023 sudah lengkap", user=people["admin"]
    )
    assert round_half_up(ikm(kec), 2) == WORKED_IKM
    row.refresh_from_db()
    assert not row.in_force and row.decision_reason == "Data mentah 2023 sudah lengkap"
    history = row.history.order_by("-history_date").first()  # type: ignore[attr-defined]
    assert history.history_change_reason == "Data mentah 2023 sudah lengkap"
    assert history.history_user == people["admin"]
    entry = AuditEntry.objects.filter(model="surveys.publishedikm").order_by("-seq").first()
    assert entry is not None and entry.reason == "Data mentah 2023 sudah lengkap"
    assert entry.actor_name == "admin"
    assert entry.changes["after"]["in_force"] is False
    # and back, again only with a reason
    do_decide_published_ikm(row, use_answers=False, reason="Sesuai laporan resmi", user=None)
    assert isinstance(ikm(kec), Published)


def test_a_decision_needs_a_reason_and_answers_to_switch_to(kec: Any) -> None:
    row = record(kec)
    with pytest.raises(ValidationError, match="alasan"):
        do_decide_published_ikm(row, use_answers=True, reason="  ")
    with pytest.raises(ValidationError, match="belum memiliki jawaban"):
        do_decide_published_ikm(row, use_answers=True, reason="coba")
    with pytest.raises(ValidationError, match="sudah memakai nilai terbit"):
        do_decide_published_ikm(row, use_answers=False, reason="coba")
    row.refresh_from_db()
    assert row.in_force


def test_a_correction_keeps_the_decision_and_may_keep_the_document(kec: Any) -> None:
    row = record(kec)
    stored = row.evidence.name
    corrected = record(kec, value=D("74.66"), evidence=None)
    assert corrected.pk == row.pk and corrected.value == D("74.66")
    assert corrected.evidence.name == stored and corrected.in_force
    assert PublishedIkm.objects.count() == 1


def test_a_new_record_needs_its_document_of_an_accepted_type(kec: Any) -> None:
    with pytest.raises(ValidationError) as info:
        record(kec, evidence=None)
    assert "evidence" in info.value.message_dict
    with pytest.raises(ValidationError, match="PDF, JPEG atau PNG"):
        record(kec, evidence=document("laporan.pdf", b"<html>bukan pdf</html>"))
    assert not PublishedIkm.objects.exists()


def test_the_batch_reader_gives_what_the_measure_gives(
    kec: Any, service: Any, django_assert_num_queries: Any
) -> None:
    kel = kec.children.get()
    record(kec)
    record(kel, YEAR - 1, value=D("80.00"), grade="B", method="permenpanrb-14-2017")
    import_answers(kec)
    units = [kec.parent, kec, kel]
    reader = measures.TallyBatch(units)
    with django_assert_num_queries(2):  # the tallies of the period, the published values
        reader.values("ikm", Period(YEAR), {})
    for period in (Period(YEAR - 1), Period(YEAR), Period(YEAR, "quarter", 1)):
        for given in ({}, {"service": ["ktp"]}):
            expected = {u.pk: measures.ikm(u, period, given) for u in units}
            assert reader.values("ikm", period, given) == expected, (period, given)
    assert reader.values("ikm", Period(YEAR), {})[kec.pk] == Published(
        D("74.67"), f"{REPORT} (065/123/425.510/2023)"
    )


def test_the_single_ikm_reads_the_published_record_only_when_there_is_one(
    kec: Any, service: Any, django_assert_num_queries: Any
) -> None:
    """A unit and year without a published value cost the one rollup aggregate, no more."""
    import_answers(kec)
    with django_assert_num_queries(1):
        assert round_half_up(ikm(kec), 2) == WORKED_IKM
    record(kec)
    with django_assert_num_queries(2):  # the aggregate tells there is one; then the record
        assert isinstance(ikm(kec), Published)
