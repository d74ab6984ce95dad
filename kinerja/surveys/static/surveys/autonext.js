// Pages that move on by themselves (a kiosk's thank-you page, an import's progress) carry
// data-next-after (seconds) and data-next-url (the current page when absent). A script instead of
// <meta http-equiv="refresh">, so that a person who needs more time can stop it with the
// data-next-stop button (a timed change the user can turn off: WCAG 2.2.1, docs/accessibility.md).
(function () {
  "use strict";
  var holder = document.querySelector("[data-next-after]");
  if (!holder) return;
  var seconds = parseInt(holder.getAttribute("data-next-after"), 10) || 5;
  var url = holder.getAttribute("data-next-url") || window.location.href;
  var timer = window.setTimeout(function () { window.location.assign(url); }, seconds * 1000);
  var stop = document.querySelector("[data-next-stop]");
  if (!stop) return;
  stop.hidden = false;
  stop.addEventListener("click", function () {
    window.clearTimeout(timer);
    stop.hidden = true;
    var note = document.querySelector("[data-next-note]");
    if (note) note.hidden = true;
  });
})();
