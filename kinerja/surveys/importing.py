"""Import survey responses from CSV or XLSX, all-or-nothing and idempotent.

Both formats go through the core reader (``kinerja_core.survey_csv``), so a spreadsheet gets
exactly the checks and messages of a CSV: XLSX rows are first written out as CSV rows with the
same row numbers. The whole file is checked while it is stored; one problem anywhere means
nothing of it is kept and every problem is reported.

Each row's idempotency key is a hash of the unit, the row's content and how many identical rows
came before it in the file, so importing the same file again (or a longer version of it) adds
only the new rows, while two genuinely identical paper forms still count twice.

Writing in short transactions. A file of a million rows must not hold the database's write
lock (SQLite has one) for its whole length: a citizen's form would wait behind it and fail.
So the rows are stored ``KINERJA_IMPORT_CHUNK_ROWS`` at a time, each chunk in its own short
transaction (about a tenth of a second at the default 5 000), under an import batch in state
RUNNING (``batches``):

- no reader sees them: ``Response.objects`` hides every batch that is not COMMITTED, which
  covers pages, exports, the API, the admin, ``rollup.rebuild`` and the duplicate check of a
  check-only run; the rollup is not touched while rows are stored;
- the rollup delta is summed as the rows are built; one last short transaction marks the batch
  COMMITTED, adds the delta and writes the audit entry, so the file becomes visible and counted
  at once (``rollup.tally_for`` stays exact at every moment);
- a refused file's chunks are deleted a chunk at a time before the problems are reported; a
  killed import leaves a RUNNING batch that nothing counts, which the next import (or
  ``kinerja survey clean-imports``, or the worker's start) deletes the same way;
- two imports of one unit never run at once (their keys share the unit's namespace).

Keys are unique per (unit, day), not globally: with one index of hashes over all responses,
each row of a chunk landed on another page of that index, and every commit rewrote thousands of
pages (a chunked import ran at half the speed of one transaction). Per unit and day, a file in
time order touches a few pages per chunk, and the chunked import keeps the one-transaction
speed (measured on 500 000 rows into 2 M: as fast as before or faster).
"""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import queue
import tempfile
import threading
import traceback
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, TextIO, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.cli import COMMAND_LINE
from kinerja.accounts.models import OrgUnit
from kinerja.audit import chain
from kinerja.audit.models import AuditEntry
from kinerja.db.bulk import insert_rows, office_time_adapter, uses_copy
from kinerja.db.imports import RESPONSE_COLUMNS, stored_import_keys
from kinerja.db.routing import writer
from kinerja.db.sqlite import sqlite_pragma
from kinerja.lib.tables import iter_rows, sniff_kind
from kinerja_core.errors import InputError, Problem
from kinerja_core.survey_csv import ElementOrder, Record, iter_survey_records

from . import batches, rollup
from .actions import NOON, require_survey_editor
from .models import CODES, SCORE_FIELDS, ImportBatch, Response, Service
from .validation import reader_limits

# Every column of a response row, in the order ``_RowBuilder.rows`` fills them.
COLUMNS = RESPONSE_COLUMNS
# Where the rollup key, scores and idempotency key sit in a stored row.
SERVICE_AT, UNIT_AT, DAY_AT, KEY_AT = (
    COLUMNS.index(c) for c in ("service_id", "unit_id", "day", "import_key")
)
SCORES_AT = slice(COLUMNS.index(SCORE_FIELDS[0]), COLUMNS.index(SCORE_FIELDS[-1]) + 1)
MORNING, AFTERNOON = Response.Session.MORNING.value, Response.Session.AFTERNOON.value
IMPORT_CHANNEL = Response.Channel.IMPORT.value
# Distinct submission times whose stored form is remembered (see _RowBuilder.times).
TIMES_KEPT = 100_000
# SQLite page cache of the importing connection, in KiB: every new idempotency key lands at a
# random place of the unique index, and with the default 2 MB cache most of those pages were
# read back from the file for each insert (1 M rows: ~20 s of inserts instead of ~11 s; 256 MB
# was no faster than 64 MB).
SQLITE_CACHE_KIB = 64 * 1024


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
        self.known: dict[str, bool] = {}

    def find(self, text: str) -> Service | None:
        if not text.strip():
            return self.only
        return self.by_key.get(" ".join(text.split()).casefold())

    def problem(self, row: int, text: str) -> Problem | None:
        """The core reader's service check: a file names few services, each text looked up once."""
        known = self.known.get(text)
        if known is None:
            known = self.find(text) is not None
            if len(self.known) < 1000:
                self.known[text] = known
        if known:
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


def _xlsx_as_csv(stream: IO[bytes], filename: str, out: IO[str]) -> None:
    """Rewrite a spreadsheet as CSV into ``out``, keeping its row numbers."""
    writer = csv.writer(out)
    header: list[str] | None = None
    last = 1
    for number, row in iter_rows(stream, filename):
        if header is None:
            header = list(row)
            writer.writerow(header)
        writer.writerows([[]] * (number - last - 1))  # keep the file's row numbers
        writer.writerow([_cell_text(row.get(h)) for h in header])
        last = number
    out.seek(0)


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
    fork: bool = False,
    order: ElementOrder | None = None,
) -> ImportResult:
    """Check and store a survey file for ``unit``; raises one InputError listing every problem.

    ``fork``: read and check the file in a second process while this one stores it (about
    twice as fast on two cores); for single-threaded callers such as a command, since a
    process with other threads is not safe to fork.

    ``user`` None is the command line without ``--as`` (full rights); anyone else needs the
    survey right on ``unit``, checked here as in every other write. ``order`` numbers bare
    element codes in the header (docs/rules.md#survey-csv-element-order).
    """
    require_survey_editor(user, unit)
    if sniff_kind(filename) == "csv":
        # Read as it is, in one pass: no copy, no second reading to check services.
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            return _import(
                unit,
                text,
                filename,
                dry_run=dry_run,
                user=user,
                progress=progress,
                fork=fork,
                order=order,
            )
        finally:
            text.detach()  # the caller's stream stays open
    with tempfile.SpooledTemporaryFile(mode="w+", max_size=8 * 1024 * 1024, newline="") as out:
        _xlsx_as_csv(stream, filename, out)
        return _import(
            unit,
            out,
            filename,
            dry_run=dry_run,
            user=user,
            progress=progress,
            fork=fork,
            order=order,
        )


# A row's contribution to its rollup row (respondents, t1…t9, sum of squared row totals)
# packed into one int, one 48-bit lane per counter: a (service, day) row of the rollup is
# then summed with one addition per response instead of eleven. 48 bits hold 2^48 / 1296
# (the largest squared total) ≈ 2·10^11 responses per service and day.
LANE = 48
LANES = 2 + len(CODES)


def _packed(scores: tuple[int, ...]) -> int:
    total = sum(scores)
    values = (1, *scores, total * total)
    return sum(value << (LANE * i) for i, value in enumerate(values))


def _unpacked(packed: int, unit_id: int) -> rollup.Delta:
    mask = (1 << LANE) - 1
    values = [(packed >> (LANE * i)) & mask for i in range(LANES)]
    return rollup.Delta(unit_id, values[0], values[1:-1], values[-1])


class _Keys:
    """Idempotency keys of rows, the same text earlier versions computed for the same row.

    ``sha256("import:" + sha256(content) + "#" + occurrence)`` where occurrence counts the
    identical rows before it in the file. Occurrences are counted on the first 64 bits of the
    content hash (an int, not the 64-character text: 1 M rows then need ~60 MB, not 170 MB);
    two different rows sharing those bits (odds ~1e-8 in a million-row file) would only number
    the second one 2, which the same file again numbers 2 again.
    """

    def __init__(self, unit: OrgUnit) -> None:
        self.prefix = unit.code + "|"
        self.first: set[int] = set()
        self.repeats: dict[int, int] = {}

    def key(self, content: str) -> str:
        digest = hashlib.sha256(content.encode()).hexdigest()
        short = int(digest[:16], 16)
        if short in self.first:
            occurrence = self.repeats[short] = self.repeats.get(short, 1) + 1
        else:
            self.first.add(short)
            occurrence = 1
        return "import:" + hashlib.sha256(f"{digest}#{occurrence}".encode()).hexdigest()[:64]


class _RowBuilder:
    """Turns checked records into stored rows (plain tuples in the order of COLUMNS).

    The ORM's bulk_create spent ~0.1 ms per row preparing each of 23 fields; the values here
    are what ``actions.build_response`` would store (office-time day and session, the
    database's own datetime format). What each row adds to the daily rollup is summed here
    too (``sums``, packed, by service and day), so the rollup is written once at the end.
    Touches no database: it may run in a forked process (``_ForkedRows``).
    """

    def __init__(
        self,
        unit: OrgUnit,
        lookup: ServiceLookup,
        batch_id: int | None,
        order: ElementOrder | None = None,
    ) -> None:
        self.lookup = lookup
        self.element_order = order
        self.keys = _Keys(unit)
        # Service text → (service id, unit id, the text as the key has it).
        self.services: dict[str, tuple[int, int, str]] = {}
        # Submission time → (stored time, stored day, session, ISO text for the key).
        self.times: dict[datetime, tuple[Any, Any, str, str]] = {}
        # Scores → (their text in the key, packed rollup contribution).
        self.scores: dict[tuple[int, ...], tuple[str, int]] = {}
        # Earlier versions joined the scores in the order of their sorted element codes.
        self.order = sorted(range(len(CODES)), key=lambda i: CODES[i])
        self.sums: dict[tuple[int, Any], int] = {}
        self.batch_id = batch_id
        self.zone = timezone.get_current_timezone()
        self.ops = writer(Response).ops  # values in the form of the database they go to
        self.office_time = office_time_adapter(Response, self.zone)
        # Local day → its stored form (a file spans few days).
        self.days: dict[date, Any] = {}
        self.now = self.ops.adapt_datetimefield_value(timezone.now())

    def _service(self, text: str) -> tuple[int, int, str]:
        service = self.lookup.find(text)
        assert service is not None  # the reader refused rows with unknown services
        value = self.services[text] = (service.pk, service.unit_id, text.casefold())
        return value

    def _time(self, when: datetime) -> tuple[Any, Any, str, str]:
        # Naive CSV times are office time (as actions.aware reads them): their local day and
        # hour are their own.
        if when.tzinfo is None:
            local, stored = when, self.office_time(when)
        else:
            local = when.astimezone(self.zone)
            stored = self.ops.adapt_datetimefield_value(when)
        day = local.date()
        value = (
            stored,
            self.days.get(day) or self._day(day),
            MORNING if local.hour < NOON else AFTERNOON,
            when.isoformat(),
        )
        if len(self.times) >= TIMES_KEPT:
            self.times.clear()
        self.times[when] = value
        return value

    def _day(self, day: date) -> Any:
        value = self.days[day] = self.ops.adapt_datefield_value(day)
        return value

    def _scores(self, scores: tuple[int, ...]) -> tuple[str, int]:
        value = self.scores[scores] = (
            ",".join(str(scores[i]) for i in self.order),
            _packed(scores),
        )
        return value

    def rows(self, chunk: list[Record]) -> list[tuple[Any, ...]]:
        services, times, scores_of, sums = self.services, self.times, self.scores, self.sums
        key_of, prefix = self.keys.key, self.keys.prefix
        batch_id, now = self.batch_id, self.now
        out = []
        for _row, when, service, gender, age, education, occupation, scores, suggestion in chunk:
            service_id, unit_id, service_key = services.get(service) or self._service(service)
            moment, day, session, iso = times.get(when) or self._time(when)
            score_text, packed = scores_of.get(scores) or self._scores(scores)
            sums[service_id, day] = sums.get((service_id, day), 0) + packed
            key = key_of(
                f"{prefix}{iso}|{service_key}|{gender or ''}|{age or ''}|{education or ''}|"
                f"{occupation or ''}|{score_text}|{suggestion}"
            )
            out.append(
                (
                    service_id,
                    unit_id,
                    moment,
                    day,
                    session,
                    IMPORT_CHANNEL,
                    gender or "",
                    age,
                    education or "",
                    occupation or "",
                    *scores,
                    suggestion,
                    batch_id,
                    key,
                    now,
                )
            )
        return out

    def chunks(self, text: IO[str]) -> Generator[list[tuple[Any, ...]], None, None]:
        """The file's rows, checked and built, a chunk at a time (InputError at the end)."""
        size = settings.KINERJA_IMPORT_CHUNK_ROWS  # also the rows of one write transaction
        for chunk in iter_survey_records(
            cast(TextIO, text),
            chunk_size=size,
            check_service=self.lookup.problem,
            order=self.element_order,
            **reader_limits(),
        ):
            yield self.rows(chunk)


class _ForkedRows:
    """``_RowBuilder.chunks`` run in a forked process, its chunks received here.

    Reading, checking and keying a row costs about as much as storing it, so with two cores
    the child prepares the next chunks while this process stores the earlier ones. The child
    only reads the file and computes; every write stays in this process's transaction, so
    nothing changes about all-or-nothing.

    A thread of this process receives the chunks as they come and keeps up to
    ``KINERJA_IMPORT_CHUNKS_AHEAD`` of them (``ahead``), which bounds memory (a chunk of 5 000
    rows holds ~2 MB; one more waits in the thread's hand and one in the pipe). With the pipe
    alone (it holds about one chunk) each side waited on the other whenever one chunk took it
    longer than the last; and the thread unpickles a chunk while the storing thread waits on
    SQLite, which releases the interpreter while it writes.
    """

    def __init__(self, builder: _RowBuilder, text: IO[str]) -> None:
        self.builder = builder
        self.text = text
        self.ahead: queue.Queue[tuple[str, Any]] = queue.Queue(
            maxsize=settings.KINERJA_IMPORT_CHUNKS_AHEAD
        )
        self.stop = threading.Event()

    def _produce(self, send: Any, receive: Any) -> None:
        # Only the parent reads: with this copy of the reading end closed, a parent that dies
        # (killed mid-import) breaks the pipe and this process ends, instead of blocking on a
        # full pipe forever.
        receive.close()
        try:
            try:
                for rows in self.builder.chunks(self.text):
                    send.send(("rows", rows))
                send.send(("done", self.builder.sums))
            except InputError as exc:
                send.send(("problems", exc.problems))
            except UnicodeDecodeError:
                send.send(("undecodable", None))
            except BrokenPipeError:
                raise
            except BaseException:  # noqa: BLE001 - re-raised in the parent (chunks), traceback included
                send.send(("failed", traceback.format_exc()))
        except BrokenPipeError:
            return  # the parent is gone: nobody to tell

    def _receive(self, receive: Any) -> None:
        """The receiving thread: the child's messages into ``ahead`` until its last one."""
        kind = "rows"
        while kind == "rows":
            try:
                message = receive.recv()
            except BaseException as exc:  # noqa: BLE001 - raised again by chunks, in its thread
                message = ("error", exc)
            kind = message[0]
            while True:
                try:
                    self.ahead.put(message, timeout=0.1)
                    break
                except queue.Full:
                    if self.stop.is_set():  # the storing thread has stopped taking chunks
                        return

    def chunks(self) -> Generator[list[tuple[Any, ...]], None, None]:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        # Forked before this process has a second thread: forking a threaded process is unsafe.
        child = context.Process(target=self._produce, args=(send, receive), daemon=True)
        child.start()
        send.close()
        receiver = threading.Thread(target=self._receive, args=(receive,), daemon=True)
        receiver.start()
        try:
            while True:
                kind, payload = self.ahead.get()
                if kind == "rows":
                    yield payload
                elif kind == "done":
                    self.builder.sums = payload
                    return
                elif kind == "problems":
                    raise InputError(payload)
                elif kind == "undecodable":
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "in the reading process")
                elif kind == "error":
                    raise payload
                else:
                    raise RuntimeError(f"the reading process failed:\n{payload}")
        finally:
            self.stop.set()
            child.join(timeout=0 if receiver.is_alive() else 5)
            if child.is_alive():
                # Stopped early (a storing error): the child, which only reads and computes,
                # ends, and with it the pipe, so a receiving thread waiting on it ends too.
                child.kill()
                child.join()
            receiver.join()
            receive.close()


class _Store:
    """Stores built rows, one short transaction per chunk; rows whose key is stored are skipped.

    Each chunk's transaction also records the batch's progress (``batches.touch``), so a chunk
    is stored whole or not at all, and a batch declared abandoned stops at its next chunk.
    """

    def __init__(self, batch: ImportBatch | None) -> None:
        self.batch = batch
        self.batch_id = batch.pk if batch else None
        self.rows = 0
        # SQLite checks each key as it inserts (the unique index is probed anyway), so a new
        # file costs no look-up. PostgreSQL's COPY has no ON CONFLICT: a chunk is copied in a
        # savepoint, and only when one of its keys is stored already (the COPY fails and is
        # rolled back) are its keys looked up, and from then on every chunk's first: a file
        # that repeats one stored row usually repeats many (the same file again, or a longer
        # version of it). A new file's 300 000 rows cost no look-ups (~2 s of the import).
        self.copies = uses_copy(Response)
        self.look_up_first = False

    def _present(self, rows: list[tuple[Any, ...]], stored_now: bool = False) -> set[str]:
        """Keys of ``rows`` stored before (by an earlier import when ``stored_now``)."""
        by_day: dict[tuple[Any, Any], list[str]] = {}
        for row in rows:
            by_day.setdefault((row[UNIT_AT], row[DAY_AT]), []).append(row[KEY_AT])
        if stored_now:
            return stored_import_keys(by_day, except_batch=self.batch_id)
        return stored_import_keys(by_day, visible_only=self.batch is None)

    def write(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Store the rows whose key is new; return the others (a file imported before)."""
        self.rows += len(rows)
        if self.batch is None:  # a check only
            present = self._present(rows)
            return [row for row in rows if row[KEY_AT] in present] if present else []
        with transaction.atomic():
            skipped = self._write(rows)
            batches.touch(self.batch, self.rows)
        return skipped

    def _write(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if self.copies:
            if not self.look_up_first:
                try:
                    with transaction.atomic():
                        insert_rows(Response, COLUMNS, rows)
                    return []
                except IntegrityError:
                    self.look_up_first = True
            present = self._present(rows)
            new = [row for row in rows if row[KEY_AT] not in present] if present else rows
            if new:
                insert_rows(Response, COLUMNS, new)
        else:
            if insert_rows(Response, COLUMNS, rows, skip_conflicts=True) == len(rows):
                return []
            present = self._present(rows, stored_now=True)
        return [row for row in rows if row[KEY_AT] in present] if present else []


def _import(
    unit: OrgUnit,
    text: IO[str],
    filename: str,
    *,
    dry_run: bool,
    user: Any,
    progress: Callable[[int], None] | None,
    fork: bool,
    order: ElementOrder | None = None,
) -> ImportResult:
    lookup = ServiceLookup(unit)
    batch = None if dry_run else batches.open_batch(unit, filename, user)
    builder = _RowBuilder(unit, lookup, batch.pk if batch else None, order)
    store = _Store(batch)
    inserted = 0
    # Rollup contributions of rows already stored, taken off the builder's sums at the end.
    skipped: dict[tuple[int, Any], int] = {}
    try:
        try:
            with sqlite_pragma(Response, "cache_size", -SQLITE_CACHE_KIB):
                source = _ForkedRows(builder, text).chunks() if fork else builder.chunks(text)
                # Closed as soon as storing stops, even by an error: a forked reader ends then.
                with closing(source):
                    for built in source:
                        for row in store.write(built):
                            key = (row[SERVICE_AT], row[DAY_AT])
                            skipped[key] = skipped.get(key, 0) + _packed(row[SCORES_AT])
                            inserted -= 1
                        inserted += len(built)
                        if progress:
                            progress(len(built))
        except InputError as exc:
            raise InputError(sorted(exc.problems, key=_sort_key)) from None
        except UnicodeDecodeError as exc:
            raise InputError([Problem(None, None, _("the file is not UTF-8 text"))]) from exc
        if batch is not None:
            _commit(batch, unit, filename, user, store.rows, inserted, skipped, builder, lookup)
    except BaseException:
        # Rows stored from the chunks read before the first problem were never visible; they
        # go now, a chunk at a time (or with the next import if this process cannot).
        if batch is not None and batch.state != ImportBatch.State.COMMITTED:
            batches.discard(batch)
        raise
    rows = store.rows
    return ImportResult(rows, inserted, rows - inserted, dry_run, batch)


def _commit(
    batch: ImportBatch,
    unit: OrgUnit,
    filename: str,
    user: Any,
    rows: int,
    inserted: int,
    skipped: dict[tuple[int, Any], int],
    builder: _RowBuilder,
    lookup: ServiceLookup,
) -> None:
    """The one short transaction that makes the whole file visible and counted at once."""
    units = {service.pk: service.unit_id for service in lookup.by_key.values()}
    with transaction.atomic():
        batches.commit(batch, rows, inserted)
        rollup.apply(
            {
                (service_id, day): _unpacked(
                    packed - skipped.get((service_id, day), 0), units[service_id]
                )
                for (service_id, day), packed in builder.sums.items()
            }
        )
        # Responses are written in bulk without per-row history: the import itself is logged.
        chain.append(
            AuditEntry.Action.IMPORT,
            actor=user or None,
            actor_name="" if user else COMMAND_LINE,
            model="surveys.response",
            object_id=str(batch.pk),
            object_repr=filename[:200],
            unit_path=unit.path,
            changes={"rows": rows, "inserted": inserted, "skipped": rows - inserted},
        )
    batch.state = ImportBatch.State.COMMITTED


def import_bytes(unit: OrgUnit, data: bytes, filename: str, **kwargs: Any) -> ImportResult:
    return do_import(unit, io.BytesIO(data), filename, **kwargs)
