"""Demo survey data (DATA CONTOH) for Kecamatan Wonoasih: services and responses from 2020
through the last complete quarter before today (kinerja/demo/period.py).

Deterministic (fixed seed) and idempotent: services are matched by code, responses carry
"demo:" idempotency keys and are only generated when none exist. Each year's IKM is drawn
around the plan's IKM target with a per-year offset, so achievement varies (some years just
above the target, some below); elements differ (cost is rated high, complaint handling and
facilities low) so the follow-up plan has something to start from.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Plan, Target
from kinerja.surveys.actions import Answer, build_response, bulk_store, do_save_service
from kinerja.surveys.models import CODES, FollowUp, Response, Service
from kinerja_core.ikm import EDUCATION_LEVELS, OCCUPATIONS

from .period import data_end, share_of_year, survey_years

SEED = 20240101
UNIT = "kec-wonoasih"
PER_YEAR = 640
# The plans' IKM targets (2020–2024, then the 2025–2029 draft); a year past them keeps the last.
DEFAULT_TARGETS = {
    2020: "84.60", 2021: "85.60", 2022: "86.60", 2023: "87.60", 2024: "88.60",
    2025: "88.60", 2026: "89.10", 2027: "89.60", 2028: "90.10", 2029: "90.60",
}  # fmt: skip
# Realised IKM minus target per year: achievement above and below 100 %.
YEAR_OFFSETS = {2020: "0.9", 2021: "-0.9", 2022: "1.3", 2023: "-0.2", 2024: "1.0", 2025: "0.3"}
LATER_OFFSET = "-0.4"
# Element means relative to the overall mean (sum zero, so the overall mean is kept).
ELEMENT_OFFSETS = dict(
    zip(CODES, (0.0, -0.05, -0.08, 0.25, 0.0, 0.05, 0.10, -0.17, -0.10), strict=True)
)
LOW_SCORE_SHARE = 0.05  # share of 2s; a few 1s come from very dissatisfied respondents

# (code, name, slug, yearly users 2020, share of respondents)
SERVICES = [
    ("rekomendasi-ktp-kk", "Rekomendasi KTP-el/KK", "wn-ktp", 1900, 0.30),
    (
        "surat-keterangan",
        "Surat Keterangan (domisili, tidak mampu, ahli waris, dll.)",
        "wn-sket",
        1500,
        0.28,
    ),
    ("legalisasi", "Legalisasi", "wn-legal", 800, 0.15),
    ("dispensasi-nikah", "Dispensasi Nikah", "wn-nikah", 140, 0.07),
    ("rekomendasi-imb-pbg", "Rekomendasi IMB/PBG", "wn-pbg", 220, 0.08),
    ("pengantar-skck", "Pengantar SKCK", "wn-skck", 600, 0.12),
]
SUGGESTIONS = [
    "Ruang tunggu mohon ditambah kursi.",
    "Pelayanan sudah cepat, pertahankan.",
    "Informasi persyaratan sebaiknya ditempel di depan loket.",
    "Kotak saran jarang dibuka, mohon ditindaklanjuti.",
    "Petugas ramah dan membantu.",
    "Parkir sempit saat pagi hari.",
    "Mohon ada layanan pengaduan lewat WhatsApp.",
    "+ antrean online akan sangat membantu",  # starts like a formula: exports must neutralise it
]


def targets(plan: Plan, years: range) -> dict[int, Decimal]:
    """The IKM target of each year from the plans of the demo plan's unit (the file's values)."""
    rows = Target.objects.filter(
        indicator__plan__unit=plan.unit, indicator__formula="ikm", quarter=0
    ).order_by("indicator__plan__start_year")
    found = {t.year: t.value for t in rows if t.value is not None}
    last = DEFAULT_TARGETS[max(DEFAULT_TARGETS)]
    return {y: found.get(y) or Decimal(DEFAULT_TARGETS.get(y, last)) for y in years}


def _score(rng: random.Random, mean: float) -> int:
    p_low = LOW_SCORE_SHARE
    p_four = min(max(mean - 3 + p_low, 0.0), 1.0 - p_low)
    u = rng.random()
    if u < p_four:
        return 4
    if u < p_four + p_low:
        return 1 if rng.random() < 0.1 else 2
    return 3


def _moment(rng: random.Random, year: int, end: date) -> datetime:
    days = min(365, (end - date(year, 1, 1)).days + 1)
    day = date(year, 1, 1) + timedelta(days=rng.randrange(days))
    while day.weekday() >= 5:  # offices serve on weekdays
        day -= timedelta(days=1)
    naive = datetime(day.year, day.month, day.day, rng.randint(8, 14), rng.randrange(60))
    return timezone.make_aware(naive)


def _answer(rng: random.Random, mean: float) -> Answer:
    # A dissatisfied respondent pulls all elements down together (keeps the CI realistic).
    personal = mean + rng.gauss(0, 0.25)
    return Answer(
        scores={c: _score(rng, personal + ELEMENT_OFFSETS[c]) for c in CODES},
        gender=rng.choice("LP"),
        age=rng.randint(18, 72),
        education=rng.choices(EDUCATION_LEVELS, weights=(10, 18, 40, 10, 18, 3, 1))[0],
        occupation=rng.choices(OCCUPATIONS, weights=(8, 2, 2, 25, 30, 13, 20))[0],
        suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.15 else "",
    )


def load(plan: Plan) -> str:
    unit = OrgUnit.objects.get(code=UNIT)
    services: list[tuple[Service, float]] = []
    for index, (code, name, slug, users, share) in enumerate(SERVICES):
        service = Service.objects.filter(unit=unit, code=code).first()
        if service is None:
            service = Service(unit=unit, code=code, slug=slug)
        service = do_save_service(
            unit,
            code=code,
            name=name,
            yearly_users={
                y: users + (y - 2020) * (20 + 5 * index) for y in survey_years(data_end())
            },
            service=service,
        )
        services.append((service, share))
    if Response.objects.filter(idempotency_key__startswith="demo:").exists():
        return f"{len(services)} services; demo responses already loaded"
    rng = random.Random(SEED)
    end = data_end()
    years = survey_years(end)
    by_year = targets(plan, years)
    responses: list[Response] = []
    for year in years:
        mean = float(by_year[year] + Decimal(YEAR_OFFSETS.get(year, LATER_OFFSET))) / 25
        count = round((PER_YEAR + 40 * (year - 2020)) * share_of_year(year, end))
        for i in range(count):
            service = rng.choices([s for s, _ in services], weights=[w for _, w in services])[0]
            responses.append(
                build_response(
                    service,
                    _answer(rng, mean),
                    submitted_at=_moment(rng, year, end),
                    channel=rng.choices(["paper", "online", "kiosk"], weights=(5, 3, 2))[0],
                    idempotency_key=f"demo:{year}:{i}",
                )
            )
    bulk_store(responses)
    _followups(unit)
    return f"{len(services)} services, {len(responses)} responses {years[0]}–{end.isoformat()}"


def _followups(unit: OrgUnit) -> None:
    plans = [
        ("2022", "U8", "Kotak saran dibuka setiap Jumat; pengaduan dijawab dalam 3 hari kerja.", "Kasi Pelayanan", date(2023, 3, 31), "done"),
        ("2022", "U9", "Menambah kursi ruang tunggu dan papan informasi persyaratan.", "Sekretaris Kecamatan", date(2023, 6, 30), "done"),
        ("2023", "U8", "Layanan pengaduan melalui WhatsApp dan formulir daring.", "Kasi Pelayanan", date(2024, 3, 31), "done"),
        ("2024", "U3", "Antrean daring dan standar waktu per layanan dipajang di loket.", "Kasi Pelayanan", date(2025, 6, 30), "planned"),
    ]  # fmt: skip
    for period, element, action, owner, deadline, status in plans:
        FollowUp.objects.get_or_create(
            unit=unit,
            period=period,
            element=element,
            defaults={"action": action, "owner": owner, "deadline": deadline, "status": status},
        )
