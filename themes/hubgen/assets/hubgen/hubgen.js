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
