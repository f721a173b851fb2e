/* hubgen progressive enhancement. Everything works without it: the directory's service links go
   to static filter pages; with JS the directory filters in place and keeps the URL shareable. */
(function () {
  "use strict";
  function setupFilter(nav) {
    var grid = document.querySelector("[data-hg-filter-items]");
    var status = document.querySelector("[data-hg-filter-status]");
    if (!grid) return;
    var cards = grid.querySelectorAll("[data-services]");
    var links = nav.querySelectorAll("a[data-service]");
    function apply(service, label) {
      var shown = 0;
      cards.forEach(function (card) {
        var match = !service || (" " + card.getAttribute("data-services") + " ").indexOf(" " + service + " ") !== -1;
        card.hidden = !match;
        if (match) shown += 1;
      });
      links.forEach(function (link) {
        if (link.getAttribute("data-service") === service) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      });
      if (status) {
        status.textContent = service
          ? shown + " of " + cards.length + " partners offer " + label + "."
          : cards.length + " partners.";
      }
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        var service = link.getAttribute("data-service");
        var label = link.firstChild ? link.firstChild.textContent.trim() : service;
        apply(service, label);
        history.pushState({ service: service, label: label }, "", link.href);
      });
    });
    var current = nav.querySelector("a[aria-current]");
    if (current) {
      history.replaceState({ service: current.getAttribute("data-service"),
        label: current.firstChild.textContent.trim() }, "");
    }
    window.addEventListener("popstate", function (event) {
      var state = event.state || { service: "", label: "" };
      apply(state.service, state.label);
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
