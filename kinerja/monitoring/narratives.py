"""What the quarterly reports of a year say, for the LKjIP's analysis of causes and solutions
(docs/rules.md#lkjip): per indicator code, each quarter's faktor pendorong, faktor penghambat and
upaya / tindak lanjut, in quarter order, as staff wrote them. Never a generated sentence."""

from __future__ import annotations

from kinerja.accounts.models import OrgUnit

from .models import QuarterNarrative

QUARTER_NAMES = {1: "Triwulan I", 2: "Triwulan II", 3: "Triwulan III", 4: "Triwulan IV"}
CAUSES = "causes"  # the LKjIP narrative kind the quarterly fields feed (analysis 5)


def lkjip_narratives(unit: OrgUnit, year: int, kind: str) -> dict[str, str]:
    """Per indicator code, the year's quarterly narratives of ``unit`` as one text; only the
    causes-and-solutions analysis is fed (the quarterly report has no field for programs)."""
    if kind != CAUSES:
        return {}
    texts: dict[str, list[str]] = {}
    rows = (
        QuarterNarrative.objects.filter(report__unit=unit, report__year=year)
        .select_related("report", "indicator")
        .order_by("report__quarter", "indicator__order")
    )
    for n in rows:
        parts = [
            f"{label}: {text.strip()}"
            for label, text in (
                ("Faktor pendorong", n.drivers),
                ("Faktor penghambat", n.obstacles),
                ("Upaya/tindak lanjut", n.follow_up),
            )
            if text.strip()
        ]
        if parts:
            texts.setdefault(n.indicator.code, []).append(
                f"{QUARTER_NAMES[n.report.quarter]} — " + "; ".join(parts) + "."
            )
    return {code: "\n".join(lines) for code, lines in texts.items()}
