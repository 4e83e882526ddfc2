/* Small behaviours every page shares, kept out of the HTML so the Content-Security-Policy can forbid inline script.
   - [data-history-back] buttons go back one page; [data-print] buttons print the page.
   - A form's post is sent once, however often its button is pressed while it is on its way.
   - Logging out removes every local copy of typed text from the browser (an office PC is shared).
   - A form's local copy of typed text ("lianchun-form-draft:<account>:<path>" in localStorage) is marked as sent when the
     form is submitted and removed only when the server confirms the save: a success message on the page the
     save led to, or the redirect itself (the product answers a saved post with a redirect, a refused one with
     the form again), unless it led to the login page (the session had run out). A CSRF failure, a server
     error or a refused save leaves it in place. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-history-back], [data-print]") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-history-back")) {
      event.preventDefault();
      if (window.history.length > 1) { window.history.back(); } else { window.location.href = "/"; }
    } else if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    }
  });

  // A post goes once: a second click while the first is on its way (a slow line, a double-click) is not sent
  // again. A form that posts in the background prevents the submission itself and is left alone. The form is
  // free again when the page comes back from the back-forward cache, or after ten seconds (a download leaves
  // the page in place).
  function release(form) { form.removeAttribute("data-sending"); form.removeAttribute("aria-busy"); }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    if (form.hasAttribute("data-sending")) { event.preventDefault(); return; }
    form.setAttribute("data-sending", "");
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () { release(form); }, 10000);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), release); }
  });

  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var DRAFT = /^lianchun-[a-z-]*draft:/;
  document.addEventListener("submit", function (event) {
    if (!storage || !event.target.hasAttribute("data-logout")) { return; }
    var drafts = [];
    for (var i = 0; i < storage.length; i++) { if (DRAFT.test(storage.key(i) || "")) { drafts.push(storage.key(i)); } }
    drafts.forEach(function (key) { storage.removeItem(key); });
  });
  var account = document.body.getAttribute("data-account");
  var navigation = window.performance && window.performance.getEntriesByType ?
    window.performance.getEntriesByType("navigation")[0] : null;
  var redirected = Boolean(navigation && navigation.redirectCount > 0) && !document.querySelector("[data-login-page]");
  if (!storage || !(redirected || document.querySelector("[data-confirms-save]"))) { return; }
  var paths = [window.location.pathname];
  try {
    var referrer = new URL(document.referrer);
    if (referrer.origin === window.location.origin) { paths.push(referrer.pathname); }
  } catch (e) { /* no referrer */ }
  var confirmed = [];
  for (var i = 0; i < storage.length; i++) {
    var key = storage.key(i);
    var match = /^lianchun-[a-z-]*draft:(\d+):([^#]*)/.exec(key || "");
    if (!match || match[1] !== account || paths.indexOf(match[2]) === -1) { continue; }
    var kept = null;
    try { kept = JSON.parse(storage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.sent) { confirmed.push(key); }
  }
  confirmed.forEach(function (key) { storage.removeItem(key); });
})();
