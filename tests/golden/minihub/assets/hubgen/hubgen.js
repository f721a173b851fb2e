/* hubgen progressive enhancement. Everything works without it: the directory's profession and
   service links go to static filter pages; with JS the directory (which holds every firm)
   filters in place and keeps the URL shareable, while a filter page (its own firms only) lets
   its links load the other filter pages. A filter is "profession:<slug>", "service:<slug>" or
   "" (every firm). */
(function () {
  "use strict";
  function setupFilter(nav) {
    var grid = document.querySelector("[data-hg-filter-items]");
    var status = document.querySelector("[data-hg-filter-status]");
    if (!grid || !grid.hasAttribute("data-hg-filter-all")) return;
    var cards = grid.querySelectorAll("[data-services]");
    var links = nav.querySelectorAll("a[data-filter]");
    function matches(card, filter) {
      if (!filter) return true;
      var at = filter.indexOf(":");
      var kind = filter.slice(0, at), value = filter.slice(at + 1);
      if (kind === "profession") return card.getAttribute("data-profession") === value;
      return (" " + card.getAttribute("data-services") + " ").indexOf(" " + value + " ") !== -1;
    }
    function apply(filter) {
      var shown = 0, label = "";
      cards.forEach(function (card) {
        var match = matches(card, filter);
        card.hidden = !match;
        if (match) shown += 1;
      });
      links.forEach(function (link) {
        if (link.getAttribute("data-filter") === filter) {
          link.setAttribute("aria-current", "page");
          label = link.getAttribute("data-label") || label;
        } else {
          link.removeAttribute("aria-current");
        }
      });
      if (status) {
        status.textContent = !filter
          ? cards.length + " firms."
          : filter.indexOf("service:") === 0
            ? shown + " of " + cards.length + " firms offer " + label + "."
            : shown + " of " + cards.length + " firms: " + label + ".";
      }
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        var filter = link.getAttribute("data-filter");
        apply(filter);
        history.pushState({ filter: filter }, "", link.href);
      });
    });
    var current = nav.querySelector("a[aria-current]");
    history.replaceState({ filter: current ? current.getAttribute("data-filter") : "" }, "");
    window.addEventListener("popstate", function (event) {
      apply((event.state && event.state.filter) || "");
    });
  }
  var nav = document.querySelector("[data-hg-filter]");
  if (nav) setupFilter(nav);
})();

/* Copy buttons ([data-copy="#id"]) and the share kit's link builder. */
(function () {
  "use strict";
  function textOf(target) {
    return target.value !== undefined && target.tagName !== "OUTPUT" ? target.value : target.textContent;
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target) return;
      var text = textOf(target);
      var done = function () {
        var label = button.textContent;
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else if (target.select) {
        target.select();
        document.execCommand("copy");
        done();
      }
    });
  });
  document.querySelectorAll("[data-hg-builder]").forEach(function (form) {
    var params = JSON.parse(form.getAttribute("data-params"));
    var input = form.querySelector("input");
    var output = form.querySelector("output");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", function () {
      var url;
      try { url = new URL(input.value.trim(), form.getAttribute("data-site") || location.href); }
      catch (e) { output.textContent = ""; return; }
      // Canonical trailing-slash page URL, so no redirect drops the parameters.
      if (!/\/$/.test(url.pathname) && !/\.[a-z0-9]+$/i.test(url.pathname)) url.pathname += "/";
      params.forEach(function (pair) { url.searchParams.set(pair[0], pair[1]); });
      output.textContent = url.href;
    });
  });
})();

/* Lead forms: a plain POST works without JavaScript (the receiver answers with the thank-you
   page). With JavaScript the form posts in place, shows success, or shows the server's field
   errors next to the fields; an idempotency key makes a retried submission count once. */
(function () {
  "use strict";
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function clearErrors(form) {
    form.querySelectorAll(".hg-field__error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }
  function showErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.elements.namedItem(name);
      var message = document.getElementById("hg-form-" + name + "-error");
      if (field && field.setAttribute && message) {
        field.setAttribute("aria-invalid", "true");
        message.textContent = errors[name];
        message.hidden = false;
        if (!first) first = field;
      }
    });
    return first;
  }
  document.querySelectorAll("form[data-hubgen-form]").forEach(function (form) {
    var key = form.elements.namedItem("idempotency_key");
    if (key && !key.value) key.value = uuid();
    if (!form.hasAttribute("data-hubgen-async")) return;
    var status = form.querySelector(".hg-form__status");
    var button = form.querySelector("[type=submit]");
    form.addEventListener("submit", function (event) {
      if (!form.action || !window.fetch) return; // let the browser post the form
      event.preventDefault();
      clearErrors(form);
      button.disabled = true;
      status.textContent = "Sending…";
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      }).then(function (result) {
        button.disabled = false;
        if (result.status >= 200 && result.status < 300) {
          form.reset();
          if (key) key.value = uuid();
          status.textContent = "";
          // Sharing and forms: the confirmation replaces the form, centred and focused, and
          // the "shared with you" card steps aside (html.hg-sent) so nothing covers it.
          var done = document.getElementById("hg-form-done-" + form.getAttribute("data-hubgen-form"));
          document.documentElement.classList.add("hg-sent");
          if (!done) { status.textContent = "Thank you: your message has been sent."; return; }
          form.hidden = true;
          done.hidden = false;
          done.focus({ preventScroll: true });
          done.scrollIntoView({ block: "center" });
          return;
        }
        var errors = (result.body && result.body.errors) || {};
        var names = Object.keys(errors);
        var first = showErrors(form, errors);
        var unplaced = names.filter(function (n) { return !document.getElementById("hg-form-" + n + "-error"); });
        status.textContent = result.status === 429
          ? "Too many messages from this connection. Please wait a minute and try again."
          : names.length
            ? "Please check the form: " + (unplaced.length ? unplaced.map(function (n) { return errors[n]; }).join(" ") : "some fields need attention.")
            : "Sorry, your message could not be sent. Please try again.";
        if (first) first.focus();
      }).catch(function () {
        button.disabled = false;
        status.textContent = "Sorry, your message could not be sent (no connection?). Please try again.";
      });
    });
  });
})();
