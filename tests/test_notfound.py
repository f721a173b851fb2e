"""The 404 page (Material's 404.html, overridden): a search box that opens the site's search,
the firms of the network and the latest articles, linked from the site root so they work at any
missing address."""

from __future__ import annotations

from typing import Any

from hubkit import Site


def test_the_404_page_offers_search_the_firms_and_the_latest_articles(mini_site: Site) -> None:
    soup = mini_site.page("404.html")
    assert soup.h1.get_text(strip=True) == "This page is not here"
    form = soup.select_one("form.hg-notfound__search[role=search]")
    assert form["method"] == "get" and form["action"] in ("/", "/.")
    assert form.select_one('input[type=search][name="q"]')["id"] == "hg-notfound-q"
    assert soup.select_one('label[for="hg-notfound-q"]')
    firms = [a["href"] for a in soup.select(".hg-strip a")]
    assert firms == ["/partners/acme/", "/partners/brightside/"]  # active firms only
    articles = [a["href"] for a in soup.select(".hg-card--article .hg-card__title a")]
    assert 1 <= len(articles) <= 4
    for href in firms + articles:
        assert mini_site.exists(href.lstrip("/")), href
    assert soup.select_one('a[href="/partners/"]') and soup.select_one('a[href="/articles/"]')


def test_searching_from_the_404_page_opens_the_sites_search(mini_url: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(mini_url + "404.html")
    page.fill("#hg-notfound-q", "tax")
    page.click(".hg-notfound__search button[type=submit]")
    page.wait_for_url("**/?q=tax")
    # Material's search shows its status line before the index has loaded: wait for a result.
    page.locator(".md-search-result__item").first.wait_for()
    assert page.input_value(".md-search__input") == "tax"
    assert "tax" in page.locator(".md-search-result__item").first.inner_text().lower()
    page.close()
