// Paper-form entry by keyboard: 1–4 answers the current element and moves to the next,
// Backspace goes back one element, Enter saves. Without this file the form still works
// (Tab and arrow keys choose the radio buttons, the button saves).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("paper-entry");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-score-row]"));
  var typing = "input[type=text], input[type=number], input[type=date], textarea, select";

  function radios(row) { return row.querySelectorAll("input[type=radio]"); }
  function focusRow(i) {
    rows.forEach(function (r) { r.classList.remove("current"); });
    var row = rows[i];
    row.classList.add("current");
    (row.querySelector("input:checked") || radios(row)[0]).focus();
  }
  function rowOf(target) {
    for (var i = 0; i < rows.length; i++) { if (rows[i].contains(target)) { return i; } }
    return -1;
  }

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.tagName !== "TEXTAREA") {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      return;
    }
    if (target.matches(typing)) { return; }
    var i = rowOf(target);
    if (i < 0) { return; }
    if (event.key >= "1" && event.key <= "4") {
      event.preventDefault();
      radios(rows[i])[Number(event.key) - 1].checked = true;
      rows[i].classList.add("answered");
      if (i + 1 < rows.length) { focusRow(i + 1); }
      else { form.querySelector("button[type=submit]").focus(); }
    } else if (event.key === "Backspace" && i > 0) {
      event.preventDefault();
      focusRow(i - 1);
    }
  });

  var firstError = form.querySelector("[data-score-row] .errorlist");
  focusRow(firstError ? rowOf(firstError) : 0);
});
