"""Feeds: the pure feed module on its own, then every feed of the built fixture hub, read the way
feed readers read them (feedparser for RSS and Atom, the JSON Feed 1.1 rules for JSON, and
xml.etree for the raw XML).
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
from conftest import HubDir

from hubgen.catalog import Catalog
from hubgen.feeds import absolute_html, feed_specs, render_feeds, xml_safe
from hubgen.models import FeedSettings, Hub

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
    files = render_feeds(catalog, rendered_html(hub))
    for url, data in files.items():
        for slug in UNPUBLISHED:
            assert f"articles/{slug}/".encode() not in data, (url, slug)


def test_rendering_is_deterministic_and_dated_from_content(minihub: HubDir) -> None:
    catalog = make_catalog(minihub)
    first = render_feeds(catalog, rendered_html(catalog.hub))
    second = render_feeds(make_catalog(minihub), rendered_html(catalog.hub))
    assert first == second
    site = read_feed(first["feed.xml"])
    assert site.feed.updated == "Tue, 01 Jul 2025 00:00:00 +0100"  # the newest article, not now


def test_summary_only_and_item_limits(minihub: HubDir) -> None:
    catalog = make_catalog(minihub, full_content=False, max_items=2, syndication_max_items=3)
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
    catalog = make_catalog(minihub)
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
