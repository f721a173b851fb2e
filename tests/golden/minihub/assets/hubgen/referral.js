/* hubgen attribution: who shared this site with the visitor. First-party storage only: no
   cookies, no pixels. Requests: the hub's own static partner list when a link carries a
   referral code, and, with hubgen's receiver, one beacon per arrival (code, landing page,
   channel: nothing about the visitor), never under Do-Not-Track or Global Privacy Control.
   Settings come from this script tag's data-* attributes. */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag) return;
  var cfg = tag.dataset;
  var KEY = "hubgen:attribution";
  var DAY = 864e5;
  var windowMs = (parseInt(cfg.windowDays, 10) || 90) * DAY;
  var params = new URLSearchParams(location.search);
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"];
  var SEEN = "hubgen:arrived"; // this tab's counted code: a reload is not a new arrival

  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(KEY) || "null");
      if (!data || !data.last) return null;
      var now = Date.now();
      if (now - data.last.at > windowMs) return null; // both touches expired
      if (data.first && now - data.first.at > windowMs) data.first = data.last;
      return data;
    } catch (e) {
      return null;
    }
  }

  function save(data) {
    try {
      if (data) localStorage.setItem(KEY, JSON.stringify(data));
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: forms still carry what the page knows */ }
  }

  function touch(partner) {
    var utm = {};
    UTM.forEach(function (name) { if (params.get(name)) utm[name] = params.get(name); });
    return {
      code: partner.code, slug: partner.slug, name: partner.name, logo: partner.logo,
      url: partner.url, landing: location.pathname, utm: utm, at: Date.now()
    };
  }

  function record(partner) {
    var data = load();
    var now = touch(partner);
    data = { first: data ? data.first : now, last: now, dismissed: false };
    save(data);
    return data;
  }

  function credited(data) {
    return cfg.model === "first" ? data.first : data.last;
  }

  function fillForms(data) {
    var forms = document.querySelectorAll("form[data-hubgen-form]");
    forms.forEach(function (form) {
      function set(name, value) {
        var input = form.elements.namedItem(name);
        if (input && value) input.value = value;
      }
      var who = credited(data);
      set("first_ref", data.first.code);
      set("last_ref", data.last.code);
      set("landing_page", who.landing);
      UTM.forEach(function (name) { set(name, who.utm[name]); });
    });
  }

  function banner(data) {
    if (data.dismissed || document.querySelector(".hg-shared")) return;
    var who = data.last;
    var base = new URL(cfg.base || "./", location.href);
    var box = document.createElement("aside");
    box.className = "hg-shared";
    box.setAttribute("aria-label", "Shared with you");
    var link = document.createElement("a");
    link.href = new URL(who.url, base).href;
    if (who.logo) {
      var img = document.createElement("img");
      img.src = /^https?:/.test(who.logo) ? who.logo : new URL(who.logo, base).href;
      img.alt = "";
      img.width = img.height = 32;
      link.appendChild(img);
    }
    var text = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = who.name;
    text.appendChild(name);
    // On the referrer's own page, "shared with you by" them would point at itself.
    if (location.pathname.indexOf(link.pathname) === 0 && cfg.network) {
      link.href = base.href;
      box.setAttribute("aria-label", "Recommended");
      text.appendChild(document.createTextNode(" recommends the firms of " + cfg.network));
    } else {
      text.insertBefore(document.createTextNode("Shared with you by "), name);
    }
    link.appendChild(text);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "hg-shared__close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () {
      data.dismissed = true;
      save(data);
      box.remove();
      root.classList.remove("hg-has-shared");
    });
    box.appendChild(link);
    box.appendChild(close);
    var root = document.documentElement;
    root.classList.add("hg-has-shared"); // room below the page: the card covers nothing
    document.body.appendChild(box);
  }

  function show(data) {
    fillForms(data);
    banner(data);
  }

  function seen(code) {
    try {
      if (sessionStorage.getItem(SEEN) === code) return true;
      sessionStorage.setItem(SEEN, code);
    } catch (e) { /* storage disabled: count it */ }
    return false;
  }

  function arrive(code) {
    var n = navigator;
    if (!cfg.receiver || !n.sendBeacon || n.doNotTrack === "1" || n.globalPrivacyControl) return;
    if (seen(code)) return;
    n.sendBeacon(new URL("arrivals", cfg.receiver).href, new URLSearchParams({
      ref: code, landing: location.pathname, medium: params.get("utm_medium") || ""
    }));
  }

  function lookup(code, done) {
    var url = new URL(cfg.partners, location.href);
    fetch(url.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (partners) {
        done(partners.filter(function (p) { return p.code === code; })[0] || null);
      })
      .catch(function () { done(null); });
  }

  function start() {
    if (cfg.redirect) { // a short link (/r/<code>/): the destination records the referral
      location.replace(new URL(cfg.redirect, location.href).href);
      return;
    }
    var code = (params.get(cfg.param || "ref") || "").trim().toLowerCase();
    var stored = load();
    if (!stored) save(null); // forget expired attribution
    if (code) {
      lookup(code, function (partner) {
        if (partner) {
          show(record(partner));
          arrive(code);
        }
        else if (stored) show(stored); // an unknown code is ignored, never an error
      });
    } else if (stored) {
      show(stored);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
