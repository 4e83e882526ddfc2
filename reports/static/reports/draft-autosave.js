/* Keeps what a cadre types in the weekly report form in this browser (localStorage) until the server confirms
   the save (static/js/app.js removes the copy then), so a closed tab, a crash, an expired form or a server error
   does not lose it. On return, offers the kept text back; never overwrites silently. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.localStorage) { return; }
  var key = "lianchun-report-draft:" + window.location.pathname;
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && (el.tagName === "TEXTAREA" || el.type === "number");
  });
  function current() {
    var values = {};
    fields.forEach(function (el) { values[el.name] = el.value; });
    return values;
  }
  function differs(kept) {
    return fields.some(function (el) { return kept.hasOwnProperty(el.name) && kept[el.name] !== el.value; });
  }
  var kept = null;
  try { kept = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  var banner = document.getElementById("autosave-restore");
  if (kept && kept.values && differs(kept.values) && banner) {
    banner.classList.remove("d-none");
    banner.querySelector("button[data-restore]").addEventListener("click", function () {
      fields.forEach(function (el) { if (kept.values.hasOwnProperty(el.name)) { el.value = kept.values[el.name]; } });
      banner.classList.add("d-none");
    });
    banner.querySelector("button[data-discard]").addEventListener("click", function () {
      window.localStorage.removeItem(key);
      banner.classList.add("d-none");
    });
  }
  var timer = null;
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      try { window.localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: current() })); } catch (e) { /* storage full: nothing to do */ }
    }, 400);
  });
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    // Kept until the server confirms: the answer may be an expired-form page or a server error.
    try { window.localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), sent: true, values: current() })); } catch (e) { /* storage full */ }
  });
})();
