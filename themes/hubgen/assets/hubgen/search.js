/* hubgen's site search (partials/hubgen/search.html): Material's search box, backed by the static
   Pagefind index in pagefind/. Nothing of the index loads until the visitor focuses the box (or
   opens the site with ?q=). Everything shown comes from the index as text: titles, names and
   excerpts are set with textContent, never as HTML. */
(function () {
  "use strict";
  var root = document.querySelector("[data-hg-search]");
  if (!root) return;
  var toggle = document.getElementById("__search");
  var input = root.querySelector("[data-hg-search-input]");
  var form = input.form;
  var list = root.querySelector("[data-hg-search-results]");
  var status = root.querySelector("[data-hg-search-status]");
  var facetBox = root.querySelector("[data-hg-search-facets]");
  var idle = status.textContent;
  var FACETS = [["partner", "Firm"], ["profession", "Profession"], ["topic", "Topic"], ["category", "Category"]];
  var SHOWN = 10;
  var chosen = {};
  var refining = false;
  var loading = null;
  var runs = 0;
  var timer = 0;

  // The index is at <site>/pagefind/: the site's root (a sub-path on GitHub Pages project
  // sites) is one folder up, and result URLs start there.
  var bundle = new URL(root.getAttribute("data-pagefind"), document.baseURI);
  var siteRoot = new URL("../", bundle);

  function load() {
    if (!loading) {
      loading = import(bundle.href).then(function (pagefind) {
        return pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 24 }).then(function () {
          return pagefind;
        });
      });
      loading.catch(function () {
        loading = null;
        status.textContent = "Search is not available right now.";
      });
    }
    return loading;
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind marks matches with <mark>; every other character of an excerpt is shown as text.
  var parser = new DOMParser();
  function asText(html) {
    // After <body>, so the spaces either side of a match are kept.
    return parser.parseFromString("<!DOCTYPE html><body>" + html, "text/html").body.textContent || "";
  }
  function excerpt(html) {
    var node = element("p", "hg-search__excerpt");
    var marked = false;
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) node.appendChild(marked ? element("mark", "", asText(part)) : document.createTextNode(asText(part)));
    });
    return node;
  }

  function authors(meta) {
    var found;
    try {
      found = JSON.parse(meta.authors || "[]");
    } catch (error) {
      found = [];
    }
    if (!found.length) return null;
    var line = element("p", "hg-search__authors");
    found.forEach(function (author) {
      var item = element("span", "hg-search__author");
      if (author.logo) {
        var logo = element("img", "hg-search__logo");
        logo.alt = "";
        logo.loading = "lazy";
        logo.src = new URL(author.logo, siteRoot).href;
        item.appendChild(logo);
      }
      item.appendChild(document.createTextNode(author.name));
      line.appendChild(item);
    });
    return line;
  }

  function result(data) {
    var meta = data.meta || {};
    var item = element("li", "md-search-result__item");
    var link = element("a", "md-search-result__link");
    link.href = data.url;
    var article = element("article", "md-search-result__article md-typeset");
    var heading = element("div", "hg-search__title");
    if (meta.kind) heading.appendChild(element("span", "hg-search__kind", meta.kind));
    heading.appendChild(element("span", "", meta.title || data.url));
    article.appendChild(heading);
    var names = authors(meta);
    if (names) article.appendChild(names);
    article.appendChild(excerpt(data.excerpt || ""));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  // Facets cost the filter chunks (tens of KB on a big hub): loaded when the visitor asks.
  var refine = element("button", "hg-search__refine", "Filter by firm, topic…");
  refine.type = "button";
  refine.addEventListener("click", function () {
    refine.disabled = true;
    load().then(function (pagefind) {
      return pagefind.filters();
    }).then(function () {
      refining = true;
      search();
    });
  });

  function facets(counts) {
    facetBox.replaceChildren();
    if (!refining) {
      facetBox.hidden = !counts;
      if (counts) facetBox.appendChild(refine);
      return;
    }
    var focused = facetBox.contains(document.activeElement) ? document.activeElement.name : "";
    var any = false;
    FACETS.forEach(function (facet) {
      var name = facet[0];
      var values = Object.keys((counts && counts[name]) || {}).filter(function (value) {
        return counts[name][value] > 0 || chosen[name] === value;
      });
      if (!values.length && !chosen[name]) return;
      any = true;
      var label = element("label", "hg-search__facet");
      label.appendChild(element("span", "", facet[1]));
      var select = element("select");
      select.name = name;
      select.appendChild(element("option", "", "Any"));
      select.options[0].value = "";
      values.sort(function (a, b) { return a.localeCompare(b); }).forEach(function (value) {
        var option = element("option", "", value + " (" + (counts[name][value] || 0) + ")");
        option.value = value;
        option.selected = chosen[name] === value;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        chosen[name] = select.value;
        search();
      });
      label.appendChild(select);
      facetBox.appendChild(label);
    });
    facetBox.hidden = !any;
    // The lists were rebuilt with the new counts: the keyboard stays on the one just changed.
    var again = focused && facetBox.querySelector('select[name="' + focused + '"]');
    if (again) again.focus();
  }

  function search() {
    var term = input.value.trim();
    var run = ++runs;
    var filters = {};
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name]) filters[name] = chosen[name];
    });
    if (!term) {
      list.replaceChildren();
      facets(null);
      chosen = {};
      status.textContent = idle;
      return;
    }
    load().then(function (pagefind) {
      return pagefind.search(term, { filters: filters });
    }).then(function (found) {
      if (run !== runs || !found) return;
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (items) {
        if (run !== runs) return;
        var count = found.results.length;
        status.textContent = count === 0 ? "No matching pages" : count === 1 ? "1 matching page" : count + " matching pages";
        list.replaceChildren.apply(list, items.map(result));
        facets(found.filters);
      });
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("focus", function () {
    open();
    load();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    // Enter: the first result, once the index has answered.
    event.preventDefault();
    var first = links()[0];
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", function () {
    chosen = {};
    setTimeout(search, 0);
    input.focus();
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else if (next < all.length) all[next].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  if (toggle) {
    // The magnifier in the header (phones) checks the toggle: the box then takes the focus.
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
      else input.blur();
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" && event.key !== "s") return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    open();
    input.focus();
  });

  // ?q=: the not-found page's search form, or a shared search link.
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    open();
    input.focus();
    search();
  }
})();
