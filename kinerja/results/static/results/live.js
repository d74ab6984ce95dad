// The dashboard while its results are being recomputed in the background (docs/rules.md#live-results):
// the page asks the status address in data-live-url every data-live-poll seconds, only while it
// is visible, and puts each card's new figures in place (an aria-live="polite" region per card),
// until an answer has nothing left being updated. Loaded only on a page that shows "sedang
// diperbarui"; without it the page says to reload.
(function () {
  "use strict";
  var grid = document.querySelector("[data-live-url]");
  var notice = document.getElementById("updating");
  if (!grid || !notice || !window.fetch) return;
  var url = grid.getAttribute("data-live-url");
  var seconds = parseFloat(grid.getAttribute("data-live-poll")) || 5;
  var timer = null;
  var busy = false;
  var done = false;
  if (notice.getAttribute("data-live-text")) notice.textContent = notice.getAttribute("data-live-text");

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (!done && document.visibilityState === "visible") timer = window.setTimeout(poll, seconds * 1000);
  }

  function apply(answer) {
    answer.cards.forEach(function (card) {
      var region = grid.querySelector('[data-live-card="' + CSS.escape(card.code) + '"]');
      // Only a card whose result or stale flag changed is written: a screen reader hears each
      // change once.
      if (region && region.getAttribute("data-live-state") !== card.state) {
        region.innerHTML = card.html;
        region.setAttribute("data-live-state", card.state);
      }
    });
    if (!answer.updating) {
      done = true;
      notice.hidden = true;
    }
  }

  function poll() {
    if (busy || done) return;
    busy = true;
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        // A session that ended, or a page no longer shown to this user: stop, the page stays as it is.
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then(apply)
      .catch(function () { done = true; })
      .then(function () { busy = false; schedule(); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll(); else window.clearTimeout(timer);
  });
  schedule();
})();
