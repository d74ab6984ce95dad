"""Import survey responses from CSV or XLSX, all-or-nothing and idempotent.

Both formats go through the core reader (``kinerja_core.survey_csv``), so a spreadsheet gets
exactly the checks and messages of a CSV: XLSX rows are first written out as CSV rows with the
same row numbers. The whole file is checked before anything counts; one problem anywhere means
the transaction is rolled back and every problem is reported.

Each row's idempotency key is a hash of the unit, the row's content and how many identical rows
came before it in the file, so importing the same file again (or a longer version of it) adds
only the new rows, while two genuinely identical paper forms still count twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.web.tables import iter_rows, sniff_kind
from kinerja_core.errors import InputError, Problem
from kinerja_core.survey_csv import SurveyRow, iter_survey_csv

from .actions import Answer, build_response, bulk_store
from .models import ImportBatch, Response, Service

SERVICE_HEADERS = {"service", "layanan", "jenis layanan"}
CHUNK = 1000


@dataclass(frozen=True)
class ImportResult:
    rows: int
    inserted: int
    skipped: int
    dry_run: bool
    batch: ImportBatch | None


class ServiceLookup:
    """Services of the unit by code or by name, case-insensitive."""

    def __init__(self, unit: OrgUnit) -> None:
        self.by_key: dict[str, Service] = {}
        services = list(Service.objects.filter(unit=unit))
        for service in services:
            self.by_key[service.code.casefold()] = service
            self.by_key[" ".join(service.name.split()).casefold()] = service
        self.only = services[0] if len(services) == 1 else None
        self.choices = ", ".join(s.code for s in services) or "–"

    def find(self, text: str) -> Service | None:
        if not text.strip():
            return self.only
        return self.by_key.get(" ".join(text.split()).casefold())

    def problem(self, row: int, text: str) -> Problem | None:
        if self.find(text) is not None:
            return None
        if not text.strip():
            message = _("service is required (this unit has several: %(choices)s)")
        else:
            message = _("unknown service %(name)r (services of this unit: %(choices)s)")
        return Problem(row, "service", message % {"name": text, "choices": self.choices})


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would hold (4.0 → "4", a date → ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date | Decimal | int | float):
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def _normalise(
    stream: IO[bytes], filename: str, out: IO[str], lookup: ServiceLookup, problems: list[Problem]
) -> None:
    """Rewrite any supported file as CSV into ``out`` (row numbers kept); check its services."""
    writer = csv.writer(out)
    header: list[str] | None = None
    service_column: str | None = None
    last = 1
    for number, row in iter_rows(stream, filename):
        if header is None:
            header = list(row)
            writer.writerow(header)
            service_column = next(
                (h for h in header if " ".join(h.casefold().split()) in SERVICE_HEADERS), None
            )
        writer.writerows([[]] * (number - last - 1))  # keep the file's row numbers
        writer.writerow([_cell_text(row.get(h)) for h in header])
        last = number
        text = _cell_text(row.get(service_column)) if service_column else ""
        if (problem := lookup.problem(number, text)) is not None:
            problems.append(problem)
    if header is None:
        stream.seek(0)
        first = stream.readline()
        if sniff_kind(filename) == "csv" and first.strip():
            # A header without rows: still report its column problems.
            out.write(first.decode("utf-8-sig", errors="replace"))
    out.seek(0)


def row_key(unit: OrgUnit, row: SurveyRow, seen: dict[str, int]) -> str:
    content = "|".join(
        [
            unit.code,
            row.submitted_at.isoformat(),
            row.service.casefold(),
            row.gender or "",
            str(row.age or ""),
            row.education or "",
            row.occupation or "",
            ",".join(str(row.scores[c]) for c in sorted(row.scores)),
            row.suggestion,
        ]
    )
    digest = hashlib.sha256(content.encode()).hexdigest()
    seen[digest] = occurrence = seen.get(digest, 0) + 1
    return "import:" + hashlib.sha256(f"{digest}#{occurrence}".encode()).hexdigest()[:64]


def _chunks(text: IO[str], problems: list[Problem]) -> Iterator[list[SurveyRow]]:
    try:
        yield from iter_survey_csv(text, chunk_size=CHUNK)
    except InputError as exc:
        problems.extend(exc.problems)


def _sort_key(problem: Problem) -> tuple[int, str]:
    return (problem.row if problem.row is not None else 10**12, problem.field or "")


def do_import(
    unit: OrgUnit,
    stream: IO[bytes],
    filename: str,
    *,
    dry_run: bool = False,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check and store a survey file for ``unit``; raises one InputError listing every problem."""
    with tempfile.SpooledTemporaryFile(mode="w+", max_size=8 * 1024 * 1024, newline="") as text:
        return _import(unit, stream, filename, text, dry_run=dry_run, user=user, progress=progress)


def _import(
    unit: OrgUnit,
    stream: IO[bytes],
    filename: str,
    text: IO[str],
    *,
    dry_run: bool,
    user: Any,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    lookup = ServiceLookup(unit)
    problems: list[Problem] = []
    _normalise(stream, filename, text, lookup, problems)
    seen: dict[str, int] = {}
    rows = inserted = 0
    with transaction.atomic():
        batch = None
        if not dry_run and not problems:
            batch = ImportBatch.objects.create(
                unit=unit, filename=filename[:300], created_by=user if user else None
            )
        for chunk in _chunks(text, problems):
            rows += len(chunk)
            if progress:
                progress(len(chunk))
            if problems:
                continue  # keep checking the rest of the file, store nothing
            keyed = {row_key(unit, row, seen): row for row in chunk}
            present = set(
                Response.objects.filter(idempotency_key__in=list(keyed)).values_list(
                    "idempotency_key", flat=True
                )
            )
            new = [
                build_response(
                    lookup.find(row.service),  # type: ignore[arg-type]
                    Answer(
                        scores=row.scores,
                        gender=row.gender or "",
                        age=row.age,
                        education=row.education or "",
                        occupation=row.occupation or "",
                        suggestion=row.suggestion,
                    ),
                    submitted_at=row.submitted_at,
                    channel=Response.Channel.IMPORT,
                    idempotency_key=key,
                    batch_id=batch.pk if batch else None,
                )
                for key, row in keyed.items()
                if key not in present
            ]
            if not dry_run:
                bulk_store(new)
            inserted += len(new)
        if problems:
            # Rolls back anything stored from the chunks read before the first problem.
            raise InputError(sorted(problems, key=_sort_key))
        if batch is not None:
            batch.rows, batch.inserted = rows, inserted
            batch.save(update_fields=["rows", "inserted"])
    return ImportResult(rows, inserted, rows - inserted, dry_run, batch)


def import_bytes(unit: OrgUnit, data: bytes, filename: str, **kwargs: Any) -> ImportResult:
    return do_import(unit, io.BytesIO(data), filename, **kwargs)
