"""The axe-core check of the browser tests fails on a page with a known violation.

Pages are served by a small HTTP server of the test's own, so these tests need neither the
database nor the application. The last test runs a browser test in a pytest of its own and
sees it fail: the `browser` fixture itself, not only the checker, catches a violation.
"""

from __future__ import annotations

import base64
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kinerja.lib.axe import SETTLE_SECONDS

pytestmark = pytest.mark.browser

# A picture without a text alternative (image-alt, critical) and grey on white at 2,3:1
# (color-contrast, serious) on an otherwise correct page. The server takes a while to send the
# picture, so the page's load event comes late.
BAD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Bad</h1>
<p style="color:#aaaaaa;background:#ffffff">Grey text that is hard to read</p>
<img src="slow.gif" width="20" height="20">
<p><a id="next" href="good.html">Next</a></p>
%s</main></body></html>"""
# Enough text that axe-core takes longer to check the page than the next page takes to arrive.
BAD %= "".join(f"<p>Line {i}</p>" for i in range(2000))
GOOD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good</title></head>
<body><main><h1>Good</h1><p>Dark text on white.</p><a href="bad.html">Back</a></main></body></html>"""
# Only a moderate finding (no main landmark, content outside landmarks): reported by axe-core,
# but below the serious and critical impacts that fail a test.
MODERATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moderate</title>
</head><body><h1>Moderate</h1><p>No landmark around this.</p></body></html>"""


# A page whose parsing waits for a slow script, as pages wait for their stylesheet and script.
BLOCKED = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blocked</title>
<script src="slow.js"></script></head><body><main><h1>Blocked</h1>
<img src="x.gif"></main></body></html>"""


GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")
SLOW_SECONDS = 1.0


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.js":
            time.sleep(SLOW_SECONDS)
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/slow.gif":
            super().do_GET()
            return
        time.sleep(SLOW_SECONDS)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(GIF)))
        self.end_headers()
        self.wfile.write(GIF)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    pages = {"bad.html": BAD, "good.html": GOOD, "moderate.html": MODERATE, "blocked.html": BLOCKED}
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    (tmp_path / "data.json").write_text('{"not": "a page"}', encoding="utf-8")
    handler = functools.partial(Handler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_it_reports_the_serious_and_critical_violations_of_a_page(
    browser: Any, axe: Any, site: str
) -> None:
    page = browser.new_page()
    page.goto(site + "bad.html")
    problems = axe.finish()
    assert any(p.startswith(f"{site}bad.html: image-alt (critical)") for p in problems), problems
    assert any(p.startswith(f"{site}bad.html: color-contrast (serious)") for p in problems)
    assert any("2.32" in p for p in problems)  # axe-core's measured ratio, for the reader
    assert axe.checked == [f"{site}bad.html"]
    axe.problems.clear()  # the fixture would fail this test on them; seeing them is the test


def test_it_checks_a_page_that_the_test_leaves_at_once(browser: Any, axe: Any, site: str) -> None:
    """The next navigation waits for the page's load and check: the bad page is reported though
    the test clicked away from it before its picture, and so its load event, had arrived."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "bad.html", wait_until="domcontentloaded")
    started = time.monotonic()
    page.click("#next")
    page.wait_for_url(site + "good.html")
    assert time.monotonic() - started < SETTLE_SECONDS  # held for the check, not timed out
    page.goto(site + "moderate.html")
    page.goto(site + "data.json")  # not an HTML page: nothing to check
    problems = axe.finish()
    assert axe.checked == [f"{site}bad.html", f"{site}good.html", f"{site}moderate.html"]
    assert {p.split(": ")[0] for p in problems} == {f"{site}bad.html"}
    assert any(n.startswith(f"{site}moderate.html: region (moderate)") for n in axe.notes)
    assert context.pages == []  # finish() closed the context
    axe.problems.clear()
    axe.notes.clear()


def test_it_checks_a_page_the_test_sends_elsewhere_before_it_loaded(
    browser: Any, axe: Any, site: str
) -> None:
    """A page.goto while the page waits for its script fires no beforeunload and stops that
    loading, so no load event would start the check: the goto first lets the page load."""
    page = browser.new_context().new_page()
    page.goto(site + "blocked.html", wait_until="commit")
    while page not in axe.pending:  # the document has begun: its script is on the way
        page.wait_for_timeout(5)
    started = time.monotonic()
    page.goto(site + "good.html")
    assert time.monotonic() - started < SETTLE_SECONDS  # held for the check, not timed out
    problems = axe.finish()
    assert axe.checked == [f"{site}blocked.html", f"{site}good.html"]
    assert {p.split(": ")[0] for p in problems} == {f"{site}blocked.html"}  # image-alt
    axe.problems.clear()


def test_a_clean_page_passes(browser: Any, axe: Any, site: str) -> None:
    page = browser.new_context().new_page()
    page.goto(site + "good.html")
    assert axe.finish() == []
    assert axe.checked == [f"{site}good.html"]


def test_a_browser_test_fails_on_a_page_with_a_violation(pytester: Any, site: str) -> None:
    root = Path(settings.BASE_DIR)
    pytester.makeconftest((root / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nDJANGO_SETTINGS_MODULE = kinerja.settings\n")
    pytester.makepyfile(
        test_visit=f"""
def test_visits_a_bad_page(phone):
    phone.goto("{site}bad.html")

def test_visits_a_good_page(desktop):
    desktop.goto("{site}good.html")
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_visits_a_bad_page*",
            "axe-core: 2 serious or critical accessibility violation(s):",
            f"{site}bad.html: color-contrast (serious)*",
            f"{site}bad.html: image-alt (critical)*",
        ]
    )
