"""What a visitor sees of the demo hub in Chromium, measured: the home page's first viewport at
phone and desktop widths, the firms' colours in bylines, the directory's filter with and
without JavaScript. Screenshots of each page type go to test-artifacts/visitor/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hubkit import REPO

from hubgen.core.models import HubSettings
from hubgen.core.problems import Problems
from hubgen.load.partners import load_partners
from hubgen.site.colors import accent

VIEWPORTS = {375: 812, 1280: 800}
ARTIFACTS = REPO / "test-artifacts" / "visitor"


def demo_partners() -> dict[str, Any]:
    settings = HubSettings(
        name="demo", root=REPO, docs_dir=REPO / "content", partners_dir=REPO / "partners"
    )
    return load_partners(settings, Problems(), set())


@pytest.fixture(params=sorted(VIEWPORTS), ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def in_viewport(page: Any, locator: Any) -> bool:
    """The element is rendered and wholly inside the first viewport (no scrolling)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["width"] > 0
        and box["height"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_home_first_viewport_says_who_shows_the_firms_and_offers_help(
    page: Any, demo_url: str
) -> None:
    page.goto(demo_url)
    active = [p for p in demo_partners().values() if p.is_active]
    statement = page.locator(".hg-hero h1")
    assert statement.inner_text() == (
        f"{len(active)} independent firms in Leeds who know each other and refer clients to "
        "one another."
    )
    assert in_viewport(page, statement)
    logos = page.locator(".hg-hero__logos img")
    shown = [
        logos.nth(i)
        for i in range(logos.count())
        if in_viewport(page, logos.nth(i))
        and logos.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    ]
    assert len(shown) >= 6
    names = {p.name for p in active}
    assert {img.get_attribute("alt") for img in shown} <= names  # each logo names its firm
    cta = page.get_by_role("link", name="Tell us what is going on")
    assert in_viewport(page, cta)
    assert cta.get_attribute("href").rstrip("/").endswith("contact")
    page.screenshot(path=str(shot("home", page)))


def shot(name: str, page: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}-{page.viewport_size['width']}.png"


def rgb(hex_color: str) -> str:
    value = hex_color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["", "articles/", "articles/page/2/"])
def test_each_firm_in_a_byline_has_its_own_colour(
    browser: Any, demo_url: str, scheme: str, url: str
) -> None:
    partners = demo_partners()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(demo_url + url)
    links = page.locator(".hg-card .hg-byline a")
    seen: dict[str, str] = {}
    for i in range(links.count()):
        link = links.nth(i)
        slug = re.search(r"partners/([^/]+)/", link.get_attribute("href")).group(1)
        shade = accent(partners[slug].color)
        expected = rgb(shade.on_dark if scheme == "dark" else shade.on_light)
        seen[slug] = link.evaluate("a => getComputedStyle(a).color")
        assert seen[slug] == expected, (url, slug)
    # Several firms, each shown in its own colour (co-authored cards included).
    assert len(set(seen.values())) >= 4
    categories = page.locator(".hg-card .hg-category")
    muted = {categories.nth(i).evaluate("e => getComputedStyle(e).color") for i in range(3)}
    assert len(muted) == 1  # neutral: one colour whatever the lead firm's brand
    context.close()


def visible_partners(page: Any) -> list[str]:
    cards = page.locator(".hg-card--partner:visible")
    return [cards.nth(i).get_attribute("data-partner") for i in range(cards.count())]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_directory_filters_by_profession(browser: Any, demo_url: str, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(demo_url + "partners/")
    assert len(visible_partners(page)) == 8
    if javascript:
        page.evaluate("window.hgSamePage = true")  # gone if the click loads a new page
    page.click(".hg-filter__main >> text=Insurance broker")
    page.wait_for_url("**/professions/insurance-broker/")
    assert visible_partners(page) == ["aire-valley-insurance"]
    status = page.inner_text("[data-hg-filter-status]")
    assert status == "1 of 8 firms: Insurance broker."
    current = page.locator(".hg-filter__main a[aria-current]")
    assert current.inner_text() == "Insurance broker"
    assert page.evaluate("window.hgSamePage === true") is javascript  # filtered in place
    # Services are the second filter, behind a disclosure.
    page.click("text=Or pick a service")
    page.click(".hg-filter__services >> text=Payroll")
    page.wait_for_url("**/services/payroll/")
    assert visible_partners(page) == ["kirkgate-hr", "ledgerline"]
    page.go_back()
    page.wait_for_url("**/professions/insurance-broker/")
    assert visible_partners(page) == ["aire-valley-insurance"]
    context.close()


def test_a_filter_page_loads_the_other_filter_pages(browser: Any, demo_url: str) -> None:
    """Opened on a filter page (a search result, a shared link), the chips load pages: the
    page holds its own firms only, so it cannot filter in place to others."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_url + "services/payroll/")
    assert visible_partners(page) == ["kirkgate-hr", "ledgerline"]
    page.evaluate("window.hgSamePage = true")
    page.click(".hg-filter__main >> text=Insurance broker")
    page.wait_for_url("**/professions/insurance-broker/")
    assert visible_partners(page) == ["aire-valley-insurance"]
    assert page.evaluate("window.hgSamePage === undefined")  # a page load, not a filter
    assert page.inner_text("[data-hg-filter-status]") == "1 of 8 firms: Insurance broker."
    page.click(".hg-filter__main >> text=All firms")
    page.wait_for_url("**/partners/")
    assert len(visible_partners(page)) == 8
    context.close()


def test_directory_is_two_columns_on_a_phone(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(demo_url + "partners/")
    cards = page.locator(".hg-card--partner")
    first, second, third = (cards.nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    assert third["y"] > first["y"] and third["x"] == first["x"]
    assert second["x"] + second["width"] <= 375
    page.screenshot(path=str(shot("directory", page)), full_page=True)
    context.close()


LINE_LENGTHS = """p => {
  const tops = new Map();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) { const top = Math.round(rect.top); tops.set(top, (tops.get(top) || 0) + 1); }
    }
  }
  return [...tops.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
}"""


def test_articles_read_comfortably(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(demo_url) else None,
    )
    page.goto(demo_url + "articles/fair-disciplinary-process/")
    paragraphs = page.locator(".hg-body > p")
    full_lines = []
    for i in range(paragraphs.count()):
        counts = paragraphs.nth(i).evaluate(LINE_LENGTHS)
        full_lines += counts[:-1]  # a paragraph's last line is as short as it happens to be
    assert len(full_lines) >= 10
    full_lines.sort()
    median = full_lines[len(full_lines) // 2]
    assert 62 <= median <= 78, full_lines
    body = page.locator(".hg-body > p").first
    assert float(body.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 17
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("system-ui")
    cover = page.locator(".hg-cover img")
    assert cover.get_attribute("width") and cover.get_attribute("height")
    cap = cover.evaluate("img => parseFloat(getComputedStyle(img).maxHeight)")
    assert 0 < cover.bounding_box()["height"] <= cap <= 0.6 * 800  # capped: text stays in view
    assert outside == []  # no font service, nothing from another origin
    page.screenshot(path=str(ARTIFACTS / "article-1280.png"))
    context.close()


def test_list_cards_show_covers_at_their_own_size(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(demo_url + "articles/")
    covers = page.locator(".hg-card--article img.hg-card__cover")
    assert covers.count() >= 3
    for i in range(covers.count()):
        img = covers.nth(i)
        assert (img.get_attribute("width"), img.get_attribute("height")) == ("600", "315")
        img.scroll_into_view_if_needed()
        box = img.bounding_box()
        assert abs(box["width"] / box["height"] - 1200 / 630) < 0.02
    # Cards without a cover keep the grid even with their lead firm's colour and logo.
    assert page.locator(".hg-card--article .hg-card__cover--none").count() >= 1
    context.close()


PAGE_TYPES = {
    "home": "",
    "article": "articles/fair-disciplinary-process/",
    "list": "articles/",
    "partner": "partners/harbour-employment-law/",
    "directory": "partners/",
    "contact": "contact/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_every_visitor_page_fits_and_is_kept_as_a_screenshot(
    browser: Any, demo_url: str, width: int, scheme: str
) -> None:
    """Each page type at phone and desktop width, light and dark: nothing wider than the
    screen, a heading in the first viewport, and a full-page screenshot to look at."""
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, color_scheme=scheme
    )
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, url in PAGE_TYPES.items():
        page.goto(demo_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert in_viewport(page, page.locator("h1").first), name
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    context.close()
