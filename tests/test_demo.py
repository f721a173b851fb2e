"""The demo hub builds with `mkdocs build --strict` and its pages agree with the files on disk.

Expectations are read straight from the YAML files with PyYAML (not through hubgen's loader), so
the test checks hubgen against an independent reading of the content.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from hubkit import REPO, Site

from hubgen.core.models import FeedSettings

TODAY = datetime.now().date()


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, path
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


PARTNERS = {
    p.stem: yaml.safe_load(p.read_text()) for p in sorted((REPO / "partners").glob("*.yml"))
}
ARTICLES = {p: front_matter(p) for p in sorted((REPO / "content/articles").glob("*.md"))}
STATUS = {slug: data.get("status", "active") for slug, data in PARTNERS.items()}


def slug_of(path: Path, data: dict[str, Any]) -> str:
    return str(data.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem))


def firms(data: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(str(a).split("/")[0] for a in data["authors"]))


def published(data: dict[str, Any]) -> bool:
    return (
        not data.get("draft")
        and as_date(data["date"]) <= TODAY
        and any(STATUS[f] != "pending" for f in firms(data))
    )


PUBLISHED = {slug_of(p, d): d for p, d in ARTICLES.items() if published(d)}


@pytest.fixture(scope="module")
def site(demo_site: Site) -> Site:
    return demo_site


def listed_titles(site: Site, url: str) -> set[str]:
    """Titles of the article cards on a paginated list, following its pages."""
    titles: set[str] = set()
    for number in range(1, 50):
        listing = site.page(url if number == 1 else f"{url}page/{number}/")
        titles |= {
            a.get_text(strip=True) for a in listing.select(".hg-card--article .hg-card__title a")
        }
        if listing.select_one(".hg-pagination a[rel=next]") is None:
            return titles
    raise AssertionError(f"{url} has more than 50 pages")


def test_the_demo_is_a_believable_network() -> None:
    active = [s for s, st in STATUS.items() if st == "active"]
    assert len(active) >= 8
    assert "pending" in STATUS.values() and "retired" in STATUS.values()
    assert len(PUBLISHED) >= 16
    assert sum(len(firms(d)) > 1 for d in PUBLISHED.values()) >= 4
    assert len({as_date(d["date"]).year for d in PUBLISHED.values()}) >= 2
    assert all((REPO / "partners" / s / PARTNERS[s]["logo"]).suffix == ".svg" for s in active)


def test_every_active_partner_has_a_page_with_all_their_articles(site: Site) -> None:
    for slug, status in STATUS.items():
        url = f"partners/{slug}/"
        if status != "active":
            assert not site.exists(url), slug
            continue
        page = site.page(url)
        assert page.select_one("h1").get_text(strip=True) == PARTNERS[slug]["name"]
        expected = {d["title"] for d in PUBLISHED.values() if slug in firms(d)}
        assert listed_titles(site, url) == expected, slug


def test_every_published_article_has_its_bylines_and_author_boxes(site: Site) -> None:
    for slug, data in PUBLISHED.items():
        page = site.page(f"articles/{slug}/")
        assert page.select_one("h1").get_text(strip=True) == data["title"]
        bylines = page.select(".hg-article__header .hg-byline")
        assert len(bylines) == len(data["authors"]), slug
        for byline, author in zip(bylines, data["authors"], strict=True):
            firm, _, person = str(author).partition("/")
            text = byline.get_text(" ", strip=True)
            assert PARTNERS[firm]["name"] in text
            if person:
                names = {p["id"]: p["name"] for p in PARTNERS[firm].get("people", [])}
                assert names[person] in text
            linked = byline.select_one("a") is not None
            assert linked == (STATUS[firm] == "active"), (slug, firm)
        boxes = [h.get_text(strip=True) for h in page.select(".hg-author-box h3")]
        assert boxes == [PARTNERS[f]["name"] for f in firms(data) if STATUS[f] == "active"], slug


def test_unpublished_articles_are_not_built(site: Site) -> None:
    for path, data in ARTICLES.items():
        if not published(data):
            assert not site.exists(f"articles/{slug_of(path, data)}/"), path.name


def test_directory_lists_every_active_partner(site: Site) -> None:
    cards = site.page("partners/").select(".hg-card--partner")
    assert sorted(c["data-partner"] for c in cards) == sorted(
        s for s, st in STATUS.items() if st == "active"
    )


def test_topic_pages_list_the_right_articles(site: Site) -> None:
    manifest = json.loads((site.root / "hub.json").read_text())
    for topic in manifest["topics"]:
        expected = {
            d["title"] for d in PUBLISHED.values() if topic["name"] in (d.get("topics") or [])
        }
        assert listed_titles(site, topic["url"]) == expected, topic["slug"]
        assert len(expected) == topic["articles"]


def test_hub_json_agrees_with_the_files(site: Site) -> None:
    manifest = json.loads((site.root / "hub.json").read_text())
    assert manifest["site"]["url"] == "https://mainstreetcollective.example/"
    assert {p["slug"] for p in manifest["partners"]} == {
        s for s, st in STATUS.items() if st == "active"
    }
    for partner in manifest["partners"]:
        data = PARTNERS[partner["slug"]]
        assert partner["referral_code"] == data.get("referral_code", partner["slug"])
        assert partner["name"] == data["name"]
        assert site.exists(partner["url"]) and site.exists(partner["logo"])
    assert {a["slug"] for a in manifest["articles"]} == set(PUBLISHED)
    for article in manifest["articles"]:
        assert article["authors"] == firms(PUBLISHED[article["slug"]])
        assert site.exists(article["url"])


def newest_first(slugs: list[str]) -> list[str]:
    return sorted(
        slugs,
        key=lambda s: (as_date(PUBLISHED[s]["date"]), str(PUBLISHED[s]["date"])),
        reverse=True,
    )


def feed_slugs(site: Site, url: str) -> list[str]:
    parsed = feedparser.parse(site.path(url).read_bytes())
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return [urlsplit(e.link).path.split("/")[-2] for e in parsed.entries]


def test_feeds_follow_the_content(site: Site) -> None:
    manifest = json.loads((site.root / "hub.json").read_text())
    newest = newest_first(list(PUBLISHED))
    for fmt in ("feed.xml", "feed.atom"):
        assert feed_slugs(site, fmt) == newest[:20], fmt
    for partner in manifest["partners"]:
        slug, code = partner["slug"], partner["referral_code"]
        theirs = [s for s in newest if slug in firms(PUBLISHED[s])]
        assert feed_slugs(site, partner["feeds"]["atom"]) == theirs[:20], slug
        syndication = feedparser.parse(
            site.path(partner["feeds"]["syndication"]["rss"]).read_bytes()
        )
        latest = newest[: FeedSettings().syndication_max_items]
        assert [urlsplit(e.link).path.split("/")[-2] for e in syndication.entries] == latest
        assert all(f"?ref={code}&" in e.link for e in syndication.entries), slug
    for topic in manifest["topics"]:
        about = [s for s in newest if topic["name"] in (PUBLISHED[s].get("topics") or [])]
        assert feed_slugs(site, topic["feeds"]["rss"]) == about[:20], topic["slug"]
    # Every co-author is named, in byline order.
    for entry in feedparser.parse(site.path("feed.atom").read_bytes()).entries:
        data = PUBLISHED[urlsplit(entry.link).path.split("/")[-2]]
        names = [a["name"] for a in entry.authors]
        assert len(names) == len(data["authors"])
        for name, author in zip(names, data["authors"], strict=True):
            assert PARTNERS[str(author).split("/")[0]]["name"] in name


def test_every_page_announces_the_site_feed(site: Site) -> None:
    for page in ("", "articles/", "write-for-the-network/", "partners/", "about/"):
        links = site.page(page).select('link[rel=alternate][type="application/atom+xml"]')
        assert [link["href"].rsplit("/", 1)[-1] for link in links] == ["feed.atom"], page
