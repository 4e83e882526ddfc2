/* The attendance roll: each tap on present / approved leave / absent is saved at once, without reloading.
   The buttons are ordinary submit buttons of one form, so without this file the page posts and reloads;
   with it, the same POST goes in the background (Accept: application/json) and the row shows the answer. */
(function () {
  "use strict";
  var form = document.getElementById("roll-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("roll-status");
  var counts = document.getElementById("roll-counts");

  function say(text, failed) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "small mb-2 " + (failed ? "text-danger" : "text-success");
  }

  function show(row, data) {
    row.setAttribute("data-status", data.status);
    Array.prototype.forEach.call(row.querySelectorAll("button.roll-mark"), function (button) {
      var on = button.getAttribute("data-status") === data.status;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var state = row.querySelector(".roll-state");
    if (state) { state.textContent = data.state; }
    if (counts && data.counts) {
      Object.keys(data.counts).forEach(function (key) {
        var cell = counts.querySelector('[data-count="' + key + '"]');
        if (cell) { cell.textContent = data.counts[key]; }
      });
    }
  }

  function send(button) {
    var row = button.closest("tr");
    var body = new FormData(form);
    body.set("mark", button.value);
    row.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, errors: [] }; });
    }).then(function (data) {
      if (data.ok) {
        show(row, data);
        say(data.message, false);
      } else {
        say((data.errors && data.errors.length ? data.errors.join(" ") : form.getAttribute("data-failed")), true);
      }
    }).catch(function () {
      say(form.getAttribute("data-failed"), true);
    }).then(function () {
      row.removeAttribute("aria-busy");
    });
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    event.preventDefault();
    if (button && button.name === "mark" && button.value) { send(button); }
  });
})();
