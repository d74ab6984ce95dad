"""Sizes of the synthetic data sets: from one kecamatan to a whole province."""

from __future__ import annotations

from dataclasses import dataclass

# A province (the largest shape of docs/scaling.md): 38 cities, 700 kecamatan, 8 000 kelurahan.
PROVINCE = (38, 700, 8000)
DEFAULT_RESPONSES = 10_000_000
GROUPS_PER_KELURAHAN = 20


@dataclass(frozen=True)
class Scale:
    name: str
    cities: int
    kecamatan: int
    kelurahan: int
    groups: int

    def describe(self) -> str:
        return (
            f"{self.name}: {self.cities} cities, {self.kecamatan} kecamatan, "
            f"{self.kelurahan} kelurahan, {self.groups} groups"
        )


NAMED = {
    "small": Scale("small", 1, 2, 6, 60),
    # The city of the recompute goal: 5 kecamatan, 30 kelurahan, 10 000 groups.
    "city": Scale("city", 1, 5, 30, 10_000),
    "province": Scale("province", *PROVINCE, PROVINCE[2] * GROUPS_PER_KELURAHAN),
}


def parse_scale(text: str, groups: int | None = None) -> Scale:
    """A named scale, or N: N cities with a province's proportions of kecamatan and kelurahan."""
    if text in NAMED:
        scale = NAMED[text]
    else:
        try:
            cities = int(text)
        except ValueError:
            raise ValueError(
                f"unknown scale {text!r}: use small, city, province or a number of cities"
            ) from None
        if not 1 <= cities <= 1000:
            raise ValueError("the number of cities must be between 1 and 1000")
        kecamatan = max(cities, cities * PROVINCE[1] // PROVINCE[0])
        kelurahan = max(kecamatan, cities * PROVINCE[2] // PROVINCE[0])
        scale = Scale(str(cities), cities, kecamatan, kelurahan, kelurahan * GROUPS_PER_KELURAHAN)
    if groups is not None:
        if groups < 0:
            raise ValueError("--groups must not be negative")
        scale = Scale(scale.name, scale.cities, scale.kecamatan, scale.kelurahan, groups)
    return scale
