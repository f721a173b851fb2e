"""Links look like what they are (computed in Chromium): a link among words is underlined, since
colour alone does not tell it from the text around it (WCAG 1.4.1); a link that is a box, chip,
logo or list entry is not, whichever container it sits in."""

from __future__ import annotations

from typing import Any

import pytest

UNDERLINED = """(selector) => [...document.querySelectorAll(selector)].map(
  (a) => [a.textContent.trim().slice(0, 40) || a.getAttribute('href'),
          getComputedStyle(a).textDecorationLine.includes('underline')])"""

COMPONENTS = {
    "": [".hg-strip a", ".hg-hero__logos a"],
    "partners/": [".hg-chips a", ".hg-card__title a"],
    "partners/ledgerline/": [".hg-closely__list a", ".hg-contact a", ".hg-chips a"],
    "articles/": [".hg-pagination a", ".hg-bylines a"],
    "404.html": [".hg-strip a"],
}
RUNNING_TEXT = {
    "contact/": ".hg-form label a",
    "articles/preparing-for-a-business-loan/": ".hg-body p > a",
}


@pytest.fixture(scope="module")
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", list(COMPONENTS))
def test_links_that_are_boxes_chips_or_logos_are_not_underlined(
    demo_url: str, page: Any, url: str
) -> None:
    page.goto(demo_url + url)
    for selector in COMPONENTS[url]:
        links = page.evaluate(UNDERLINED, selector)
        assert links, f"{url}: no {selector}"
        assert [text for text, underlined in links if underlined] == [], selector


@pytest.mark.parametrize("url", list(RUNNING_TEXT))
def test_links_among_words_are_underlined(demo_url: str, page: Any, url: str) -> None:
    page.goto(demo_url + url)
    links = page.evaluate(UNDERLINED, RUNNING_TEXT[url])
    assert links, f"{url}: no {RUNNING_TEXT[url]}"
    assert all(underlined for _, underlined in links), links
