"""axe-core on every page the browser tests visit (docs/accessibility.md).

`AxeCheck.watch(context)` makes a Playwright browser context check each HTML page it loads:
axe-core (the npm package, `make setup` installs it from package-lock.json) is added to every
document as an init script, runs once the page has loaded and reports its violations back to
Python. Before the page is left (the next navigation of the same tab), the navigation request
is held until that report has arrived, so a test that clicks on at once does not skip a page;
a `page.goto` of the test first lets the page it leaves load and be checked.
`finish()` waits for the last page of each tab, closes the contexts and returns the serious and
critical violations as readable lines; the `browser` fixture of conftest.py fails the test on
any.

Init scripts and bindings are not subject to the pages' Content-Security-Policy, so the check
sees the pages exactly as served.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import BrowserContext, Error, Page, Route

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The impacts that fail a test. "Minor" and "moderate" findings become warnings in the test
# report: fixed as they are found, but they do not fail the suite.
BLOCKING_IMPACTS = ("serious", "critical")
# How long a page may take to load and be checked before the test is told it was not checked.
SETTLE_SECONDS = 30.0

# Runs in each document before its own scripts: the check starts at the load event, or when the
# page is being left if that comes first. Only the top frame of an HTML page is checked
# (axe reaches into frames itself); a CSV or JSON shown in the tab is not a page. The binding
# names are random per run, so no page can spoof a report.
RUNNER = """
((begin, report, now) => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  if (document.contentType !== "text/html") return;
  const id = Math.random().toString(36).slice(2);
  let started = false;
  const check = () => {
    if (started) return;
    started = true;
    window.axe.run(document, {resultTypes: ["violations"]}).then(
      (results) => window[report](id, location.href, results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "),
            summary: n.failureSummary || ""}))}))),
      (error) => window[report](id, location.href, null, String(error)));
  };
  window[begin](id);
  window[now] = check;
  window.addEventListener("load", check);
  // Left before it finished loading (a click straight after the page appeared): a navigation
  // started from the page stops its loading, so no load event would come. Check it as it is.
  window.addEventListener("beforeunload", check);
})(%(begin)s, %(report)s, %(now)s);
"""


@dataclass
class AxeCheck:
    """The axe-core results of every page loaded in the contexts it watches."""

    checked: list[str] = field(default_factory=list)  # URLs, in the order they were checked
    problems: list[str] = field(default_factory=list)  # serious and critical: fail the test
    notes: list[str] = field(default_factory=list)  # minor and moderate: warnings
    contexts: list[BrowserContext] = field(default_factory=list)
    pending: dict[Page, str] = field(default_factory=dict)  # tab → document not yet reported
    # The page function that starts the check at once (random per run, like the bindings).
    trigger: str = field(default_factory=lambda: f"__kinerjaAxe{secrets.token_hex(8)}")

    def watch(self, context: BrowserContext) -> BrowserContext:
        if not AXE_SCRIPT.is_file():
            raise RuntimeError(f"{AXE_SCRIPT} is missing: run `make setup` (npm ci)")
        begin, report = (f"__kinerjaAxe{secrets.token_hex(8)}" for _ in range(2))
        context.expose_binding(begin, self._begin)
        context.expose_binding(report, self._report)
        context.add_init_script(path=AXE_SCRIPT)
        context.add_init_script(
            script=RUNNER
            % {"begin": repr(begin), "report": repr(report), "now": repr(self.trigger)}
        )
        context.route("**/*", self._hold_navigation)
        new_page = context.new_page

        def checked_page() -> Page:
            page = new_page()
            goto = page.goto

            def checked_goto(url: str, **options: Any) -> Any:
                self._check_now(page)
                return goto(url, **options)

            page.goto = checked_goto  # type: ignore[method-assign]
            return page

        context.new_page = checked_page  # type: ignore[method-assign]
        self.contexts.append(context)
        return context

    def _check_now(self, page: Page) -> None:
        """Let the tab's document load and be checked before the test sends the tab elsewhere.
        A navigation the page does not start itself (page.goto) fires no beforeunload, and
        once it is under way Chromium may stop the loading of the document it replaces (seen
        with its stylesheet and script still on the way), so no load event, and no check,
        would ever come while the navigation is held."""
        if page.is_closed() or page.url == "about:blank":
            return
        try:
            page.wait_for_load_state("load", timeout=SETTLE_SECONDS * 1000)
        except Error:
            # It does not finish loading by itself: check the document as it is.
            page.evaluate(f"() => window[{self.trigger!r}] && window[{self.trigger!r}]()")
        self._settle(page)

    def finish(self) -> list[str]:
        """Wait for the page open in each tab, close the contexts, return the problems."""
        for context in self.contexts:
            for page in context.pages:
                try:
                    page.wait_for_load_state("load", timeout=SETTLE_SECONDS * 1000)
                except Error as error:
                    self.problems.append(f"{page.url}: never finished loading ({error.message})")
                self._settle(page)
            context.close()
        self.contexts.clear()
        return self.problems

    def _begin(self, source: dict[str, Any], document: str) -> None:
        self.pending[source["page"]] = document

    def _report(
        self,
        source: dict[str, Any],
        document: str,
        url: str,
        violations: list[dict[str, Any]] | None,
        error: str | None = None,
    ) -> None:
        if self.pending.get(source["page"]) == document:
            del self.pending[source["page"]]
        self.checked.append(url)
        if error is not None or violations is None:
            self.problems.append(f"{url}: axe-core could not check the page: {error}")
            return
        for violation in violations:
            nodes = "".join(
                f"\n    {node['target']}: {' '.join(node['summary'].split())}"
                for node in violation["nodes"]
            )
            found = self.problems if violation["impact"] in BLOCKING_IMPACTS else self.notes
            found.append(
                f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}"
                f" <{violation['helpUrl']}>{nodes}"
            )

    def _settle(self, page: Page) -> None:
        """Let the page's check report (page.wait_for_timeout lets Playwright's events run)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while page in self.pending and time.monotonic() < deadline and not page.is_closed():
            page.wait_for_timeout(20)
        if page in self.pending and not page.is_closed():
            del self.pending[page]
            self.problems.append(f"{page.url}: axe-core did not finish within {SETTLE_SECONDS} s")

    def _hold_navigation(self, route: Route) -> None:
        # An exception here would only be logged by Playwright and hang the navigation, so
        # every failure becomes a reported problem and the request goes on.
        try:
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._settle(request.frame.page)
        except Error as error:
            self.problems.append(f"{route.request.url}: could not wait for axe-core: {error}")
        route.fallback()
