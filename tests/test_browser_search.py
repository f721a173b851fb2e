"""The site search in Chromium: the demo hub built with its Pagefind index, served over loopback.

What a visitor does: focuses the header box (nothing of the index loads before), types, reads
results with the firms who wrote them, narrows by a facet, uses the keyboard; on a site served
from a sub-path and under ``hubgen serve``; with hostile titles shown as text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostilehub import ARTICLE, MARKER, PARTNER_TEXT, write_hostile_hub
from hubkit import MINIHUB, REPO, HubDir, copy_hub, demo_copy, static_server

from hubgen.cli import main

ARTIFACTS = REPO / "test-artifacts"
AXE = REPO / "tests/quality/node_modules/axe-core/axe.min.js"
RESULT = ".md-search-result__item"
UNIQUE = "dilapidations"
"""A word in exactly one published article of the demo (checked by the test that uses it)."""
UNIQUE_ARTICLE = "articles/commercial-lease-heads-of-terms/"

WATCH = f"""
window.__hg_calls = [];
window.{MARKER} = function () {{ window.__hg_calls.push(location.pathname); }};
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {{
  window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline"));
}});
"""


def build(root: Path, site: Path) -> Path:
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-browser") / "hub"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("content", "partners"):
        shutil.copytree(REPO / folder, root / folder)
    return build(root, root.parent / "site")


@pytest.fixture(scope="module")
def demo_url(demo_site: Path) -> Iterator[str]:
    with static_server(demo_site) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def search(page: Any, term: str) -> None:
    """Focus the box, type ``term``, wait for the results of that term."""
    page.click("input.md-search__input")
    page.keyboard.type(term)
    page.wait_for_function(
        "t => document.querySelector('[data-hg-search-status]').textContent.includes('matching')"
        " && document.querySelector('.md-search__input').value === t",
        arg=term,
    )
    page.wait_for_timeout(50)  # the last debounced run has rendered


def result_links(page: Any) -> list[str]:
    return [str(a) for a in page.eval_on_selector_all(f"{RESULT} a", "els => els.map(e => e.href)")]


def count(page: Any) -> int:
    text = page.locator("[data-hg-search-status]").inner_text()
    found = re.match(r"(\d+) matching", text)
    return int(found.group(1)) if found else (0 if text.startswith("No") else -1)


def test_no_search_bytes_until_the_box_is_focused(page: Any, demo_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_url + "articles/cash-flow-forecast/")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert [u for u in requests if "/pagefind/" in u or "search_index" in u] == []
    page.focus("input.md-search__input")
    page.wait_for_function("() => document.getElementById('__search').checked")
    page.wait_for_load_state("networkidle")
    loaded = [u for u in requests if "/pagefind/" in u]
    assert demo_url + "pagefind/pagefind.js" in loaded
    search(page, "tribunal")
    assert count(page) > 0
    assert page.errors == []
    assert page.evaluate("window.__csp") == []


def test_a_term_found_in_one_article_shows_it_first(
    page: Any, demo_url: str, demo_site: Path
) -> None:
    having = [
        p
        for p in (demo_site / "articles").glob("*/index.html")
        if UNIQUE in p.read_text("utf-8").lower()
    ]
    assert [p.parent.name for p in having] == [UNIQUE_ARTICLE.split("/")[1]]
    page.goto(demo_url)
    search(page, UNIQUE)
    assert result_links(page)[0] == demo_url + UNIQUE_ARTICLE
    first = page.locator(RESULT).first
    assert "commercial lease" in first.inner_text().lower()
    assert first.locator("mark").count() >= 1  # the matched word is highlighted
    # Its firm (retired from the network: named, without a logo).
    assert (
        first.locator(".hg-search__author").inner_text().strip() == "Briggate Commercial Property"
    )
    assert first.locator("img").count() == 0


def test_results_show_each_articles_firms_with_their_logos(page: Any, demo_url: str) -> None:
    page.goto(demo_url)
    search(page, "tribunal")
    first = page.locator(RESULT).first
    names = first.locator(".hg-search__author").all_inner_texts()
    assert [n.strip() for n in names] == ["Aire Valley Insurance Brokers", "Harbour Employment Law"]
    logos = first.locator("img.hg-search__logo")
    assert logos.count() == 2
    assert logos.first.get_attribute("alt") == ""  # the name beside it says who it is
    assert logos.first.get_attribute("src").startswith(demo_url + "partners/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.hg-search__logo')].every(i => i.complete)"
    )
    assert logos.first.evaluate("img => img.naturalWidth") > 0


def test_a_partner_page_is_found_by_its_services(page: Any, demo_url: str) -> None:
    page.goto(demo_url)
    search(page, "payroll")
    first = page.locator(RESULT).first
    assert first.locator(".hg-search__kind").inner_text().strip().lower() == "partner"
    assert "/partners/" in result_links(page)[0]


def test_a_firm_facet_narrows_the_results(page: Any, demo_url: str) -> None:
    page.goto(demo_url)
    search(page, "insurance")
    before = count(page)
    firm = "Harbour Employment Law"
    page.click("button.hg-search__refine")  # facets load their filter chunks only when asked
    page.locator('select[name="partner"]').wait_for()
    assert page.locator('select[name="partner"] option', has_text=firm).count() == 1
    page.select_option('select[name="partner"]', value=firm)
    page.wait_for_function(
        f"() => document.querySelector('[data-hg-search-status]').textContent !== '{before} matching pages'"
    )
    page.wait_for_timeout(50)
    after = count(page)
    assert 0 < after < before
    for item in page.locator(RESULT).all():
        assert firm in item.locator(".hg-search__authors").inner_text()
    # The other facets are offered too.
    for facet in ("topic", "category"):
        assert page.locator(f'select[name="{facet}"]').count() == 1


def test_the_keyboard_opens_moves_and_follows(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "articles/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("insurance")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 1")
    links = result_links(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href") == links[0]
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url(links[0])
    # Typing "s" into a field does not jump to the search box.
    page.goto(demo_url + "contact/")
    field = page.locator(
        "form[data-hubgen-form] input[type=text], form[data-hubgen-form] textarea"
    ).first
    field.click()
    page.keyboard.type("s")
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_in_the_search(
    browser: Any, demo_url: str, scheme: str
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/quality` (bash .ci/run does)")
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(demo_url + "articles/")
        if width < 600:
            page.click('label.md-header__button[for="__search"]')
        search(page, "insurance")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run({include: [['.md-search']]}, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{width}: {violation['id']} ({violation['impact']}) at {targets}")
    context.close()
    assert found == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_search_with_results(
    browser: Any, demo_url: str, width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(demo_url + "articles/")
    if width < 600:
        page.click('label.md-header__button[for="__search"]')
    search(page, "employment tribunal")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{width}-{scheme}.png"))
    # The results fit the screen: nothing pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(RESULT).first.is_visible()
    context.close()


def test_a_site_served_from_a_sub_path(page: Any, demo_site: Path, tmp_path: Path) -> None:
    # GitHub Pages project sites live under /<repository>/.
    (tmp_path / "www").mkdir()
    (tmp_path / "www/sub").symlink_to(demo_site, target_is_directory=True)
    with static_server(tmp_path / "www") as root:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(root + "sub/articles/")
        search(page, UNIQUE)
        assert result_links(page)[0] == root + "sub/" + UNIQUE_ARTICLE
        assert root + "sub/pagefind/pagefind.js" in requests
        page.locator(f"{RESULT} a").first.click()
        page.wait_for_url(root + "sub/" + UNIQUE_ARTICLE)
        assert "not here" not in page.title().lower()


# -- an index built in parts --------------------------------------------------------------------


@pytest.fixture(scope="module")
def parted_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with its index built in parts of four pages and merged (a big hub's way)."""
    root = demo_copy(tmp_path_factory.mktemp("search-parts") / "hub", search_pages_per_part=4)
    with static_server(build(root, root.parent / "site")) as url:
        yield url


def findings(page: Any, url: str, term: str, firm: str = "") -> tuple[int, list[str]]:
    """How many pages match ``term`` (with ``firm``'s facet), and the results shown."""
    page.goto(url)
    search(page, term)
    if firm:
        before = page.locator("[data-hg-search-status]").inner_text()
        page.click("button.hg-search__refine")
        page.locator('select[name="partner"]').wait_for()
        page.select_option('select[name="partner"]', value=firm)
        page.wait_for_function(
            "t => document.querySelector('[data-hg-search-status]').textContent !== t", arg=before
        )
        page.wait_for_timeout(50)
    return count(page), [link.removeprefix(url) for link in result_links(page)]


@pytest.mark.parametrize(
    ("term", "firm"),
    [(UNIQUE, ""), ("tribunal", ""), ("payroll", ""), ("insurance", ""),
     ("insurance", "Harbour Employment Law"), ("employment tribunal", "")],
)  # fmt: skip
def test_an_index_built_in_parts_finds_what_one_index_finds(
    page: Any, demo_url: str, parted_url: str, term: str, firm: str
) -> None:
    one = findings(page, demo_url, term, firm)
    parted = findings(page, parted_url, term, firm)
    assert one[0] > 0
    assert parted[0] == one[0]
    # The same pages; the same first one (pages of equal score may come in another order).
    assert sorted(parted[1]) == sorted(one[1]) and parted[1][0] == one[1][0]
    assert page.errors == []


# -- hostile titles -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-search") / "hub"
    write_hostile_hub(root)
    HubDir(root).edit("mkdocs.yml", "      search: false\n", "")  # hubgen's search
    with static_server(build(root, root.parent / "site")) as url:
        yield url


def test_a_hostile_title_shows_as_text(page: Any, hostile_url: str) -> None:
    page.goto(hostile_url)
    search(page, "Title")
    titles = page.locator(".hg-search__title span:last-child").all_inner_texts()
    assert ARTICLE["title"] in titles
    item = page.locator(RESULT, has_text=ARTICLE["title"]).first
    assert PARTNER_TEXT["name"] in item.locator(".hg-search__authors").inner_text()
    search_box = page.locator(".md-search")
    assert search_box.locator("script, svg[onload], img[onerror], [onerror], [onload]").count() == 0
    # A firm's hostile name in the facet is an option's text too.
    page.click("button.hg-search__refine")
    page.locator('select[name="partner"]').wait_for()
    options = page.locator('select[name="partner"] option').all_inner_texts()
    assert any(PARTNER_TEXT["name"] in o for o in options)
    page.keyboard.press("Control+a")
    page.keyboard.type("Acme")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__hg_calls") == []
    assert page.evaluate("window.__csp") == []
    assert page.errors == []


# -- hubgen serve ----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    hub = HubDir(copy_hub(MINIHUB, tmp_path / "hub"))
    hub.edit("mkdocs.yml", "      search: false\n", "")
    hub.edit(
        "mkdocs.yml", "site_url: https://mini.example/\n", "site_url: https://mini.example/sub/\n"
    )
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "hubgen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=hub.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/sub/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "pagefind/pagefind.js", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"hubgen serve did not start:\n{output}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_search_works_under_hubgen_serve_without_drafts(page: Any, served: str) -> None:
    page.goto(served + "articles/")
    search(page, "ahead")  # "Plan ahead." (articles/cash/)
    assert result_links(page)[0] == served + "articles/cash/"
    # The preview shows the draft "An unfinished idea", but search never offers it.
    page.goto(served + "articles/draft-idea/")
    assert "unfinished" in page.content().lower()
    search(page, "unfinished")
    assert count(page) == 0
    assert page.errors == []


def test_a_query_in_the_address_opens_the_search(page: Any, demo_url: str) -> None:
    # The not-found page's form sends visitors to the home page with ?q=.
    page.goto(demo_url + "?q=" + UNIQUE)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => document.querySelector('[data-hg-search-status]').textContent.includes('matching')"
    )
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.locator(".md-search__input").input_value() == UNIQUE
    assert result_links(page)[0] == demo_url + UNIQUE_ARTICLE


def test_the_not_found_page_searches_too(page: Any, demo_url: str) -> None:
    # Hosts serve 404.html at any address, so its links are absolute from the site's root.
    page.goto(demo_url + "404.html")
    search(page, UNIQUE)
    assert result_links(page)[0] == demo_url + UNIQUE_ARTICLE
    assert page.errors == []
