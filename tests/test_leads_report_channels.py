"""The channels the reports count come from the built site: a partner's syndication feed links
through ``utm_medium=feed``, the share kit's e-mail and social texts through ``email`` and
``social``, its plain link and QR code through ``referral`` (link) and ``qr``.

The built minihub's feeds (read with feedparser) and share kit page are parsed, and each link's
``utm_medium`` goes through the receiver's own mapping onto the report's channels.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import feedparser
from bs4 import BeautifulSoup
from hubkit import mini_build

from hubgen.leads.arrivals import channel

LINK = re.compile(r"https://mini\.example/\S+")


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_syndication_feed_links_count_as_the_feed_channel() -> None:
    site = mini_build().site
    for slug, code in (("acme", "acme-ref"), ("brightside", "brightside")):
        for name in ("syndication.xml", "syndication.atom"):
            feed = feedparser.parse(site.path(f"partners/{slug}/{name}").read_bytes())
            assert feed.entries, (slug, name)
            for entry in feed.entries:
                params = query(entry.link)
                assert (params["ref"], params["utm_medium"]) == (code, "feed"), entry.link
                assert channel(params["utm_medium"]) == "feed"
    # The hub's own feeds are not a partner's share: their links carry no code at all.
    hub = feedparser.parse(site.path("feed.xml").read_bytes())
    assert hub.entries and all(urlsplit(e.link).query == "" for e in hub.entries)


def test_share_kit_texts_carry_their_channel() -> None:
    page = BeautifulSoup(
        mini_build().site.path("partners/acme/share/index.html").read_text(), "html.parser"
    )
    emails = [t.get_text() for t in page.select('textarea[id^="hg-email-"]')]
    posts = [t.get_text() for t in page.select('textarea[id^="hg-post-"]')]
    links = [str(i["value"]) for i in page.select('input[id^="hg-link-"]')]
    assert emails and len(emails) == len(posts) == len(links)
    for texts, expected in ((emails, "email"), (posts, "social"), (links, "link")):
        for text in texts:
            [url] = LINK.findall(text)
            params = query(url)
            assert params["ref"] == "acme-ref", url
            assert channel(params["utm_medium"]) == expected, url
    # The same article, whichever text shares it.
    assert [urlsplit(LINK.findall(t)[0]).path for t in emails] == [urlsplit(u).path for u in links]
