// The downloads page: while a background download waits or runs, ask for its progress every few
// seconds and show it; when one finishes (ready or failed), reload so the page shows the link or
// the reason. No inline script (Content-Security-Policy): this file is loaded by exports/index.html.
(function () {
  "use strict";
  var INTERVAL_MS = 3000;
  var ACTIVE = { queued: true, running: true };

  function start() {
    var panel = document.querySelector("[data-export-jobs]");
    if (!panel) return;
    var url = panel.getAttribute("data-status-url");

    function activeRows() {
      return Array.prototype.filter.call(panel.querySelectorAll("[data-job]"), function (row) {
        return ACTIVE[row.getAttribute("data-status")];
      });
    }

    function update(jobs) {
      var finished = false;
      jobs.forEach(function (job) {
        var row = panel.querySelector('[data-job="' + job.id + '"]');
        if (!row) return;
        if (ACTIVE[row.getAttribute("data-status")] && !ACTIVE[job.status]) finished = true;
        row.setAttribute("data-status", job.status);
        var label = row.querySelector("[data-job-label]");
        if (label) label.textContent = job.label;
        var bar = row.querySelector("[data-job-progress]");
        if (bar) {
          bar.style.width = job.progress + "%";
          bar.textContent = job.progress + "%";
          bar.parentNode.setAttribute("aria-valuenow", job.progress);
        }
      });
      return finished;
    }

    function poll() {
      if (!activeRows().length) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (update(data.jobs)) {
            window.location.reload();
          } else {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS * 3);
        });
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
