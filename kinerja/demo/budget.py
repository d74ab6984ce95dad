"""Demo budget lines for `kinerja demo load`: Kecamatan Wonoasih, 2020–2024, labelled DATA CONTOH.

ILLUSTRATIVE, not the kecamatan's real DPA: a plausible set of the three programs of a kecamatan
in the national nomenclature (urusan 7.01), a few kegiatan and sub-kegiatan under each, with pagu
growing a little each year and realisation between 85 % and 99 % of it. The public-service program
supports S2 (IKM, S2.1) and the community-empowerment program S1 (S1.1). Loaded through the same
import as a real file, so loading it twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.accounts.models import OrgUnit
from kinerja.budget.actions import do_import_lines
from kinerja.budget.importing import Row
from kinerja.plan.models import Plan

UNIT = "kec-wonoasih"
YEARS = range(2020, 2025)
# (code, name, pagu in 2020 in rupiah, sasaran, indikator); a program's pagu is its kegiatan's sum.
LINES = [
    ("7.01.01.2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah", 24_000_000, "", ""),
    ("7.01.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah", 14_000_000, "", ""),
    ("7.01.01.2.01.0006", "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD", 10_000_000, "", ""),
    ("7.01.01.2.02", "Administrasi Keuangan Perangkat Daerah", 1_450_000_000, "", ""),
    ("7.01.01.2.06", "Administrasi Umum Perangkat Daerah", 185_000_000, "", ""),
    ("7.01.02.2.01", "Koordinasi Penyelenggaraan Pelayanan Publik di Tingkat Kecamatan", 96_000_000, "S2", "S2.1"),
    ("7.01.02.2.02", "Koordinasi Kegiatan Ketenteraman dan Ketertiban Umum", 64_000_000, "S2", ""),
    ("7.01.03.2.01", "Pemberdayaan Kelompok dan Lembaga Kemasyarakatan Kelurahan", 118_000_000, "S1", "S1.1"),
    ("7.01.03.2.02", "Fasilitasi Kegiatan Pembangunan Sarana dan Prasarana Kelurahan", 210_000_000, "S1", ""),
]  # fmt: skip
PROGRAMS = [
    ("7.01.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "", ""),
    ("7.01.02", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", "S2", ""),
    ("7.01.03", "Program Pemberdayaan Masyarakat Desa dan Kelurahan", "S1", ""),
]
GROWTH = Decimal("1.04")  # pagu grows 4 % a year
ABSORPTION = {2020: Decimal("0.88"), 2021: Decimal("0.93"), 2022: Decimal("0.95"),
              2023: Decimal("0.97"), 2024: Decimal("0.99")}  # fmt: skip
THOUSAND = Decimal(1000)


def pagu(base: int, year: int) -> Decimal:
    """Rounded to the thousand rupiah, as a DPA is."""
    grown = Decimal(base) * GROWTH ** (year - YEARS[0])
    return (grown / THOUSAND).quantize(Decimal(1)) * THOUSAND


def under(code: str, amounts: dict[str, tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """Pagu and realisation of the lines one level under ``code`` (a sum, as SIPD gives it)."""
    children = [c for c in amounts if c.startswith(code + ".") and c.count(".") == 4]
    if code.count(".") == 4:
        children = [c for c in amounts if c.startswith(code + ".")]
    return (
        sum((amounts[c][0] for c in children), Decimal(0)),
        sum((amounts[c][1] for c in children), Decimal(0)),
    )


def rows_of(year: int) -> list[Row]:
    """The year's file: programs, kegiatan and sub-kegiatan; a parent's amounts are its lines'."""
    amounts: dict[str, tuple[Decimal, Decimal]] = {}
    for index, (code, _name, base, _s, _i) in enumerate(reversed(LINES)):  # sub-kegiatan first
        budget = pagu(base, year)
        # Some lines absorb a little less than the year's rate, so the sasaran differ.
        rate = ABSORPTION[year] - Decimal("0.015") * (index % 3)
        amounts[code] = (
            under(code, amounts)
            if any(c.startswith(code + ".") for c in amounts)
            else (budget, (budget * rate / THOUSAND).quantize(Decimal(1)) * THOUSAND)
        )
    rows = [line(code, name, *under(code, amounts), s, i) for code, name, s, i in PROGRAMS]
    rows += [line(code, name, *amounts[code], s, i) for code, name, _base, s, i in LINES]
    return list(enumerate(rows, start=2))


def line(
    code: str, name: str, budget: Decimal, spent: Decimal, sasaran: str, indikator: str
) -> dict[str, str]:
    return {"kode": code, "nama": name, "pagu": str(budget), "realisasi": str(spent),
            "sasaran": sasaran, "indikator": indikator}  # fmt: skip


def load(plan: Plan) -> str:
    unit = OrgUnit.objects.get(code=UNIT)
    created = 0
    for year in YEARS:
        if plan.start_year <= year <= plan.end_year:
            created += do_import_lines(None, unit, year, rows_of(year)).created
    return f"{created} budget lines created (illustrative, {YEARS[0]}–{YEARS[-1]})"
