"""``kinerja bench generate``: a deterministic synthetic data set at city-to-province scale.

Units (city → kecamatan → kelurahan), their services, community groups with facilitation and
fostering activities, a 50-indicator plan for the first city (the recompute benchmark's
workload) and survey responses with their rollup (``kinerja/db/generator.py``). The same seed
always gives the same rows. Everything is created under unit codes starting with ``bench-``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import yaml
from django.db import transaction

from kinerja.accounts.models import OrgUnit
from kinerja.community.models import Activity, ActivityGroup, Group, GroupKind
from kinerja.db.generator import QUALITY_WEIGHTS, ServiceSlot, write_responses
from kinerja.db.loading import BulkWriter, analyze, insert_objects, next_id, reset_sequence
from kinerja.plan.actions import do_load_plan_text
from kinerja.surveys.models import Response, Service

from .scales import Scale

PREFIX = "bench"
KECAMATAN_SERVICES = (
    ("ktp", "Rekomendasi KTP-el"),
    ("kk", "Rekomendasi Kartu Keluarga"),
    ("izin-usaha", "Izin Usaha Mikro"),
    ("legalisasi", "Legalisasi Dokumen"),
    ("dispensasi-nikah", "Dispensasi Nikah"),
)
KELURAHAN_SERVICES = (
    ("pengantar", "Surat Pengantar"),
    ("domisili", "Surat Keterangan Domisili"),
    ("sktm", "Surat Keterangan Tidak Mampu"),
)
PLAN_YEARS = (2020, 2024)
BASELINE_YEAR = 2019
BATCH = 2000

Progress = Callable[[int], object]


@dataclass
class Generated:
    units: int = 0
    services: int = 0
    groups: int = 0
    activities: int = 0
    links: int = 0
    responses: int = 0
    tally_rows: int = 0
    plan: str = ""
    # What the responses were drawn from: ``responses.reference_rows`` recomputes them.
    slots: list[ServiceSlot] = field(default_factory=list, repr=False)
    response_seed: int = 0

    def counts(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k != "slots"}


def city_code(c: int) -> str:
    return f"{PREFIX}-c{c + 1:02d}"


def already_generated() -> bool:
    return OrgUnit.objects.filter(code__startswith=f"{PREFIX}-c").exists()


def _create_level(
    level: str, count: int, parents: Sequence[OrgUnit | None], name: str, code: str
) -> list[OrgUnit]:
    """``count`` units spread round-robin over ``parents``, paths set (bulk_create skips save)."""
    units: list[OrgUnit] = []
    seen: dict[int, int] = {}
    for i in range(count):
        parent = parents[i % len(parents)]
        n = seen[id(parent)] = seen.get(id(parent), 0) + 1
        unit_code = (parent.code if parent else PREFIX) + f"-{code}{n:02d}"
        unit = OrgUnit(
            code=unit_code,
            name=f"{name} {unit_code.removeprefix(PREFIX + '-').upper()}",
            level=level,
            parent=parent,
        )
        unit.path = (parent.path if parent else "/") + unit_code + "/"
        units.append(unit)
    return OrgUnit.objects.bulk_create(units, batch_size=BATCH)


def create_units(scale: Scale) -> tuple[list[OrgUnit], list[OrgUnit], list[OrgUnit]]:
    cities = _create_level(OrgUnit.Level.CITY, scale.cities, [None], "Kota Sintetis", "c")
    kecamatan = _create_level(
        OrgUnit.Level.KECAMATAN, scale.kecamatan, cities, "Kecamatan Sintetis", "k"
    )
    kelurahan = _create_level(
        OrgUnit.Level.KELURAHAN, scale.kelurahan, kecamatan, "Kelurahan Sintetis", "l"
    )
    return cities, kecamatan, kelurahan


def create_services(
    rng: random.Random, kecamatan: Sequence[OrgUnit], kelurahan: Sequence[OrgUnit]
) -> list[ServiceSlot]:
    """Each kecamatan offers five services, each kelurahan three; kecamatan ones are busier."""
    services: list[Service] = []
    weights: list[float] = []
    for units, catalogue, busy in (
        (kecamatan, KECAMATAN_SERVICES, 3.0),
        (kelurahan, KELURAHAN_SERVICES, 1.0),
    ):
        for unit in units:
            for code, name in catalogue:
                services.append(
                    Service(
                        unit=unit,
                        code=code,
                        name=name,
                        slug=f"b{len(services):07d}",
                    )
                )
                weights.append(busy * rng.uniform(0.5, 1.5))
    services = Service.objects.bulk_create(services, batch_size=BATCH)
    return [
        ServiceSlot(s.pk, s.unit_id, w, rng.randrange(len(QUALITY_WEIGHTS)))
        for s, w in zip(services, weights, strict=True)
    ]


def _city_of(unit: OrgUnit, cities: dict[str, OrgUnit]) -> OrgUnit:
    return cities[unit.path.strip("/").split("/")[0]]


def create_groups(
    rng: random.Random,
    count: int,
    cities: Sequence[OrgUnit],
    kelurahan: Sequence[OrgUnit],
    years: Sequence[int],
) -> tuple[int, int, int]:
    """Groups spread over the kelurahan, and each year's activities reaching some of them."""
    kinds = list(GroupKind.objects.filter(city__isnull=True).order_by("order", "code"))
    if not kinds:
        kinds = [GroupKind.objects.create(code=f"{PREFIX}-kind", name="Kelompok")]
    by_code = {c.code: c for c in cities}
    first, last = min(years), max(years)
    writer = BulkWriter(Group)
    group_id = next_id(Group)
    groups: list[Group] = []
    for i in range(count):
        kel = kelurahan[i % len(kelurahan)]
        established = date(first - rng.randrange(0, 6), 1, 1) + timedelta(days=rng.randrange(365))
        dissolved = None
        if rng.random() < 0.05:
            dissolved = established + timedelta(days=rng.randrange(365, 365 * 6))
        groups.append(
            Group(
                id=group_id + i,
                city=_city_of(kel, by_code),
                kelurahan=kel,
                code=f"G{i + 1:07d}",
                name=f"Kelompok {i + 1}",
                kind=kinds[i % len(kinds)],
                established=established,
                dissolved=dissolved,
            )
        )
    insert_objects(writer, groups)
    by_kel: dict[int, list[Group]] = {}
    for g in groups:
        by_kel.setdefault(g.kelurahan_id, []).append(g)
    activity_id, link_id = next_id(Activity), next_id(ActivityGroup)
    activities: list[Activity] = []
    links: list[ActivityGroup] = []
    for year in range(first, last + 1):
        for kel_groups in by_kel.values():
            # About one activity per five groups a year, each reaching one to five groups.
            for n in range(max(1, len(kel_groups) // 5)):
                activity = Activity(
                    id=activity_id + len(activities),
                    date=date(year, 1, 1) + timedelta(days=rng.randrange(360)),
                    type=Activity.Type.FACILITATION if n % 3 else Activity.Type.FOSTERING,
                    title=f"Pembinaan kelompok {year}-{n + 1}",
                )
                activities.append(activity)
                for g in rng.sample(kel_groups, min(len(kel_groups), rng.randint(1, 5))):
                    links.append(ActivityGroup(id=link_id + len(links), activity=activity, group=g))
    insert_objects(writer, activities)
    insert_objects(writer, links)
    for model in (Group, Activity, ActivityGroup):
        reset_sequence(model)
    return len(groups), len(activities), len(links)


def plan_text(
    city: OrgUnit,
    kinds: Sequence[str],
    years: tuple[int, int] = PLAN_YEARS,
    baseline: int = BASELINE_YEAR,
    plan_code: str = "",
) -> str:
    """A city plan of 50 indicators over five years: the recompute benchmark's workload.

    The indicators mix every registry measure with service and kind filters, the way a city
    that tracks each service and each kind of group would write them. ``years``, ``baseline``
    and ``plan_code`` give the same plan another period (the live-results scenario's, this year).
    """
    indicators: list[dict[str, object]] = []

    def add(name: str, formula: str, unit: str, bindings: dict[str, object] | None = None) -> None:
        ind: dict[str, object] = {
            "code": f"I{len(indicators) + 1:02d}",
            "name": name,
            "level": "objective",
            "formula": formula,
            "unit": unit,
            "polarity": "higher",
            "decimals": 2,
            "data_source": "Data sintetis (benchmark)",
            "responsible": "Bagian Organisasi",
            "targets": dict.fromkeys(range(years[0], years[1] + 1), 80),
        }
        if bindings:
            ind["bindings"] = bindings
        indicators.append(ind)

    add("IKM kota", "ikm", "index")
    add("Responden survei", "respondents", "number")
    for code, name in (*KECAMATAN_SERVICES, *KELURAHAN_SERVICES):
        add(f"IKM {name}", "x", "index", {"x": {"measure": "ikm", "filters": {"service": [code]}}})
        add(
            f"Responden {name}",
            "x",
            "number",
            {"x": {"measure": "respondents", "filters": {"service": [code]}}},
        )
    add("Kelompok difasilitasi", "groups_facilitated / groups_total * 100", "percent")
    add("Cakupan pemas", "groups_fostered_cumulative / groups_total * 100", "percent")
    for kind in kinds:
        if len(indicators) >= 50:
            break
        # A fresh filter per binding: a shared one would be dumped as a YAML alias, which plan
        # files refuse.
        add(
            f"Fasilitasi {kind}",
            "f / t * 100",
            "percent",
            {
                "f": {"measure": "groups_facilitated", "filters": {"kind": [kind]}},
                "t": {"measure": "groups_total", "filters": {"kind": [kind]}},
            },
        )
        if len(indicators) < 50:
            add(
                f"Pembinaan {kind}",
                "f / t * 100",
                "percent",
                {
                    "f": {"measure": "groups_fostered_cumulative", "filters": {"kind": [kind]}},
                    "t": {"measure": "groups_total", "filters": {"kind": [kind]}},
                },
            )
    while len(indicators) < 50:
        add(f"IKM kota (salinan {len(indicators)})", "ikm * 1", "index")
    doc = {
        "format": "kinerja-plan/1",
        "code": plan_code or f"{city.code}-plan",
        "title": f"Rencana sintetis {city.name}",
        "unit": {"code": city.code, "name": city.name, "level": "city"},
        "period": {"start": years[0], "end": years[1], "baseline": baseline},
        "goals": [
            {
                "code": "T1",
                "name": "Tujuan sintetis",
                "indicators": [],
                "objectives": [
                    {"code": "S1", "name": "Sasaran sintetis", "indicators": indicators}
                ],
            }
        ],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def group_kinds() -> list[str]:
    """The national kinds of community group, in their order: the plan's kind filters."""
    return list(
        GroupKind.objects.filter(city__isnull=True).order_by("order").values_list("code", flat=True)
    )


def generate(
    scale: Scale,
    responses: int,
    years: Sequence[int],
    seed: int,
    progress: Progress = lambda n: None,
) -> Generated:
    """Create the whole data set in one transaction (nothing is left behind on error)."""
    rng = random.Random(seed)
    out = Generated()
    with transaction.atomic():
        cities, kecamatan, kelurahan = create_units(scale)
        out.units = len(cities) + len(kecamatan) + len(kelurahan)
        slots = create_services(rng, kecamatan, kelurahan)
        out.services = len(slots)
        out.groups, out.activities, out.links = create_groups(
            rng, scale.groups, cities, kelurahan, range(BASELINE_YEAR, max(years) + 1)
        )
        out.plan = do_load_plan_text(plan_text(cities[0], group_kinds())).code
        out.slots, out.response_seed = slots, rng.randrange(2**32)
        out.responses, out.tally_rows = write_responses(
            slots, responses, years, out.response_seed, progress
        )
    # Fresh statistics after the bulk load, as an operator would after a restore: PostgreSQL's
    # planner otherwise guesses from an empty table (the recompute ran 2.8x slower).
    analyze(Response)
    return out
