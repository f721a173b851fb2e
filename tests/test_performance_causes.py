"""What makes pages fast, asserted (Lighthouse's performance score stays a measurement, in the
benchmark): bytes each page type transfers on load, no request to another site (so nothing
render-blocking from a third party), width and height on every image, and no layout shift
(CLS 0, from Chromium's own layout-shift entries), at 375 and 1280 px, with and without the
"shared with you" card."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from hubkit import Site
from test_quality import PAGE_TYPES

PAGES = {**PAGE_TYPES, "referral-guide": "referral-guide/", "not-found": "404.html"}

BUDGET = 150_000
"""Bytes on the wire (gzip, as the test server sends text) for a page's first, uncached load: its
HTML and everything it loads by the load event (the demo's pages take 85-95 KB, most of it
Material's bundles)."""
HTML_BUDGET = 30_000
"""Bytes of a page's own HTML, gzipped (the demo's take 5-14 KB)."""
RECEIVER = "http://127.0.0.1:8400/"
"""The demo's lead receiver (mkdocs.yml, forms.endpoint's origin)."""
WITH_CARD = ("home", "article-with-cover", "partner", "contact", "thank-you", "not-found")
"""Pages also loaded through a referral link, so the "shared with you" card appears."""

# Every layout shift the page had, from the buffered layout-shift entries, with the start of each
# moved element's markup (for the failure message); and the bytes of the document and of each
# resource, as transferred (encodedBodySize: after gzip).
MEASURE = """async () => {
  const shifts = await new Promise((resolve) => {
    const found = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) found.push({
        value: entry.value,
        moved: entry.sources.map((s) => s.node && s.node.outerHTML ? s.node.outerHTML.slice(0, 80) : '?')});
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(found), 600);
  });
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').map(
    (r) => ({url: r.name, bytes: r.encodedBodySize, initiator: r.initiatorType}));
  return {shifts, html: nav.encodedBodySize, resources};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_pages_load_within_budget_from_their_own_site_without_layout_shift(
    demo_url: str, browser: Any, width: int
) -> None:
    origin = urlsplit(demo_url).netloc

    def third_party(request: Any) -> bool:
        """Another site's request; the arrival beacon to the hub's own lead receiver (after
        load, never blocking) is the hub's."""
        if urlsplit(request.url).netloc == origin:
            return False
        return not (request.url == RECEIVER + "arrivals" and request.resource_type == "ping")

    foreign: list[Any] = []
    problems: list[str] = []
    for name, url in PAGES.items():
        for query in ("", "?ref=ll") if name in WITH_CARD else ("",):
            # A fresh context each time: an uncached load is the one that shifts and weighs.
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.on("request", lambda r: foreign.append(r) if third_party(r) else None)
            page.goto(demo_url + url + query, wait_until="load")
            if query:
                page.locator(".hg-shared").wait_for()
            result = page.evaluate(MEASURE)
            context.close()
            if sum(shift["value"] for shift in result["shifts"]):
                problems.append(f"{name}{query}: layout shift {result['shifts']}")
            if query:
                continue
            total = result["html"] + sum(r["bytes"] for r in result["resources"])
            if total > BUDGET:
                heaviest = sorted(result["resources"], key=lambda r: -r["bytes"])[:3]
                problems.append(f"{name}: {total:,} bytes on load > {BUDGET:,}: {heaviest}")
            if result["html"] > HTML_BUDGET:
                problems.append(f"{name}: HTML {result['html']:,} bytes > {HTML_BUDGET:,}")
    assert not foreign, (
        f"requests to other sites: {sorted({(r.url, r.resource_type) for r in foreign})}"
    )
    assert not problems, "\n".join(problems)


def test_nothing_in_head_blocks_rendering_from_another_site(demo_site: Site) -> None:
    for name, url in PAGES.items():
        soup = demo_site.page(url)
        for tag in soup.head.select("script[src], link[rel~=stylesheet], link[rel~=preload]"):
            address = tag.get("src") or tag.get("href")
            assert not urlsplit(address).netloc, (name, address)  # the site's own files only
        for tag in soup.select('link[rel~="preconnect"], link[rel~="dns-prefetch"]'):
            pytest.fail(f"{name}: connects to another site early: {tag}")


def test_every_image_has_width_and_height(demo_site: Site) -> None:
    for name, url in PAGES.items():
        for image in demo_site.page(url).select("img"):
            assert image.get("width") and image.get("height"), (name, str(image)[:200])


def test_first_paint_waits_for_the_whole_page_to_be_parsed(demo_site: Site) -> None:
    """A paint of a half-parsed page shifts what it shows as the rest arrives (a byline wraps
    once its link is parsed), on slow links and busy machines: the layout-shift test above only
    sees that under load. Each page holds its first paint until the element after its footer."""
    for name, url in PAGES.items():
        soup = demo_site.page(url)
        expects = soup.select('head link[rel="expect"][blocking="render"]')
        assert len(expects) == 1, name
        target = soup.find(id=expects[0]["href"].removeprefix("#"))
        assert target is not None, f"{name}: no element {expects[0]['href']}"
        footer = soup.select_one("footer.md-footer")
        assert footer is not None and footer in target.find_all_previous("footer"), name
        assert target.find_previous(class_="md-content") is not None, name
