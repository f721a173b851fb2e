/* hubgen's additions to Decap CMS on /admin/ (no inline script: the page's CSP allows none).
   Reads its settings from the JSON block #hubgen-cms that hubgen writes into admin/index.html. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var block = document.getElementById("hubgen-cms");
  if (!CMS || !block) {
    return;
  }
  var settings = JSON.parse(block.textContent);

  // The preview uses the hub's own CSS, so a partner sees roughly what will be published.
  settings.previewStyles.forEach(function (href) {
    CMS.registerPreviewStyle(href);
  });
  // A profile's preview shows its logo and photos at card size, not at the files' own size.
  CMS.registerPreviewStyle("img { max-width: 12rem; max-height: 12rem; }", { raw: true });
  if (h) {
    CMS.registerPreviewTemplate("articles", function (props) {
      var data = props.entry.get("data");
      return h("div", { className: "md-container" },
        h("main", { className: "md-main" },
          h("div", { className: "md-main__inner md-grid" },
            h("div", { className: "md-content" },
              h("article", { className: "md-content__inner md-typeset" },
                h("h1", {}, data.get("title") || ""),
                props.widgetFor("body"))))));
    });
  }

  // Rules across fields, which a form field's pattern cannot say: refused before the save with
  // hubgen's own message (hubgen check and the gate judge the pull request anyway).
  function text(value) {
    return value === undefined || value === null ? "" : String(value).trim();
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      if (entry.get("collection") !== settings.articles) {
        return undefined;
      }
      var data = entry.get("data");
      if (text(data.get("cover")) && !text(data.get("cover_alt"))) {
        throw new Error(settings.messages.coverAlt);
      }
      var date = text(data.get("date"));
      var updated = text(data.get("updated"));
      if (date && updated && updated < date) {
        throw new Error(settings.messages.updatedEarly);
      }
      return undefined;
    }
  });
})();
