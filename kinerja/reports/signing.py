"""The place, date and signatories a document prints, from stored data only
(docs/rules.md#signing): the IKU document from its plan's ``document.date`` ("Januari 2022"),
the PK, LKjIP and SKM report from their own signing dates. Without a date or a name the
document is a draft: it prints DRAF and leaves the dotted line, never the day it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kinerja.accounts.levels import city_of, head_title
from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Plan
from kinerja_core.periods import MONTHS_ID, indonesian_date

from .models import Signatory, SigningDate

BLANK = "………………………………"


@dataclass(frozen=True)
class Signing:
    place: str
    date: date | None
    date_text: str  # "27 Januari 2024", the document's own text ("Januari 2022"), or dots
    title: str
    name: str
    nip: str = ""
    rank: str = ""
    superior_title: str = ""
    superior_name: str = ""
    superior_nip: str = ""
    superior_rank: str = ""
    draft: bool = False
    # What makes it a draft, to say why it cannot be issued (docs/rules.md#issued-documents).
    missing: tuple[StrOrPromise, ...] = ()

    @property
    def nip_text(self) -> str:
        return nip_text(self.nip)

    @property
    def superior_nip_text(self) -> str:
        return nip_text(self.superior_nip)


def nip_text(nip: str) -> str:
    """A NIP as printed under a signature: birth date, appointment, sex, number
    ("19750312 200003 1 004")."""
    if len(nip) != 18:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def month_of(text: str) -> date | None:
    """The first day of a month written the Indonesian way ("Januari 2022"), else None."""
    parts = text.split()
    if len(parts) == 2 and parts[0].capitalize() in MONTHS_ID and parts[1].isdigit():
        return date(int(parts[1]), MONTHS_ID.index(parts[0].capitalize()) + 1, 1)
    return None


def holder(unit: OrgUnit, role: str, day: date) -> Signatory | None:
    """Who held ``role`` in ``unit`` on ``day`` (the periods of a role never overlap)."""
    for signatory in Signatory.objects.filter(unit=unit, role=role, valid_from__lte=day):
        if signatory.holds_on(day):
            return signatory
    return None


def signing_for(plan: Plan, kind: str, year: int, on: date | None = None) -> Signing:
    """The signing of ``plan``'s document ``kind`` for ``year``. ``on`` is a date the caller
    fixes (a test, a re-print of a dated act); otherwise the stored date is used."""
    doc = plan.document or {}
    city = city_of(plan.unit)
    place = doc.get("place") or (city.name if city else plan.unit.name)
    date_text = ""
    day = on
    if day is None and kind == "iku":
        date_text = str(doc.get("date") or "")
        day = month_of(date_text)
    elif day is None:
        stored = SigningDate.objects.filter(unit=plan.unit, kind=kind, year=year).first()
        if stored is not None:
            day = stored.date
            place = stored.place or place
    if day is not None and not date_text:
        date_text = indonesian_date(day)
    head = holder(plan.unit, Signatory.Role.HEAD, day) if day else None
    superior = holder(plan.unit, Signatory.Role.SUPERIOR, day) if day else None
    default_superior = head_title(city) if city else ""  # Wali Kota or Bupati
    name = head.name if head else str(doc.get("signatory_name") or "")
    superior_name = superior.name if superior else str(doc.get("superior_name") or "")
    needs_superior = kind == SigningDate.Kind.PK
    # The names are those of the people in office on the signing date: without a date, the
    # date is what is missing.
    missing = (
        tuple(
            what
            for what, absent in (
                (_("the name of the head of the unit"), not name),
                (
                    _("the name of the superior (second party)"),
                    needs_superior and not superior_name,
                ),
            )
            if absent
        )
        if date_text
        else (_("the signing date"),)
    )
    return Signing(
        place=place,
        date=day,
        date_text=date_text or BLANK,
        title=head.position if head else str(doc.get("signatory_title") or plan.unit),
        name=name,
        nip=head.nip if head else "",
        rank=head.rank if head else "",
        superior_title=superior.position
        if superior
        else str(doc.get("superior_title") or default_superior),
        superior_name=superior_name,
        superior_nip=superior.nip if superior else "",
        superior_rank=superior.rank if superior else "",
        draft=bool(missing),
        missing=missing,
    )
