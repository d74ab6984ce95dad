"""Survey sample size by Krejcie & Morgan (1970), as PermenPANRB 14/2017 recommends."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CHI_SQUARE = Decimal("3.841")  # χ² for 1 degree of freedom at 95 % confidence
PROPORTION = Decimal("0.5")  # P that maximises the required sample
MARGIN = Decimal("0.05")  # d, the accepted error


def krejcie_morgan(population: int) -> int:
    """s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), rounded to the nearest respondent.

    The target is advisory: an empty population gives 0 rather than an error, because the
    IKM is still reported with whatever sample was achieved.
    """
    if population <= 0:
        return 0
    with localcontext() as ctx:
        ctx.prec = 50
        variance = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
        sample = variance * population / (MARGIN * MARGIN * (population - 1) + variance)
        return int(sample.quantize(Decimal(1), rounding=ROUND_HALF_UP))
