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
