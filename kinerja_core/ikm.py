"""Indeks Kepuasan Masyarakat (IKM) by PermenPANRB 14/2017, and the older KepMenPAN 25/2004.

NRR(element) = Σ scores ÷ respondents; IKM = 25 × Σ(NRR × weight). With the regulation's
weight 1/n this is 25 × Σ all scores ÷ (respondents × n), computed exactly with fractions
and rounded only for display (2 decimals, half-up). The grade is that of the rounded value,
because the grade printed on the poster must match the number printed next to it.

Everything is computed from a ``Tally`` of sufficient statistics (counts and integer sums),
so the database can store and add rollups instead of re-reading every response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from kinerja_core.errors import Code, CoreError, InputError, Message, Problem
from kinerja_core.formula import NotComputable, Value
from kinerja_core.numbers import round_half_up
from kinerja_core.sampling import krejcie_morgan

PRECISION = 50
SCALE = 25  # converts the 1–4 scale to the 25–100 index
Z_95 = Decimal("1.96")
MIN_SCORE = 1
MAX_SCORE = 4

NO_RESPONDENTS = NotComputable.of(Code.IKM_NO_RESPONDENTS)


@dataclass(frozen=True)
class Element:
    """A survey element (unsur) with the answer labels for scores 1, 2, 3 and 4."""

    code: str
    name: str
    labels: tuple[str, str, str, str]


@dataclass(frozen=True)
class Grade:
    """Service quality grade (mutu pelayanan) for values at or above ``minimum``."""

    letter: str
    label: str
    minimum: Decimal


_SESUAI = ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")

# Regulation list order. Its sample questionnaire asks Sarana as Q8 and Pengaduan as Q9, so
# questions are always mapped to elements by code or name, never by position.
ELEMENTS_2017: tuple[Element, ...] = (
    Element("U1", "Persyaratan", _SESUAI),
    Element(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element("U3", "Waktu Penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Element("U4", "Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Element("U5", "Produk Spesifikasi Jenis Pelayanan", _SESUAI),
    Element(
        "U6",
        "Kompetensi Pelaksana",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "U7",
        "Perilaku Pelaksana",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Element("U9", "Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat Baik")),
)

# The regulation's sample questionnaire asks Sarana as question 8 and Pengaduan as question 9
# (docs/rules.md#ikm-elements); office sheets typed from it often number columns that way.
QUESTIONNAIRE_2017: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8")

_BAIK = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")

ELEMENTS_2004: tuple[Element, ...] = tuple(
    Element(f"U{i}", name, _BAIK)
    for i, name in enumerate(
        (
            "Prosedur pelayanan",
            "Persyaratan pelayanan",
            "Kejelasan petugas pelayanan",
            "Kedisiplinan petugas pelayanan",
            "Tanggung jawab petugas pelayanan",
            "Kemampuan petugas pelayanan",
            "Kecepatan pelayanan",
            "Keadilan mendapatkan pelayanan",
            "Kesopanan dan keramahan petugas",
            "Kewajaran biaya pelayanan",
            "Kepastian biaya pelayanan",
            "Kepastian jadwal pelayanan",
            "Kenyamanan lingkungan",
            "Keamanan pelayanan",
        ),
        start=1,
    )
)

GRADES_2017: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)

GRADES_2004: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", Decimal("81.26")),
    Grade("B", "Baik", Decimal("62.51")),
    Grade("C", "Kurang Baik", Decimal("43.76")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)

# Respondent profile vocabularies (docs/rules.md#ikm-respondent-profile), canonical spelling first.
GENDERS: tuple[str, ...] = ("L", "P")
EDUCATION_LEVELS: tuple[str, ...] = ("SD", "SMP", "SMA", "D1–D3", "S1", "S2", "S3")
OCCUPATIONS: tuple[str, ...] = (
    "PNS",
    "TNI",
    "POLRI",
    "Swasta",
    "Wirausaha",
    "Pelajar/Mahasiswa",
    "Lainnya",
)
_EDUCATION_ALIASES = {
    "d1-d3": "D1–D3",
    "d1 - d3": "D1–D3",
    "d1": "D1–D3",
    "d2": "D1–D3",
    "d3": "D1–D3",
}


def _canonical(
    text: str, choices: Iterable[str], aliases: Mapping[str, str] | None = None
) -> str | None:
    key = " ".join(text.split()).casefold()
    for choice in choices:
        if choice.casefold() == key:
            return choice
    if aliases:
        return aliases.get(key.replace("—", "-").replace("–", "-"))
    return None


def normalise_education(text: str) -> str | None:
    """Canonical education level ("d1-d3" → "D1–D3"), or None when not in the list."""
    return _canonical(text, EDUCATION_LEVELS, _EDUCATION_ALIASES)


def normalise_occupation(text: str) -> str | None:
    return _canonical(text, OCCUPATIONS)


def normalise_gender(text: str) -> str | None:
    return _canonical(text, GENDERS)


@dataclass(frozen=True)
class Method:
    """A named, versioned IKM rule set.

    ``weight`` None means the exact 1/n of the regulation (kept as a fraction, never 0,111).
    """

    name: str
    title: str
    elements: tuple[Element, ...]
    weight: Decimal | None
    grades: tuple[Grade, ...]
    label: str
    # Element codes in the order its sample questionnaire asks them; empty: the list order.
    questionnaire: tuple[str, ...] = ()

    @property
    def exact_weight(self) -> Fraction:
        if self.weight is None:
            return Fraction(1, len(self.elements))
        return Fraction(self.weight)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements)

    @property
    def question_codes(self) -> tuple[str, ...]:
        """Element codes in questionnaire order: question n asks ``question_codes[n - 1]``."""
        return self.questionnaire or self.codes

    def element(self, code: str) -> Element:
        for e in self.elements:
            if e.code == code:
                return e
        raise CoreError(Code.IKM_UNKNOWN_ELEMENT, method=self.name, code=code)


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            name="permenpanrb-14-2017",
            title="Peraturan Menteri PANRB Nomor 14 Tahun 2017",
            elements=ELEMENTS_2017,
            weight=None,
            grades=GRADES_2017,
            label="PermenPANRB 14/2017 (bobot tepat 1/9)",
            questionnaire=QUESTIONNAIRE_2017,
        ),
        Method(
            name="permenpanrb-14-2017-rounded-weight",
            title="Peraturan Menteri PANRB Nomor 14 Tahun 2017, praktik bobot dibulatkan",
            elements=ELEMENTS_2017,
            weight=Decimal("0.111"),
            grades=GRADES_2017,
            label=(
                "Praktik umum bobot dibulatkan 0,111 (bukan ketentuan peraturan; "
                "data semua 4 menghasilkan 99,90)"
            ),
            questionnaire=QUESTIONNAIRE_2017,
        ),
        Method(
            name="kepmenpan-25-2004",
            title="Keputusan Menteri PAN Nomor KEP/25/M.PAN/2/2004",
            elements=ELEMENTS_2004,
            weight=None,
            grades=GRADES_2004,
            label="KepMenPAN 25/2004 (14 unsur, bobot 1/14)",
        ),
        # What offices printed under the 2004 rule, kept so their published values can be
        # reproduced to the cent (docs/rules.md#ikm-rounded-weight).
        Method(
            name="kepmenpan-25-2004-rounded-weight",
            title="Keputusan Menteri PAN Nomor KEP/25/M.PAN/2/2004, praktik bobot dibulatkan",
            elements=ELEMENTS_2004,
            weight=Decimal("0.071"),
            grades=GRADES_2004,
            label=(
                "Praktik umum KepMenPAN 25/2004 bobot dibulatkan 0,071 (bukan ketentuan "
                "peraturan; data semua 4 menghasilkan 99,40)"
            ),
        ),
    )
}

DEFAULT_METHOD = "permenpanrb-14-2017"


def get_method(name: str | Method = DEFAULT_METHOD) -> Method:
    if isinstance(name, Method):
        return name
    try:
        return METHODS[name]
    except KeyError:
        raise CoreError(Code.IKM_UNKNOWN_METHOD, name=name, choices=", ".join(METHODS)) from None


def grade_of(value: Decimal, method: Method | str = DEFAULT_METHOD) -> Grade:
    """The grade of ``value`` rounded half-up to 2 decimals (88,305 → 88,31 → A)."""
    grades = get_method(method).grades
    shown = round_half_up(value, 2)
    for grade in grades:
        if shown >= grade.minimum:
            return grade
    # Below the scale's floor (impossible for valid data): the lowest grade still applies.
    return grades[-1]


def _to_decimal(value: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return Decimal(value.numerator) / Decimal(value.denominator)


def check_score(value: object) -> Message | None:
    """Why ``value`` is not a valid score, or None when it is an int 1–4."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Message.of(Code.SCORE_EMPTY)
    if isinstance(value, bool) or not isinstance(value, int):
        return Message.of(Code.SCORE_INVALID, value=value)
    if not MIN_SCORE <= value <= MAX_SCORE:
        return Message.of(Code.SCORE_INVALID, value=value)
    return None


@dataclass
class Tally:
    """Sufficient statistics of a set of responses.

    ``sum_s`` and ``sum_s2`` are Σs and Σs² where s is one respondent's sum over all
    elements: exact integers, addable across rollups, enough for the confidence interval.
    Σs equals the sum of ``totals`` so only Σs² is stored; ``sum_s2`` None means it was not
    kept (no interval is then reported).
    """

    respondents: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    sum_s2: int | None = None

    def __post_init__(self) -> None:
        if self.respondents < 0:
            raise CoreError(Code.IKM_NEGATIVE_RESPONDENTS)

    @property
    def sum_s(self) -> int:
        """Σs over respondents, which is simply the sum of all element totals."""
        return sum(self.totals.values())

    @classmethod
    def empty(cls, method: Method | str = DEFAULT_METHOD) -> Tally:
        return cls(0, dict.fromkeys(get_method(method).codes, 0), 0)

    @classmethod
    def from_responses(
        cls,
        responses: Iterable[Mapping[str, int]],
        method: Method | str = DEFAULT_METHOD,
        first_row: int = 1,
    ) -> Tally:
        """Validate and tally; raises one ``InputError`` listing every bad score.

        Rows are numbered from ``first_row`` so importers can report their own line numbers.
        Keys other than the method's element codes (profile fields) are ignored.
        """
        tally = cls.empty(method)
        codes = get_method(method).codes
        problems: list[Problem] = []
        for row, response in enumerate(responses, start=first_row):
            row_problems = [
                Problem(row, code, message)
                for code in codes
                if (message := check_score(response.get(code))) is not None
            ]
            if row_problems:
                problems.extend(row_problems)
            elif not problems:
                tally.add([response[code] for code in codes], codes)
        if problems:
            raise InputError(problems)
        return tally

    def add(self, scores: Iterable[int], codes: Iterable[str]) -> None:
        """Add one already-validated response given as scores aligned with ``codes``."""
        s = 0
        for code, score in zip(codes, scores, strict=True):
            self.totals[code] = self.totals.get(code, 0) + score
            s += score
        self.respondents += 1
        if self.sum_s2 is not None:
            self.sum_s2 += s * s

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        totals = dict(self.totals)
        for code, value in other.totals.items():
            totals[code] = totals.get(code, 0) + value
        sum_s2 = None if self.sum_s2 is None or other.sum_s2 is None else self.sum_s2 + other.sum_s2
        return Tally(self.respondents + other.respondents, totals, sum_s2)


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    total: int
    nrr: Decimal
    ikm: Decimal
    grade: Grade


@dataclass(frozen=True)
class IkmResult:
    method: Method
    respondents: int
    ikm: Decimal
    ikm_rounded: Decimal
    grade: Grade
    elements: list[ElementResult]
    ci95: tuple[Decimal, Decimal] | None
    crosses_grade_edge: bool
    sample_target: int | None
    population: int | None = None

    def lowest(self, count: int = 3) -> list[ElementResult]:
        """The weakest elements first: where the follow-up plan starts
        (docs/rules.md#ikm-follow-up-plan)."""
        return sorted(self.elements, key=lambda e: (e.nrr, e.code))[:count]


def _sqrt(value: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _to_decimal(value).sqrt()


def _ci95(
    tally: Tally, weight: Fraction, mean: Decimal, population: int | None, elements: int
) -> tuple[Decimal, Decimal] | None:
    """Normal-approximation 95 % interval, clipped to the scale's possible range.

    With few respondents the normal bounds run past the scale (2 answers gave 91,78–102,67);
    no IKM can lie outside 25 × w × k × [1, 4], so the interval is cut there.
    """
    n = tally.respondents
    if n < 2 or tally.sum_s2 is None:
        return None
    # Per-respondent IKM is 25·w·s, so its sample variance is (25·w)² · var(s).
    var_s = Fraction(tally.sum_s2 * n - tally.sum_s * tally.sum_s, n * (n - 1))
    variance = (SCALE * weight) ** 2 * var_s / n
    if population is not None and population > n:
        variance *= Fraction(population - n, population - 1)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        half = Z_95 * _sqrt(max(variance, Fraction(0)))
        lowest = _to_decimal(SCALE * weight * elements)
        highest = _to_decimal(SCALE * weight * elements * 4)
        return (max(mean - half, lowest), min(mean + half, highest))


def compute_ikm(
    tally: Tally,
    method: Method | str = DEFAULT_METHOD,
    population: int | None = None,
) -> IkmResult:
    """IKM of a tally; ``population`` (service users in the period) enables the FPC."""
    m = _checked(tally, method)
    n = tally.respondents
    weight = m.exact_weight
    elements: list[ElementResult] = []
    # Element by element, as the regulation writes the sum: ``ikm_index`` is the same figure in
    # one fraction, and the property tests hold the two equal, so each checks the other.
    index = Fraction(0)
    for element in m.elements:
        total = tally.totals[element.code]
        nrr = Fraction(total, n)
        index += nrr * weight
        element_ikm = _to_decimal(nrr * SCALE)
        elements.append(
            ElementResult(
                element.code,
                element.name,
                total,
                _to_decimal(nrr),
                element_ikm,
                grade_of(element_ikm, m),
            )
        )
    ikm = _to_decimal(index * SCALE)
    grade = grade_of(ikm, m)
    ci = _ci95(tally, weight, ikm, population, len(m.elements))
    crosses = ci is not None and grade_of(ci[0], m) != grade_of(ci[1], m)
    return IkmResult(
        method=m,
        respondents=n,
        ikm=ikm,
        ikm_rounded=round_half_up(ikm, 2),
        grade=grade,
        elements=elements,
        ci95=ci,
        crosses_grade_edge=crosses,
        sample_target=krejcie_morgan(population) if population is not None else None,
        population=population,
    )


def ikm_index(tally: Tally, method: Method | str = DEFAULT_METHOD) -> Decimal:
    """The IKM of a tally in full precision: ``compute_ikm(tally, method).ikm`` without the
    elements, grades and interval around it.

    Every element has the same weight w, so Σ (totalᵢ / n) · w · 25 is 25 · w · Σ totalᵢ / n: one
    exact fraction, equal to the sum element by element. The indicator engine reads only this
    figure, for thousands of tallies per recompute, where the whole result cost ~0,7 ms each.
    """
    m = _checked(tally, method)
    return _to_decimal(SCALE * m.exact_weight * Fraction(tally.sum_s, tally.respondents))


def _checked(tally: Tally, method: Method | str) -> Method:
    """The method, once the tally is one it can score: respondents, and its elements' totals."""
    m = get_method(method)
    if tally.respondents == 0:
        raise CoreError(Code.IKM_NO_RESPONDENTS)
    unknown = sorted(set(tally.totals) - set(m.codes))
    missing = [code for code in m.codes if code not in tally.totals]
    if unknown or missing:
        raise CoreError(Code.IKM_TALLY_MISMATCH, method=m.name, unknown=unknown, missing=missing)
    return m


def ikm_value(tally: Tally, method: Method | str = DEFAULT_METHOD) -> Value:
    """The IKM for the indicator engine: ``NotComputable`` when nobody has answered."""
    if tally.respondents == 0:
        return NO_RESPONDENTS
    return ikm_index(tally, method)


def _number(value: Decimal, decimals: int) -> float:
    # float of a 2- or 4-decimal Decimal prints back the same digits in JSON.
    return float(round_half_up(value, decimals))


def to_dict(result: IkmResult) -> dict[str, Any]:
    """The JSON contract of an IKM result (API, CLI ``--json``)."""
    return {
        "method": result.method.name,
        "respondents": result.respondents,
        "ikm": _number(result.ikm, 2),
        "grade": result.grade.letter,
        "performance": result.grade.label,
        "ci95": None
        if result.ci95 is None
        else [_number(result.ci95[0], 2), _number(result.ci95[1], 2)],
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "total": e.total,
                "nrr": _number(e.nrr, 4),
                "ikm": _number(e.ikm, 2),
                "grade": e.grade.letter,
            }
            for e in result.elements
        ],
    }
