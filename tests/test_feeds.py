"""Feeds: the pure feed module on its own, then every feed of the built fixture hub, read the way
feed readers read them (feedparser for RSS and Atom, the JSON Feed 1.1 rules for JSON, and
xml.etree for the raw XML).
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from hubkit import FIXTURES, MINIHUB, HubDir, Site, build_hub, copy_hub

from hubgen.core.models import FeedKind, FeedSettings, Hub
from hubgen.site.catalog import Catalog
from hubgen.site.feedentries import absolute_html, xml_safe
from hubgen.site.feeds import render_feeds
from hubgen.site.feedspecs import feed_specs

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PUBLISHED = ["cash", "hiring-right", "tax-basics", "leases"]
"""The fixture hub's public articles, newest first (drafts, future and held ones left out)."""
UNPUBLISHED = ["draft-idea", "future", "phishing"]


def read_feed(data: bytes) -> Any:
    """Parse as a feed reader would, but keep URLs as written (feedparser resolves them)."""
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version in ("rss20", "atom10")
    return parsed


def read_json_feed(data: bytes) -> dict[str, Any]:
    """A JSON Feed 1.1, checked against the spec's required fields (feedparser 6 cannot read it)."""
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None
        assert item["authors"] and all(a["name"] for a in item["authors"])
    return feed


def slug_of(link: str) -> str:
    """``https://mini.example/articles/cash/?ref=…`` → ``cash``."""
    path = urlsplit(link).path
    match = re.fullmatch(r"/articles/([a-z0-9-]+)/", path)
    assert match, link
    return match.group(1)


# -- the pure module ----------------------------------------------------------------------------


def rendered_html(hub: Hub) -> dict[str, str]:
    """What an engine would hand over: one HTML body per article, with a relative link and image."""
    return {
        a.url: (
            f'<h2 id="intro">Intro<a class="headerlink" href="#intro" title="Permanent link">¶</a></h2>\n'
            f'<p>{a.slug}: see <a href="../leases/">leases</a> and <a href="#intro">above</a>.</p>\n'
            '<p><img alt="chart" src="../images/cover.svg"></p>'
        )
        for a in hub.articles
    }


def make_catalog(minihub: HubDir, **feeds: Any) -> Catalog:
    hub, problems = minihub.load()
    assert not problems.errors
    settings = dataclasses.replace(hub.settings, feeds=FeedSettings(**feeds))
    return Catalog(dataclasses.replace(hub, settings=settings), NOW)


def test_absolute_html_resolves_every_relative_url_against_the_article() -> None:
    base = "https://hub.example/articles/tax/"
    html = (
        '<p><a href="../cash/">cash</a> <a href="#part-2">jump</a> <a href="/about/">about</a>'
        ' <a href="https://other.example/x">x</a> <a href="mailto:a@b.example">mail</a>'
        " <a href='img.png?w=1&amp;h=2'>q</a> <a href=plain.html>unquoted</a></p>"
        '<img src="pic.png" srcset="pic.png 1x, ../big.png 2x" alt="">'
        '<video poster="still.jpg"></video>'
        '<pre><code>&lt;a href="../not-a-link/"&gt;</code></pre>'
        '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">¶</a></h2>'
    )
    out = absolute_html(html, base)
    code = re.search(r"<pre>.*</pre>", out)
    assert code is not None
    # Text that merely looks like markup is left alone.
    assert code.group(0) == '<pre><code>&lt;a href="../not-a-link/"&gt;</code></pre>'
    hrefs = re.findall(r'(?:href|src|poster)="([^"]*)"', out.replace(code.group(0), ""))
    assert hrefs == [
        "https://hub.example/articles/cash/",
        "https://hub.example/articles/tax/#part-2",
        "https://hub.example/about/",
        "https://other.example/x",
        "mailto:a@b.example",
        "https://hub.example/articles/tax/img.png?w=1&amp;h=2",
        "https://hub.example/articles/tax/plain.html",
        "https://hub.example/articles/tax/pic.png",
        "https://hub.example/articles/tax/still.jpg",
    ]
    assert (
        'srcset="https://hub.example/articles/tax/pic.png 1x, https://hub.example/articles/big.png 2x"'
        in out
    )
    # The ¶ permalinks only make sense on the page.
    assert "headerlink" not in out and "¶" not in out


def test_absolute_html_link_hook_sees_absolute_anchor_targets_only() -> None:
    seen: list[str] = []

    def hook(url: str) -> str:
        seen.append(url)
        return url + "?ref=x&y=1"

    out = absolute_html('<a href="../a/">a</a><img src="b.png">', "https://h.example/p/q/", hook)
    assert seen == ["https://h.example/p/a/"]
    assert 'href="https://h.example/p/a/?ref=x&amp;y=1"' in out  # escaped inside the attribute
    assert 'src="https://h.example/p/q/b.png"' in out


def test_xml_safe_drops_only_what_xml_cannot_carry() -> None:
    assert xml_safe("a\x00b\x01c\x1bd\ufffee\tf\ng\r") == "abcde\tf\ng\r"
    assert xml_safe("Tax & <VAT> ]]> – ok ✓ 𝄞") == "Tax & <VAT> ]]> – ok ✓ 𝄞"


def test_specs_cover_site_partners_topics_categories_and_syndication(minihub: HubDir) -> None:
    catalog = make_catalog(minihub)
    specs = feed_specs(catalog, rendered_html(catalog.hub))
    pages = {(s.kind, s.page) for s in specs}
    assert pages == {
        ("site", ""),
        ("partner", "partners/acme/"),
        ("partner", "partners/brightside/"),
        ("topic", "topics/cash-flow/"),
        ("topic", "topics/hiring/"),
        ("topic", "topics/property/"),
        ("topic", "topics/tax/"),
        ("category", "categories/finance/"),
        ("category", "categories/legal/"),
        ("category", "categories/people/"),
        ("syndication", "partners/acme/"),
        ("syndication", "partners/brightside/"),
    }
    by_page = {(s.kind, s.page): [a.slug for a in s.articles] for s in specs}
    assert by_page[("site", "")] == PUBLISHED
    assert by_page[("partner", "partners/acme/")] == ["cash", "hiring-right", "tax-basics"]
    assert by_page[("partner", "partners/brightside/")] == ["hiring-right"]
    assert by_page[("topic", "topics/tax/")] == ["cash", "hiring-right", "tax-basics"]
    assert by_page[("syndication", "partners/brightside/")] == PUBLISHED


def test_articles_that_were_not_rendered_are_left_out(minihub: HubDir) -> None:
    catalog = make_catalog(minihub)
    rendered = rendered_html(catalog.hub)
    del rendered["articles/hiring-right/"]
    files = render_feeds(catalog, rendered)
    for url, data in files.items():
        assert b"hiring-right" not in data, url
    # Brightside's only article was left out: its feed still exists, empty, dated from content.
    brightside = read_feed(files["partners/brightside/feed.atom"])
    assert brightside.entries == []
    assert brightside.feed.updated == "2025-07-01T00:00:00+01:00"


def test_preview_catalogs_still_publish_only_public_articles(minihub: HubDir) -> None:
    hub, _ = minihub.load()
    catalog = Catalog(hub, NOW, preview=True)  # what `hubgen serve` sees: drafts included
    assert {"draft-idea", "phishing"} <= {a.slug for a in catalog.articles}
    rendered = rendered_html(hub)
    del rendered["articles/hiring-right/"]
    files = render_feeds(catalog, rendered)
    for url, data in files.items():
        for slug in UNPUBLISHED:
            assert f"articles/{slug}/".encode() not in data, (url, slug)
    # Brightside's feed is empty; its date comes from public articles, not the 2099 preview.
    assert read_feed(files["partners/brightside/feed.xml"]).feed.updated == (
        "Tue, 01 Jul 2025 00:00:00 +0100"
    )


def test_rendering_is_deterministic_and_dated_from_content(minihub: HubDir) -> None:
    catalog = make_catalog(minihub)
    first = render_feeds(catalog, rendered_html(catalog.hub))
    second = render_feeds(make_catalog(minihub), rendered_html(catalog.hub))
    assert first == second
    site = read_feed(first["feed.xml"])
    assert site.feed.updated == "Tue, 01 Jul 2025 00:00:00 +0100"  # the newest article, not now


def test_updated_dates_date_entries_and_the_feed_but_not_the_order(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-01-10-tax-basics.md", "topics:", "updated: 2025-08-01\ntopics:"
    )
    catalog = make_catalog(minihub)
    files = render_feeds(catalog, rendered_html(catalog.hub))
    atom = read_feed(files["feed.atom"])
    assert [slug_of(e.link) for e in atom.entries] == PUBLISHED  # still by publication date
    assert atom.feed.updated == "2025-08-01T00:00:00+01:00"
    tax = atom.entries[2]
    assert (tax.published, tax.updated) == (
        "2025-01-10T00:00:00+00:00",
        "2025-08-01T00:00:00+01:00",
    )
    assert read_feed(files["feed.xml"]).feed.updated == "Fri, 01 Aug 2025 00:00:00 +0100"
    items = read_json_feed(files["feed.json"])["items"]
    assert [i.get("date_modified") for i in items] == [
        None,
        None,
        "2025-08-01T00:00:00+01:00",
        None,
    ]


def test_summary_only_and_item_limits(minihub: HubDir) -> None:
    catalog = make_catalog(minihub, full_content=frozenset(), max_items=2, syndication_max_items=3)
    files = render_feeds(catalog, rendered_html(catalog.hub))
    rss, atom = read_feed(files["feed.xml"]), read_feed(files["feed.atom"])
    assert [slug_of(e.link) for e in rss.entries] == PUBLISHED[:2]
    assert [slug_of(e.link) for e in atom.entries] == PUBLISHED[:2]
    assert b"content:encoded" not in files["feed.xml"]
    assert b"<content" not in files["feed.atom"]
    assert atom.entries[0].summary == "Summer is slow."
    items = read_json_feed(files["feed.json"])["items"]
    assert [i["content_text"] for i in items] == [
        "Summer is slow.",
        "Hire carefully; payroll matters.",
    ]
    assert all("content_html" not in i for i in items)
    assert len(read_feed(files["partners/acme/syndication.atom"]).entries) == 3


def test_ids_that_are_not_iris_become_stable_urns_in_atom(minihub: HubDir) -> None:
    minihub.edit("content/articles/2025-07-01-cash.md", "summary:", "id: post-17\nsummary:")
    catalog = make_catalog(minihub)
    files = render_feeds(catalog, rendered_html(catalog.hub))
    atom_ids = [e.id for e in read_feed(files["feed.atom"]).entries]
    assert atom_ids[0].startswith("urn:uuid:") and len(atom_ids[0]) == len("urn:uuid:") + 36
    assert atom_ids[1] == "urn:uuid:6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77"
    assert atom_ids[2] == "https://mini.example/articles/tax-basics/"
    # RSS and JSON keep the author's id as written.
    assert read_feed(files["feed.xml"]).entries[0].id == "post-17"
    assert read_json_feed(files["feed.json"])["items"][0]["id"] == "post-17"
    again = render_feeds(make_catalog(minihub), rendered_html(catalog.hub))
    assert read_feed(again["feed.atom"]).entries[0].id == atom_ids[0]


def test_syndication_links_in_content_carry_the_code_but_files_do_not(minihub: HubDir) -> None:
    catalog = make_catalog(minihub, full_content=frozenset(FeedKind))
    files = render_feeds(catalog, rendered_html(catalog.hub))
    entry = read_feed(files["partners/acme/syndication.atom"]).entries[0]
    links = re.findall(r'(href|src)="([^"]*)"', entry.content[0].value)
    leases = [u for k, u in links if k == "href" and "/articles/leases/" in u]
    assert leases and all("ref=acme-ref" in u for u in leases)
    intro = [u for k, u in links if k == "href" and u.endswith("#intro")]
    assert intro and urlsplit(intro[0].replace("&amp;", "&")).path == "/articles/cash/"
    assert "ref=acme-ref" in intro[0]
    images = [u for k, u in links if k == "src"]
    assert images == ["https://mini.example/articles/images/cover.svg"]
    # The partner's own feed (not syndication) links canonically.
    plain = read_feed(files["partners/acme/feed.atom"]).entries[0].content[0].value
    assert "?ref=" not in plain and 'href="https://mini.example/articles/leases/"' in plain


def test_awkward_text_still_makes_well_formed_xml(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "title: Cash flow in summer",
        'title: "Cash & <flow> ]]> in\\x01 summer\\x1b"',
    )
    catalog = make_catalog(minihub)
    rendered = rendered_html(catalog.hub)
    rendered["articles/cash/"] = "<p>Body with ]]&gt; and a \x0b vertical tab</p>"
    files = render_feeds(catalog, rendered)
    for url, data in files.items():
        if url.endswith((".xml", ".atom")):
            ET.fromstring(data)  # raises on anything not well-formed
    for url in ("feed.xml", "feed.atom"):
        assert read_feed(files[url]).entries[0].title == "Cash & <flow> ]]> in summer"
    assert read_json_feed(files["feed.json"])["items"][0]["title"] == "Cash & <flow> ]]> in summer"


# -- the built fixture hub ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(mini_site: Site) -> Site:
    """The fixture hub's build shared by the session (read only)."""
    return mini_site


@pytest.fixture(scope="module")
def manifest(site: Site) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site.root / "hub.json").read_text())
    return data


def feed_files(site: Site) -> set[str]:
    found = set(site.root.rglob("feed.*")) | set(site.root.rglob("syndication.*"))
    return {p.relative_to(site.root).as_posix() for p in found}


def xml_entries(site: Site, url: str) -> Any:
    ET.parse(site.path(url))  # well-formed for a strict XML parser too, not just feedparser
    return read_feed(site.path(url).read_bytes()).entries


def all_formats(site: Site, base: str, name: str = "feed") -> dict[str, list[dict[str, Any]]]:
    """Each format's items as (link, title) pairs, so the three formats can be compared."""
    result: dict[str, list[dict[str, Any]]] = {}
    for ext in ("xml", "atom"):
        result[ext] = [
            {"link": e.link, "title": e.title} for e in xml_entries(site, f"{base}{name}.{ext}")
        ]
    items = read_json_feed(site.path(f"{base}{name}.json").read_bytes())["items"]
    result["json"] = [{"link": i["url"], "title": i["title"]} for i in items]
    return result


def test_site_feed_lists_public_articles_newest_first_in_every_format(site: Site) -> None:
    for fmt, items in all_formats(site, "").items():
        assert [slug_of(i["link"]) for i in items] == PUBLISHED, fmt
        assert items[1]["title"] == "Hiring right & paying right", fmt
        assert all(i["link"].startswith("https://mini.example/articles/") for i in items), fmt


def test_no_feed_mentions_an_unpublished_article(site: Site) -> None:
    files = feed_files(site)
    assert len(files) == 36  # 3 formats x (site + 2 partners x 2 + 4 topics + 3 categories)
    for url in files:
        text = site.path(url).read_text(encoding="utf-8")
        for slug in UNPUBLISHED:
            assert f"/articles/{slug}/" not in text, (url, slug)
        for title in ("An unfinished idea", "From the future", "Spotting phishing"):
            assert title not in text, (url, title)


def test_partner_feeds_hold_exactly_their_articles(site: Site) -> None:
    expected = {"acme": ["cash", "hiring-right", "tax-basics"], "brightside": ["hiring-right"]}
    for slug, articles in expected.items():
        for fmt, items in all_formats(site, f"partners/{slug}/").items():
            assert [slug_of(i["link"]) for i in items] == articles, (slug, fmt)
    # Only active partners have feeds: a retired or pending partner has no page to mirror.
    for slug in ("oldco", "newco"):
        assert not site.exists(f"partners/{slug}/feed.xml")
        assert not site.exists(f"partners/{slug}/syndication.xml")


def test_topic_and_category_feeds_hold_exactly_their_articles(site: Site) -> None:
    expected = {
        "topics/tax/": ["cash", "hiring-right", "tax-basics"],
        "topics/cash-flow/": ["cash"],
        "topics/hiring/": ["hiring-right"],
        "topics/property/": ["leases"],
        "categories/finance/": ["cash", "tax-basics"],
        "categories/people/": ["hiring-right"],
        "categories/legal/": ["leases"],
    }
    for page, articles in expected.items():
        for fmt, items in all_formats(site, page).items():
            assert [slug_of(i["link"]) for i in items] == articles, (page, fmt)
        # The feed's items are the articles the HTML page lists (first page, page_size 2).
        cards = site.page(page).select(".hg-card--article .hg-card__title a")
        assert [c["href"].split("/")[-2] for c in cards] == articles[:2], page


def test_dates_come_from_the_content_in_rfc_822_and_rfc_3339(site: Site) -> None:
    rss = ET.parse(site.path("feed.xml")).getroot()
    channel = rss.find("channel")
    assert channel is not None
    # The newest article (1 July 2025, midnight in London = BST) dates the feed, not the clock.
    assert channel.findtext("lastBuildDate") == "Tue, 01 Jul 2025 00:00:00 +0100"
    dates = [item.findtext("pubDate") for item in channel.iter("item")]
    assert dates == [
        "Tue, 01 Jul 2025 00:00:00 +0100",
        "Sat, 01 Mar 2025 09:30:00 +0000",
        "Fri, 10 Jan 2025 00:00:00 +0000",
        "Sun, 05 May 2024 00:00:00 +0100",
    ]
    atom = ET.parse(site.path("feed.atom")).getroot()
    assert atom.findtext("atom:updated", namespaces=NS) == "2025-07-01T00:00:00+01:00"
    published = [
        e.findtext("atom:published", namespaces=NS) for e in atom.iterfind("atom:entry", NS)
    ]
    assert published[1] == "2025-03-01T09:30:00+00:00"
    entries = xml_entries(site, "feed.atom")
    assert tuple(entries[0].published_parsed)[:5] == (2025, 6, 30, 23, 0)  # in UTC
    items = read_json_feed(site.path("feed.json").read_bytes())["items"]
    assert [i["date_published"] for i in items][:2] == [
        "2025-07-01T00:00:00+01:00",
        "2025-03-01T09:30:00+00:00",
    ]


def test_ids_are_stable_and_guids_are_permalinks_only_when_they_are_the_url(site: Site) -> None:
    channel = ET.parse(site.path("feed.xml")).getroot().find("channel")
    assert channel is not None
    guids = {i.findtext("link"): i.find("guid") for i in channel.iter("item")}
    hiring = guids["https://mini.example/articles/hiring-right/"]
    assert hiring is not None and hiring.get("isPermaLink") == "false"
    assert hiring.text == "6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77"  # the front matter's id
    cash = guids["https://mini.example/articles/cash/"]
    assert cash is not None and cash.get("isPermaLink") == "true"
    assert cash.text == "https://mini.example/articles/cash/"
    atom_ids = [e.id for e in xml_entries(site, "feed.atom")]
    assert atom_ids[:2] == [
        "https://mini.example/articles/cash/",
        "urn:uuid:6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77",
    ]
    # The same article keeps its id in every feed it appears in.
    assert xml_entries(site, "topics/hiring/feed.atom")[0].id == atom_ids[1]
    assert [i["id"] for i in read_json_feed(site.path("feed.json").read_bytes())["items"]][1] == (
        "6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77"
    )


def test_every_co_author_is_named_and_no_email_is_published(site: Site) -> None:
    expected = {
        "hiring-right": ["Brightside Law", "Acme Accounting"],
        "tax-basics": ["Jane Doe, Acme Accounting"],
        "leases": ["Oldco Property"],
    }
    for url in ("feed.xml", "feed.atom"):
        authors = {slug_of(e.link): [a["name"] for a in e.authors] for e in xml_entries(site, url)}
        for slug, names in expected.items():
            assert authors[slug] == names, (url, slug)
    channel = ET.parse(site.path("feed.xml")).getroot().find("channel")
    assert channel is not None
    creators = [[c.text for c in i.findall("dc:creator", NS)] for i in channel.iter("item")]
    assert creators[1] == ["Brightside Law", "Acme Accounting"]
    assert channel.find("item/author") is None  # RSS <author> must be an e-mail address
    items = read_json_feed(site.path("feed.json").read_bytes())["items"]
    assert [a["name"] for a in items[1]["authors"]] == ["Brightside Law", "Acme Accounting"]
    # A retired partner is named, but not linked.
    assert items[3]["authors"] == [{"name": "Oldco Property"}]
    for url in feed_files(site):
        text = site.path(url).read_text(encoding="utf-8")
        assert "@" not in text and "<email>" not in text, url


def carries_content(url: str) -> bool:
    """By default only the site feed and syndication feeds carry whole articles."""
    return "/" not in url or url.rsplit("/", 1)[1].startswith("syndication.")


def test_by_default_only_site_and_syndication_feeds_carry_whole_articles(site: Site) -> None:
    full, summaries = set(), set()
    for url in sorted(feed_files(site)):
        if url.endswith(".json"):
            items = read_json_feed(site.path(url).read_bytes())["items"]
            with_content = ["content_html" in i for i in items]
            # A summary-only item states its summary once, as its text.
            assert all("summary" not in i for i in items if "content_text" in i), url
        else:
            data = site.path(url).read_bytes()
            with_content = ["content" in e for e in xml_entries(site, url)]
            assert (b"content:encoded" in data or b"<content" in data) == any(with_content), url
        assert with_content, url  # every feed of the fixture lists something
        assert len(set(with_content)) == 1, url
        (full if with_content[0] else summaries).add(url.rsplit(".", 1)[0])
    assert full == {"feed", "partners/acme/syndication", "partners/brightside/syndication"}
    assert "partners/acme/feed" in summaries and "topics/tax/feed" in summaries
    assert any(u.startswith("categories/") for u in summaries)
    summary = {slug_of(e.link): e.summary for e in xml_entries(site, "topics/tax/feed.atom")}
    assert summary["tax-basics"] == "What every owner should know about tax."


def test_content_is_the_rendered_article_with_absolute_urls(site: Site) -> None:
    for url in sorted(filter(carries_content, feed_files(site))):
        if url.endswith(".json"):
            items = read_json_feed(site.path(url).read_bytes())["items"]
            bodies = [i["content_html"] for i in items]
        else:
            bodies = [e.content[0].value for e in xml_entries(site, url)]
        for body in bodies:
            for target in re.findall(r'\s(?:href|src)="([^"]*)"', body):
                assert target.startswith("https://mini.example/"), (url, target)
    entries = {slug_of(e.link): e for e in xml_entries(site, "feed.atom")}
    body = entries["tax-basics"].content[0].value
    assert '<h2 id="start-here">Start here</h2>' in body  # HTML from the build, not re-rendered
    assert '<a href="https://mini.example/articles/hiring-right/">hiring</a>' in body
    assert entries["tax-basics"].summary == "What every owner should know about tax."


def test_content_is_the_html_of_the_built_page(site: Site) -> None:
    """The feeds reuse what the build rendered (after every plugin's changes), not a re-render."""
    for entry in xml_entries(site, "feed.atom"):
        page_url = urlsplit(entry.link).path.lstrip("/")
        body = site.page(page_url).select_one(".hg-body")
        assert body is not None
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        assert content.get_text(" ", strip=True) == body.get_text(" ", strip=True), page_url
        page_links = [urljoin(entry.link, a["href"]) for a in body.select("a[href]")]
        assert [a["href"] for a in content.select("a[href]")] == page_links, page_url


def test_cover_image_is_an_enclosure_in_every_format(site: Site) -> None:
    cover = FIXTURES / "minihub/content/articles/images/cover.svg"
    url = "https://mini.example/articles/images/cover.svg"
    assert site.exists("articles/images/cover.svg")
    for feed in ("feed.xml", "feed.atom"):
        entries = {slug_of(e.link): e for e in xml_entries(site, feed)}
        assert entries["tax-basics"].enclosures == [
            {"href": url, "type": "image/svg+xml", "length": str(cover.stat().st_size)}
        ], feed
        assert entries["cash"].enclosures == [], feed
        # The enclosure is not mistaken for a second page link.
        alternates = [link for link in entries["tax-basics"].links if link["rel"] == "alternate"]
        assert [a["href"] for a in alternates] == ["https://mini.example/articles/tax-basics/"]
    items = {
        slug_of(i["url"]): i for i in read_json_feed(site.path("feed.json").read_bytes())["items"]
    }
    assert items["tax-basics"]["image"] == url and "image" not in items["cash"]


def test_topics_and_the_category_are_feed_categories(site: Site) -> None:
    rss = {slug_of(e.link): [t.term for t in e.tags] for e in xml_entries(site, "feed.xml")}
    assert rss["hiring-right"] == ["Hiring", "Tax", "People"]
    atom = {slug_of(e.link): e.tags for e in xml_entries(site, "feed.atom")}
    assert [(t.term, t.label) for t in atom["hiring-right"]] == [
        ("hiring", "Hiring"),
        ("tax", "Tax"),
        ("people", "People"),
    ]
    assert atom["hiring-right"][2].scheme == "https://mini.example/categories/"
    items = read_json_feed(site.path("feed.json").read_bytes())["items"]
    assert items[1]["tags"] == ["Hiring", "Tax", "People"]


def test_feeds_link_to_their_page_and_to_themselves(site: Site) -> None:
    for page in ("", "partners/acme/", "topics/tax/", "categories/legal/"):
        for ext, media in (("xml", "application/rss+xml"), ("atom", "application/atom+xml")):
            parsed = read_feed(site.path(f"{page}feed.{ext}").read_bytes())
            links = {link["rel"]: link for link in parsed.feed.links}
            assert links["self"]["href"] == f"https://mini.example/{page}feed.{ext}"
            assert links["self"]["type"] == media
            assert parsed.feed.link == f"https://mini.example/{page}"
            assert site.exists(page)
        data = read_json_feed(site.path(f"{page}feed.json").read_bytes())
        assert data["home_page_url"] == f"https://mini.example/{page}"
        assert data["feed_url"] == f"https://mini.example/{page}feed.json"


def test_syndication_feeds_link_everything_with_the_partners_code(
    site: Site, manifest: dict[str, Any]
) -> None:
    codes = {p["slug"]: p["referral_code"] for p in manifest["partners"]}
    assert codes == {"acme": "acme-ref", "brightside": "brightside"}
    for slug, code in codes.items():
        tracking = [
            ("ref", code),
            ("utm_source", code),
            ("utm_medium", "feed"),  # the receiver counts these visits as the feed channel
            ("utm_campaign", "mini-hub"),
        ]
        for fmt, items in all_formats(site, f"partners/{slug}/", "syndication").items():
            assert [slug_of(i["link"]) for i in items] == PUBLISHED, (slug, fmt)
            for item in items:
                query = parse_qsl(urlsplit(item["link"]).query)
                assert query == [*tracking, ("utm_content", slug_of(item["link"]))], (slug, fmt)
        parsed = read_feed(site.path(f"partners/{slug}/syndication.xml").read_bytes())
        assert parse_qsl(urlsplit(parsed.feed.link).query) == tracking
        # The guid is never offered as the item's link: that would be the untracked URL.
        channel = ET.parse(site.path(f"partners/{slug}/syndication.xml")).getroot().find("channel")
        assert channel is not None
        assert {g.get("isPermaLink") for g in channel.iter("guid")} == {"false"}
        # Links inside the articles to the hub's own pages are credited too.
        atom = {slug_of(e.link): e for e in xml_entries(site, f"partners/{slug}/syndication.atom")}
        body = atom["tax-basics"].content[0].value
        (link,) = re.findall(r'href="(https://mini\.example/articles/hiring-right/[^"]*)"', body)
        assert parse_qsl(urlsplit(link.replace("&amp;", "&")).query) == [
            *tracking,
            ("utm_content", "tax-basics"),
        ]


def test_two_builds_write_byte_identical_feeds(site: Site, tmp_path: Path) -> None:
    again = build_hub(copy_hub(MINIHUB, tmp_path / "hub"), tmp_path / "again")
    assert feed_files(again) == feed_files(site)
    for url in feed_files(site):
        assert again.path(url).read_bytes() == site.path(url).read_bytes(), url


def test_awkward_titles_build_valid_xml(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "title: Cash flow in summer",
        'title: "Cash & <flow> ]]> in\\x01 summer"',
    )
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead: ]]> & <b>bold</b>."
    )
    built = build_site(minihub.root / "mkdocs.yml")
    for url in sorted(feed_files(built)):
        if url.endswith(".json"):
            items = read_json_feed(built.path(url).read_bytes())["items"]
            titles = [i["title"] for i in items]
        else:
            ET.parse(built.path(url))
            titles = [e.title for e in xml_entries(built, url)]
        if url in ("feed.xml", "feed.atom", "feed.json", "partners/acme/feed.atom"):
            assert titles[0] == "Cash & <flow> ]]> in summer", url
    (entry, *_) = xml_entries(built, "feed.atom")
    assert entry.content[0].value == "<p>Plan ahead: ]]&gt; &amp; <b>bold</b>.</p>"


def test_options_turn_content_and_feeds_off(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    minihub.edit(
        "mkdocs.yml",
        "      about: We are a tiny network.",
        "      about: We are a tiny network.\n      feeds:\n        full_content: false\n"
        "        max_items: 2\n        syndication_max_items: 1",
    )
    built = build_site(minihub.root / "mkdocs.yml")
    assert [slug_of(e.link) for e in xml_entries(built, "feed.atom")] == PUBLISHED[:2]
    assert all("content" not in e for e in xml_entries(built, "feed.atom"))
    assert b"content:encoded" not in built.path("feed.xml").read_bytes()
    assert len(xml_entries(built, "partners/brightside/syndication.xml")) == 1

    minihub.edit("mkdocs.yml", "      feeds:\n", "      feeds:\n        enabled: false\n")
    off = build_site(minihub.root / "mkdocs.yml")
    assert feed_files(off) == set()
    assert off.page("").select("link[rel=alternate][type$=xml]") == []
    assert off.page("partners/acme/").select(".hg-feeds") == []
    data = json.loads(off.path("hub.json").read_text())
    assert "feeds" not in data and all("feeds" not in p for p in data["partners"])


def test_full_content_lists_the_kinds_of_feed_that_carry_whole_articles(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    minihub.edit(
        "mkdocs.yml",
        "      about: We are a tiny network.",
        "      about: We are a tiny network.\n      feeds:\n        full_content: [topic, partner]",
    )
    built = build_site(minihub.root / "mkdocs.yml")
    for url in sorted(feed_files(built)):
        if url.endswith(".atom"):
            full = url.startswith("topics/") or (url.endswith("/feed.atom") and "partners/" in url)
            assert {"content" in e for e in xml_entries(built, url)} == {full}, url


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("max_items: 0", "Expected a positive number but received: 0"),
        ("full_content: [site, everything]", "'everything'"),
    ],
)
def test_bad_feed_options_are_usage_errors(
    minihub: HubDir, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    from hubgen.cli import main

    minihub.edit(
        "mkdocs.yml",
        "      about: We are a tiny network.",
        f"      about: We are a tiny network.\n      feeds:\n        {option}",
    )
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml")]) == 2
    err = capsys.readouterr().err
    assert message in err, err


# -- pages announce and show the feeds ---------------------------------------------------------


def alternates(site: Site, page: str) -> list[tuple[str, str]]:
    """``(type, site-relative URL)`` of a page's autodiscovery links, resolved like a browser."""
    base = "https://mini.example/" + page
    found = []
    for link in site.page(page).select("link[rel=alternate][type]"):
        if link["type"] == "text/html":
            continue
        resolved = urlsplit(urljoin(base, link["href"])).path.lstrip("/")
        assert site.exists(resolved), (page, link["href"])
        assert link.get("title"), (page, link["href"])
        found.append((link["type"], resolved))
    return found


SITE_FEEDS = [
    ("application/rss+xml", "feed.xml"),
    ("application/atom+xml", "feed.atom"),
    ("application/feed+json", "feed.json"),
]


def test_every_page_announces_the_site_feed(site: Site) -> None:
    for page in (
        "",
        "articles/",
        "articles/cash/",
        "about/",
        "topics/",
        "partners/",
        "archive/2025/",
    ):
        assert alternates(site, page) == SITE_FEEDS, page


def test_partner_and_topic_pages_announce_their_own_feeds_first(site: Site) -> None:
    own = {
        "partners/acme/": "partners/acme/",
        "partners/acme/page/2/": "partners/acme/",
        "topics/tax/": "topics/tax/",
        "topics/tax/page/2/": "topics/tax/",
        "categories/finance/": "categories/finance/",
    }
    for page, base in own.items():
        expected = [(t, base + url) for t, url in SITE_FEEDS]
        assert alternates(site, page) == expected + SITE_FEEDS, page
    # The syndication feed is the partner's tool, not something to offer readers.
    assert "syndication" not in str(site.page("partners/acme/").select("head"))


def test_visible_feed_links_have_accessible_names(site: Site) -> None:
    pages = {
        "": "Mini Hub",
        "articles/": "Mini Hub",
        "partners/acme/": "Acme Accounting – Mini Hub",
        "topics/tax/": "Tax – Mini Hub",
        "categories/legal/": "Legal – Mini Hub",
    }
    for page, title in pages.items():
        links = site.page(page).select(".hg-feeds a")
        visible = [a.find(string=True, recursive=False) for a in links]
        assert visible == ["RSS", "Atom", "JSON Feed"], page
        for a, label in zip(links, visible, strict=True):
            # The accessible name starts with the visible text, then says which feed it is.
            assert a.get_text() == f"{label} feed: {title} ({label})", page
            resolved = urlsplit(urljoin("https://mini.example/" + page, a["href"])).path.lstrip("/")
            assert site.exists(resolved), (page, a["href"])


def test_hub_json_lists_every_feed(site: Site, manifest: dict[str, Any]) -> None:
    assert manifest["feeds"] == {"rss": "feed.xml", "atom": "feed.atom", "json": "feed.json"}
    listed = set(manifest["feeds"].values())
    for partner in manifest["partners"]:
        feeds = partner["feeds"]
        assert set(feeds) == {"rss", "atom", "json", "syndication"}
        assert feeds["rss"] == f"partners/{partner['slug']}/feed.xml"
        assert set(feeds["syndication"]) == {"rss", "atom", "json"}
        listed |= {feeds["rss"], feeds["atom"], feeds["json"], *feeds["syndication"].values()}
    for key in ("topics", "categories"):
        for entry in manifest[key]:
            assert set(entry["feeds"]) == {"rss", "atom", "json"}
            assert all(url.startswith(entry["url"]) for url in entry["feeds"].values())
            listed |= set(entry["feeds"].values())
    # Every feed is listed, and every listed feed was written.
    assert listed == feed_files(site)
