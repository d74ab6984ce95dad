"""Demo registry for `kinerja demo load`: the 6 kelurahan of Wonoasih, labelled DATA CONTOH.

Deterministic (fixed seed) and idempotent: it is loaded through the same importer as a real
file, so loading it twice changes nothing. Coverage rises year on year roughly along the plan's
targets: about a fifth of the groups facilitated in the baseline year 2019, two fifths by 2024,
and on through the last complete quarter before today (kinerja/demo/period.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.community.importers import Row, do_import

from .period import data_end, share_of_year

SEED = 2019
FIRST_YEAR = 2019
# year -> (share of groups fostered up to the year, share facilitated in the year)
COVERAGE = {
    2019: (0.22, 0.22),
    2020: (0.28, 0.25),
    2021: (0.35, 0.29),
    2022: (0.43, 0.33),
    2023: (0.52, 0.37),
    2024: (0.62, 0.41),
}
# After 2024 (the 2025–2029 plan, a level target): the shares keep rising by these steps a year.
LATER_STEP = (0.06, 0.02)


def coverage(year: int) -> tuple[float, float]:
    if year in COVERAGE:
        return COVERAGE[year]
    last = max(COVERAGE)
    cumulative, yearly = COVERAGE[last]
    n = year - last
    return min(cumulative + n * LATER_STEP[0], 0.95), min(yearly + n * LATER_STEP[1], 0.6)


ABBREVIATIONS = {
    "kel-wonoasih": "WNS",
    "kel-jrebeng-kidul": "JRK",
    "kel-pakistaji": "PKJ",
    "kel-kedunggaleng": "KDG",
    "kel-kedung-asem": "KDA",
    "kel-sumber-taman": "SBT",
}
POSYANDU = ["Melati", "Mawar", "Anggrek", "Kenanga", "Flamboyan", "Dahlia", "Cempaka"]
COMMUNITY = [
    ("kelompok-tani", "Kelompok Tani {}", ["Sumber Rejeki", "Tani Makmur", "Sri Rejeki"]),
    ("kelompok-tani", "KWT {}", ["Mawar Merah", "Sekar Arum", "Lestari"]),
    ("umkm", "UMKM {}", ["Kripik Mangga", "Batik Probolinggo", "Olahan Anggur"]),
    ("kube", "KUBE {}", ["Sejahtera", "Maju Bersama", "Mandiri"]),
    ("majelis-taklim", "Majelis Taklim {}", ["Al-Hidayah", "Nurul Iman", "Al-Ikhlas"]),
    ("bank-sampah", "Bank Sampah {}", ["Berseri", "Bersih Sehat", "Hijau Lestari"]),
    ("pokdarwis", "Pokdarwis {}", ["Wisata Bromo Indah", "Sumber Air"]),
    ("kampung-tematik", "Kampung Tematik {}", ["Kampung Mangga", "Kampung Anggur"]),
]
TITLES = {
    "facilitation": [
        "Fasilitasi Administrasi Kelembagaan",
        "Fasilitasi Penyusunan Program Kerja",
        "Bimbingan Teknis Pengelolaan Keuangan",
        "Pelatihan Kewirausahaan",
    ],
    "fostering": [
        "Pembinaan Kelembagaan",
        "Pembinaan dan Monitoring Kegiatan",
        "Rapat Koordinasi Pembinaan",
        "Sosialisasi Program Pemberdayaan",
    ],
}


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def group_rows(rng: random.Random, kelurahan: list[OrgUnit]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(kind: str, code: str, name: str, unit: OrgUnit, established: date) -> dict[str, Any]:
        row = {
            "code": code,
            "name": name,
            "kind": kind,
            "kelurahan": unit.code,
            "established": established,
            "dissolved": None,
            "members": rng.randint(8, 60),
            "notes": "DATA CONTOH",
        }
        rows.append(row)
        return row

    for unit in kelurahan:
        ab = ABBREVIATIONS.get(unit.code, unit.code[:3].upper())
        old = (date(2005, 1, 1), date(2017, 12, 31))
        for rw in range(1, rng.randint(3, 5) + 1):
            add("rw", f"{ab}-RW{rw:02d}", f"RW {rw:02d} {unit.name}", unit, random_day(rng, *old))
            for rt in range(1, rng.randint(2, 3) + 1):
                add(
                    "rt",
                    f"{ab}-RT{rw:02d}{rt:02d}",
                    f"RT {rt:02d} RW {rw:02d} {unit.name}",
                    unit,
                    random_day(rng, *old),
                )
        add("lpmk", f"{ab}-LPMK", f"LPMK {unit.name}", unit, random_day(rng, *old))
        add("pkk", f"{ab}-PKK", f"TP PKK Kelurahan {unit.name}", unit, random_day(rng, *old))
        add("karang-taruna", f"{ab}-KT", f"Karang Taruna {unit.name}", unit, random_day(rng, *old))
        for i, flower in enumerate(rng.sample(POSYANDU, rng.randint(2, 3)), start=1):
            add("posyandu", f"{ab}-PSY{i}", f"Posyandu {flower}", unit, random_day(rng, *old))
        used: set[str] = set()
        for i in range(1, rng.randint(4, 6) + 1):
            kind, pattern, names = rng.choice(COMMUNITY)
            name = pattern.format(rng.choice(names))
            name = name if name not in used else f"{name} {i}"
            used.add(name)
            recent = rng.random() < 0.4
            span = (date(2020, 1, 1), date(2023, 9, 30)) if recent else (date(2012, 1, 1), old[1])
            row = add(
                kind,
                f"{ab}-KM{i:02d}",
                name,
                unit,
                random_day(rng, *span),
            )
            if not recent and rng.random() < 0.15:
                row["dissolved"] = random_day(rng, date(2021, 3, 1), date(2023, 12, 31))
    return rows


def exists(row: dict[str, Any], year: int) -> bool:
    return row["established"] <= date(year, 12, 31) and (
        row["dissolved"] is None or row["dissolved"] >= date(year, 1, 1)
    )


def activity_rows(
    rng: random.Random, groups: list[dict[str, Any]], end: date
) -> list[dict[str, Any]]:
    """Per kelurahan and year up to ``end``: reach new groups (cumulative share) plus repeats
    (yearly share); a year ``end`` cuts short gets the part of its progress it had by then."""
    rows: list[dict[str, Any]] = []
    reached: set[str] = set()
    codes = sorted({g["kelurahan"] for g in groups})
    for year in range(FIRST_YEAR, end.year + 1):
        cumulative, yearly = coverage(year)
        part = share_of_year(year, end)
        if part < 1:
            before = coverage(year - 1)[0]
            cumulative, yearly = before + part * (cumulative - before), part * yearly
        for kel in codes:
            existing = [g for g in groups if g["kelurahan"] == kel and exists(g, year)]
            noise = rng.uniform(-0.04, 0.04)
            done = [g for g in existing if g["code"] in reached]
            fresh = [g for g in existing if g["code"] not in reached]
            n_new = max(0, min(len(fresh), round((cumulative + noise) * len(existing)) - len(done)))
            n_year = max(n_new, round((yearly + noise) * len(existing)))
            picked = rng.sample(fresh, n_new) + rng.sample(done, min(len(done), n_year - n_new))
            reached |= {g["code"] for g in picked}
            rng.shuffle(picked)
            while picked:
                size = rng.randint(2, 5)
                batch, picked = picked[:size], picked[size:]
                rows.extend(one_activity(rng, batch, year, kel, end))
    return rows


def one_activity(
    rng: random.Random, batch: list[dict[str, Any]], year: int, kel: str, until: date
) -> list[dict[str, Any]]:
    kind = rng.choice(["facilitation", "fostering"])
    start = max([date(year, 1, 1), *(g["established"] for g in batch)])
    end = min([date(year, 12, 31), until, *(g["dissolved"] for g in batch if g["dissolved"])])
    if start > end and len(batch) == 1:  # founded after the demo's end: not reached yet
        return []
    if start > end:  # the groups never coexisted this year: one activity each
        return [r for g in batch for r in one_activity(rng, [g], year, kel, until)]
    day = random_day(rng, start, end)
    title = f"{rng.choice(TITLES[kind])} ({kel.removeprefix('kel-').replace('-', ' ').title()})"
    return [{"date": day, "group_code": g["code"], "type": kind, "title": title} for g in batch]


def numbered(rows: list[dict[str, Any]]) -> list[Row]:
    return list(enumerate(rows, start=2))


def load(plan: Any) -> str:
    rng = random.Random(SEED)
    kelurahan = list(plan.unit.subtree().filter(level=OrgUnit.Level.KELURAHAN).order_by("path"))
    groups = group_rows(rng, kelurahan)
    activities = activity_rows(rng, groups, data_end())
    g = do_import(lambda: numbered(groups), "groups")
    a = do_import(lambda: numbered(activities), "activities")
    return (
        f"{g.created + g.updated + g.unchanged} groups ({g.created} new), "
        f"{a.created + a.updated + a.unchanged} activities ({a.created} new), DATA CONTOH"
    )
