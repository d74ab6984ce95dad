"""A bounded load generator: phones that GET the public form and POST it back, over loopback.

Threads with ``http.client`` (no extra dependency), a fixed duration or count, and fixed
concurrency. Each submission comes from its own loopback address (127.x.y.z), as citizens' phones
would, so the per-client rate limit of the public form counts them separately and stays at its
default. Each POST carries a unique marker in its suggestion, so the crash test can find exactly
which submissions were stored.

A POST whose connection breaks (the server was killed) is sent again with the same one-time
token, as a phone's retry would: the token's idempotency key must keep it from being stored twice.
"""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_INPUT = re.compile(rb'name="token" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")
ANSWERS = {f"u{i}": str(3 + (i % 2)) for i in range(1, 10)}
PROFILE = {"gender": "P", "age": "34", "education": "SMA", "occupation": "Swasta"}
TIMEOUT = 15.0


class Broken(Exception):
    """The connection failed (refused, reset, timed out): the server is down or restarting."""


def source_address(n: int) -> str:
    """A distinct loopback address per submission, never 127.0.0.x."""
    return f"127.{1 + (n >> 16) % 254}.{(n >> 8) & 255}.{n & 255}"


def request(
    port: int,
    method: str,
    path: str,
    source: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT, source_address=(source, 0)
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    except (OSError, http.client.HTTPException) as exc:
        raise Broken(str(exc)) from exc
    finally:
        conn.close()


@dataclass
class Submission:
    marker: str
    acknowledged: bool = False
    status: int = 0
    attempts: int = 0
    latency: float = 0.0  # from the form's GET to the POST's answer
    post_latency: float = 0.0  # the (last) POST alone
    answered: float = 0.0  # time.perf_counter() when the POST was answered: it had committed


@dataclass
class LoadResult:
    submissions: list[Submission] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    requests: int = 0
    broken: int = 0
    seconds: float = 0.0

    @property
    def acknowledged(self) -> list[Submission]:
        return [s for s in self.submissions if s.acknowledged]

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


class Phone:
    """One submission: GET the form (retrying while the server is down), then POST it."""

    def __init__(
        self,
        port: int,
        path: str,
        result: LoadResult,
        lock: threading.Lock,
        retry_until: Callable[[], bool],
    ) -> None:
        self.port, self.path, self.result, self.lock = port, path, result, lock
        self.retry_until = retry_until

    def count(self, status: int) -> None:
        with self.lock:
            self.result.requests += 1
            self.result.statuses[status] += 1

    def broke(self) -> None:
        with self.lock:
            self.result.broken += 1
        time.sleep(0.05)

    def get_form(self, source: str) -> tuple[str, str, str] | None:
        while True:
            try:
                status, headers, body = request(self.port, "GET", self.path, source)
            except Broken:
                if self.retry_until():
                    return None
                self.broke()
                continue
            self.count(status)
            csrf, token = CSRF_INPUT.search(body), TOKEN_INPUT.search(body)
            cookie = COOKIE.search(headers.get("set-cookie", ""))
            if status != 200 or not (csrf and token and cookie):
                return None
            return csrf.group(1).decode(), token.group(1).decode(), cookie.group(1)

    def submit(self, n: int, marker: str) -> Submission:
        sub = Submission(marker)
        source = source_address(n)
        started = time.perf_counter()
        form = self.get_form(source)
        if form is None:
            return sub
        csrf, token, cookie = form
        body = urlencode(
            {
                **ANSWERS,
                **PROFILE,
                "csrfmiddlewaretoken": csrf,
                "token": token,
                "website": "",
                "suggestion": f"bench {marker}",
            }
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        }
        while True:
            sub.attempts += 1
            posted = time.perf_counter()
            try:
                status, response_headers, _body = request(
                    self.port, "POST", self.path, source, body, headers
                )
            except Broken:
                if self.retry_until():
                    return sub
                self.broke()
                continue  # the same token again: a phone resending after a dropped connection
            self.count(status)
            sub.status = status
            sub.acknowledged = status == 302 and "terima-kasih" in response_headers.get(
                "location", ""
            )
            sub.answered = time.perf_counter()
            sub.latency, sub.post_latency = sub.answered - started, sub.answered - posted
            return sub


def run_submissions(
    port: int,
    path: str,
    *,
    concurrency: int,
    marker: str,
    duration: float | None = None,
    count: int | None = None,
    first: int = 0,
    progress: Callable[[int], object] = lambda n: None,
    rate: float | None = None,
) -> LoadResult:
    """Submit forms from ``concurrency`` threads until ``duration`` seconds or ``count`` are done.

    With ``rate``, submissions are paced: the n-th starts no earlier than n / ``rate`` seconds
    after the start (a steady flow of phones, as far as ``concurrency`` threads keep up);
    without, each thread submits again as soon as it is answered.
    """
    result = LoadResult()
    lock = threading.Lock()
    numbers = itertools.count(first)
    started = time.perf_counter()
    deadline = started + duration if duration else None
    grace = deadline + 30 if deadline else None

    def out_of_time() -> bool:
        return grace is not None and time.perf_counter() > grace

    def worker() -> None:
        phone = Phone(port, path, result, lock, out_of_time)
        while True:
            with lock:
                n = next(numbers)
            if count is not None and n - first >= count:
                return
            if rate is not None:
                time.sleep(max(0.0, started + (n - first) / rate - time.perf_counter()))
            if deadline is not None and time.perf_counter() >= deadline:
                return
            sub = phone.submit(n, f"{marker}-{n:07d}")
            with lock:
                result.submissions.append(sub)
            progress(1)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


def run_gets(port: int, path: str, *, concurrency: int, duration: float) -> LoadResult:
    """The trivial-view baseline: plain GETs from the same kind of threads."""
    result = LoadResult()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + duration
    latencies: list[float] = []

    def worker() -> None:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, _h, _b = request(port, "GET", path, "127.0.0.1")
            except Broken:
                with lock:
                    result.broken += 1
                continue
            with lock:
                result.requests += 1
                result.statuses[status] += 1
                latencies.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    result.submissions = [Submission("", True, 200, 1, x) for x in latencies]
    return result
