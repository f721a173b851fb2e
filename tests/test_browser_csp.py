"""The Content-Security-Policy in a real browser (Debian's chromium driven by Playwright): every
kind of page hubgen and Material render runs without a single violation, the features that
need scripts still work under it, and a script injected into a built page does not run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hubkit import FIXTURES, HubDir, static_server

from hubgen.cli import main

# Records every violation the page reports, from before its first script runs.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline"));
});
"""

PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
  features:
    - navigation.tabs
    - navigation.top
    - search.suggest
"""

GUIDE = """# Guide for partners

!!! note "Before you write"
    Read the whole guide.

| Step | Who |
|:-----|----:|
| Draft | You |
| Review | Us |
"""

PAGES = {
    "home": "",
    "article": "articles/cash/",
    "articles list": "articles/",
    "articles list, page 2": "articles/page/2/",
    "archive": "archive/2025/",
    "partner": "partners/acme/",
    "share kit": "partners/acme/share/",
    "topics": "topics/",
    "topic": "topics/tax/",
    "category": "categories/finance/",
    "service": "services/bookkeeping/",
    "directory": "partners/",
    "contact": "contact/",
    "about": "about/",
    "thanks": "thanks/",
    "404": "404.html",
    "hand-written page": "guide/",
}


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture hub with the demo's extras: the palette toggle, tabs, search suggestions,
    forms posting to a receiver's origin, and a hand-written page with a table and a note."""
    root = tmp_path_factory.mktemp("csp") / "hub"
    shutil.copytree(FIXTURES / "minihub", root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    hub = HubDir(root)
    hub.edit("mkdocs.yml", "  font: false\n", "  font: false\n" + PALETTE)
    hub.edit(
        "mkdocs.yml",
        "      tagline: A tiny hub for tests\n",
        "      tagline: A tiny hub for tests\n"
        "      forms:\n        endpoint: http://127.0.0.1:8400/leads\n",
    )
    hub.write(
        "mkdocs.yml",
        hub.read("mkdocs.yml")
        + "markdown_extensions:\n  - admonition\n  - tables\n  - toc:\n      permalink: true\n",
    )
    hub.write("content/guide.md", GUIDE)
    # hubgen's search (Pagefind: its script, worker and WebAssembly), not the fixture's Material one.
    hub.edit("mkdocs.yml", "      search: false\n", "")
    site = root.parent / "site"
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def csp_url(csp_site: Path) -> Iterator[str]:
    with static_server(csp_site) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.console_errors = messages
    yield page
    context.close()


def violations(page: Any) -> list[str]:
    page.wait_for_load_state("networkidle")
    return list(page.evaluate("window.__csp"))


def test_every_kind_of_page_runs_without_a_violation(page: Any, csp_url: str) -> None:
    for kind, url in PAGES.items():
        page.goto(csp_url + url)
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, kind
        assert violations(page) == [], kind
        # Material's own scripts ran: its bundle replaces the "no-js" class on <html>.
        assert "no-js" not in (page.locator("html").get_attribute("class") or ""), kind
    # The short link forwards (by its script, a file) to the partner page, recorded on arrival.
    page.goto(csp_url + "r/acme-ref/")
    page.wait_for_url("**/partners/acme/?ref=acme-ref*")
    page.locator(".hg-shared").wait_for()
    assert violations(page) == []
    assert [m for m in page.console_errors if "Content Security Policy" in m] == []


def test_search_finds_articles_under_the_policy(page: Any, csp_url: str) -> None:
    # Pagefind compiles WebAssembly: allowed by 'wasm-unsafe-eval', which allows nothing else.
    page.goto(csp_url + "articles/")
    page.click("input.md-search__input")
    page.keyboard.type("tax")
    page.locator(".md-search-result__item").first.wait_for()
    assert page.locator(".md-search-result__item").count() > 0
    assert violations(page) == []


def test_palette_toggle_switches_and_is_remembered(page: Any, csp_url: str) -> None:
    page.goto(csp_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.click('label[title="Switch to dark mode"]:visible')
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    # On the next page Material's inline palette script (allowed by its hash) applies the choice.
    page.goto(csp_url + "articles/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert violations(page) == []


def test_referral_link_still_stores_its_touch(page: Any, csp_url: str) -> None:
    page.goto(csp_url + "articles/cash/?ref=acme-ref")
    page.locator(".hg-shared").wait_for()
    stored = page.evaluate("JSON.parse(localStorage.getItem('hubgen:attribution'))")
    assert stored["last"]["code"] == "acme-ref"
    assert page.locator('form[data-hubgen-form] input[name="last_ref"]').input_value() == "acme-ref"
    assert violations(page) == []


def test_a_script_injected_into_a_built_page_is_blocked(
    page: Any, csp_site: Path, csp_url: str
) -> None:
    built = csp_site / "articles" / "cash" / "index.html"
    html = built.read_text("utf-8")
    injected = (
        '<p id="injected">hello</p><script>window.__pwned=1</script>'
        '<img src="x" onerror="window.__pwned=2">'
        '<script src="http://127.0.0.1:9/evil.js"></script>'
    )
    assert '<meta http-equiv="Content-Security-Policy"' in html.split("<body", 1)[0]
    pwned = csp_site / "articles" / "pwned" / "index.html"
    pwned.parent.mkdir()
    pwned.write_text(
        html.replace(
            '<article class="md-content__inner', injected + '<article class="md-content__inner', 1
        ),
        "utf-8",
    )
    page.goto(csp_url + "articles/pwned/")
    page.locator("#injected").wait_for(state="attached")
    assert page.evaluate("window.__pwned") is None
    found = violations(page)
    assert "script-src-elem inline" in found
    assert "script-src-attr inline" in found
    assert "script-src-elem http://127.0.0.1:9/evil.js" in found
    # The page's own scripts still ran.
    assert "no-js" not in (page.locator("html").get_attribute("class") or "")
