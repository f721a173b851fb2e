"""The hostile hub (tests/hostilehub.py) in Chromium: every page type loads, the partner's words are
shown, and nothing they wrote runs (no dialog, no call to the payloads' function, no page error).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hostilehub import ARTICLE, MARKER, PARTNER_TEXT, write_hostile_hub
from hubkit import static_server

from hubgen.cli import main

# Record, rather than run, every call a payload could make.
WATCH = f"""
window.__hg_calls = [];
window.{MARKER} = function () {{ window.__hg_calls.push(location.pathname); }};
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {{
  window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline"));
}});
"""
"""Also records Content-Security-Policy violations: a payload the policy had to block would still
mean it reached the page unescaped."""

PAGES = [
    "",
    "articles/",
    "articles/hostile/",
    "articles/second/",
    "partners/",
    "partners/acme/",
    "partners/acme/share/",
    "partners/brightside/",
    "topics/",
    "about/",
    "contact/",
    "thanks/",
    "r/acme-ref/",
    "404.html",
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-browser") / "hub"
    write_hostile_hub(root)
    out = root.parent / "site"
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)]) == 0
    with static_server(out) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def calls(page: Any) -> list[str]:
    """Payload calls and policy violations seen on the current page."""
    return [*page.evaluate("window.__hg_calls"), *page.evaluate("window.__csp")]


@pytest.mark.parametrize("url", PAGES)
def test_no_page_runs_what_partners_wrote(watched: Any, hostile_url: str, url: str) -> None:
    watched.goto(hostile_url + url)
    watched.wait_for_load_state("networkidle")
    assert calls(watched) == []
    assert watched.dialogs == []
    assert watched.errors == []


def test_topic_category_and_service_pages(watched: Any, hostile_url: str) -> None:
    watched.goto(hostile_url + "articles/hostile/")
    links = watched.eval_on_selector_all(
        "a[href*='/topics/'], a[href*='/categories/'], a[href*='/services/']",
        "els => [...new Set(els.map(e => e.href))]",
    )
    watched.goto(hostile_url + "partners/acme/")
    links += watched.eval_on_selector_all(
        "a[href*='/services/']", "els => [...new Set(els.map(e => e.href))]"
    )
    assert len(links) >= 3
    for link in sorted(set(links)):
        watched.goto(link)
        watched.wait_for_load_state("networkidle")
        assert calls(watched) == [], link
    assert watched.dialogs == [] and watched.errors == []


def test_titles_read_as_written(watched: Any, hostile_url: str) -> None:
    watched.goto(hostile_url + "articles/hostile/")
    assert watched.title() == f"{ARTICLE['title']} - Mini Hub"
    assert watched.locator("h1").first.inner_text() == ARTICLE["title"]


def test_search_results_show_hostile_titles_as_text(watched: Any, hostile_url: str) -> None:
    # Material's search renders titles and text from the index as HTML.
    watched.goto(hostile_url)
    watched.wait_for_load_state("networkidle")
    search = watched.locator(".md-search__input").first
    for word, expected in (("Title", ARTICLE["title"]), ("Acme", PARTNER_TEXT["name"])):
        search.click(force=True)
        search.press("Control+A")
        watched.keyboard.type(word)  # Material listens for key events, not for fill()
        heading = watched.locator(".md-search-result__article h1", has_text=expected).first
        heading.wait_for()
        assert heading.inner_text() == expected
    watched.wait_for_timeout(300)  # let every result render
    assert calls(watched) == []
    assert watched.dialogs == [] and watched.errors == []


def test_referral_banner_shows_the_partner_name_as_text(watched: Any, hostile_url: str) -> None:
    watched.goto(hostile_url + "?ref=acme-ref")
    banner = watched.locator(".hg-shared strong")
    banner.wait_for()
    assert banner.inner_text() == PARTNER_TEXT["name"]
    assert calls(watched) == [] and watched.dialogs == []
