/* Keeps what a person types into any form that posts text (a textarea in it) in this browser (localStorage)
   until the server confirms the save (static/js/app.js removes the copy then), so a closed tab, a crash, an
   expired form or a server error does not lose it. On return, offers the kept text back; never overwrites
   silently. An edit form's version token is kept with the text and put back with it, so a save of the kept
   text over someone else's save in the meantime is refused as any stale save is. A form says
   data-no-autosave to opt out. The banner's words come from the page (<template id="autosave-banner">).
   A copy belongs to the account signed in (<body data-account>): on an office PC shared by several cadres, one
   is never offered another's text, and logging out removes every copy (static/js/app.js). */
(function () {
  "use strict";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var template = document.getElementById("autosave-banner");
  var account = document.body.getAttribute("data-account");
  if (!storage || !template || !account) { return; }
  var TYPED = /^(text|number|date)$/;
  var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-autosave") &&
      form.querySelector("textarea");
  });
  forms.forEach(function (form, index) {
    var key = "lianchun-form-draft:" + account + ":" + window.location.pathname + (index ? "#" + index : "");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && TYPED.test(el.type)));
    });
    var version = form.querySelector("input[name=record_version]");
    function current() {
      var values = {};
      fields.forEach(function (el) { values[el.name] = el.value; });
      return { savedAt: Date.now(), values: values, version: version ? version.value : null };
    }
    function differs(kept) {
      return fields.some(function (el) { return kept.hasOwnProperty(el.name) && kept[el.name] !== el.value; });
    }
    var kept = null;
    try { kept = JSON.parse(storage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.sent) {
      // The form is shown again, so what was sent did not end in a save (app.js has removed those): unsent again.
      kept.sent = false;
      try { storage.setItem(key, JSON.stringify(kept)); } catch (e) { /* storage full */ }
    }
    if (kept && kept.values && differs(kept.values)) {
      var banner = template.content.firstElementChild.cloneNode(true);
      if (!document.getElementById("autosave-restore")) { banner.id = "autosave-restore"; }
      form.parentNode.insertBefore(banner, form);
      banner.querySelector("button[data-restore]").addEventListener("click", function () {
        fields.forEach(function (el) { if (kept.values.hasOwnProperty(el.name)) { el.value = kept.values[el.name]; } });
        if (version && kept.version) { version.value = kept.version; }
        banner.remove();
      });
      banner.querySelector("button[data-discard]").addEventListener("click", function () {
        storage.removeItem(key);
        banner.remove();
      });
    }
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        try { storage.setItem(key, JSON.stringify(current())); } catch (e) { /* storage full: nothing to do */ }
      }, 400);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      // Kept until the server confirms: the answer may be an expired-form page or a server error.
      var sent = current();
      sent.sent = true;
      try { storage.setItem(key, JSON.stringify(sent)); } catch (e) { /* storage full */ }
    });
  });
})();
