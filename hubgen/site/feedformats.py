"""Feed entries written as RSS 2.0 and Atom (with feedgen) and as JSON Feed 1.1.

feedgen writes RSS and Atom; JSON Feed is small enough to write with :func:`json.dumps`. Output is
deterministic: entries are appended in an explicit order and every date comes from the content
(feedgen would otherwise prepend entries and stamp ``now()``).
"""

from __future__ import annotations

import html as htmllib
import json
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

from hubgen import __version__
from hubgen.core import urls
from hubgen.core.models import HubSettings
from hubgen.site.feedentries import Entry, FeedLinks, xml_safe
from hubgen.site.feedspecs import MEDIA_TYPES, FeedSpec

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _html_text(text: str) -> str:
    """Plain ``text`` as HTML text (quotes need no escaping outside attributes)."""
    return htmllib.escape(text, quote=False)


def _atom_id(article_id: str, site_url: str) -> str:
    """Atom ids must be IRIs: a UUID becomes ``urn:uuid:…``; other plain ids a name-based UUID."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", article_id):
        return article_id
    try:
        return uuid.UUID(article_id).urn
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}#{article_id}").urn


class _EntryLinks(BaseEntryExtension):  # type: ignore[misc]
    """Writes the ``rel``, ``type`` and ``length`` of Atom entry links.

    feedgen 1.0 loses them (it reads them back from the new, empty element), which would turn
    the cover's ``rel="enclosure"`` into a second ``alternate`` link.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        elements = [e for e in entry if e.tag == "link"]
        for element, link in zip(elements, self.links, strict=False):
            for key, value in link.items():
                element.attrib[key] = value
        return entry


def xml_feed(
    spec: FeedSpec,
    entries: Sequence[Entry],
    links: FeedLinks,
    fmt: str,
    settings: HubSettings,
    updated: datetime,
) -> bytes:
    """The feed as RSS (``fmt="rss"``) or Atom (``"atom"``), dated ``updated``."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # RSS has no field for several authors
    self_url = urls.absolute(settings.site_url, spec.url(fmt))
    fg.id(self_url)
    fg.title(xml_safe(spec.title))
    # RSS <description> holds HTML (readers render it), Atom's <subtitle>/<summary> plain text:
    # a plain-text description is HTML-escaped for RSS, so "<b>" shows as text in both.
    as_description = _html_text if fmt == "rss" else str
    fg.description(as_description(xml_safe(spec.description)))
    fg.language(settings.language)
    fg.generator("hubgen", version=__version__)
    fg.register_extension("hubgen", BaseExtension, _EntryLinks, atom=True, rss=False)
    fg.link(href=self_url, rel="self", type=MEDIA_TYPES[fmt])
    # RSS's channel <link> is the last link given: the HTML page.
    fg.link(href=links.page(spec.page), rel="alternate", type="text/html")
    fg.updated(updated)
    for entry in entries:  # already newest first; append keeps that order
        _add_entry(fg.add_entry(order="append"), entry, fmt, settings.site_url, as_description)
    if fmt == "rss":
        return bytes(fg.rss_str(pretty=True))
    return bytes(fg.atom_str(pretty=True))


def _add_entry(
    fe: Any, entry: Entry, fmt: str, site_url: str, as_description: Callable[[str], str]
) -> None:
    """Fill feedgen's entry ``fe`` with ``entry``."""
    fe.title(entry.title)
    entry_links = [{"href": entry.url, "rel": "alternate", "type": "text/html"}]
    if entry.image is not None:
        image = entry.image
        entry_links.append(
            {
                "href": image.url,
                "rel": "enclosure",
                "type": image.type,
                "length": str(image.length),
            }
        )
    fe.link(entry_links)
    fe.hubgen.links = entry_links
    if fmt == "atom":
        fe.id(_atom_id(entry.id, site_url))
    else:
        fe.guid(entry.id, permalink=entry.permalink)
    fe.published(entry.published)
    fe.updated(entry.updated)
    fe.summary(as_description(entry.summary))
    if entry.content_html is not None:
        fe.content(entry.content_html, type="html")
    for author in entry.authors:
        # Names only: partners' e-mail addresses are not the feed's to publish.
        fe.author({"name": author.name, **({"uri": author.url} if author.url else {})})
        fe.dc.dc_creator(author.name)
    for category in entry.categories:
        fe.category(term=category.term, label=category.label, scheme=category.scheme)


def json_feed(
    spec: FeedSpec, entries: Sequence[Entry], links: FeedLinks, settings: HubSettings
) -> bytes:
    """The feed as JSON Feed 1.1."""
    data = {
        "version": JSON_FEED_VERSION,
        "title": xml_safe(spec.title),
        "home_page_url": links.page(spec.page),
        "feed_url": urls.absolute(settings.site_url, spec.url("json")),
        "description": xml_safe(spec.description),
        "language": settings.language,
        "items": [_json_item(entry) for entry in entries],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _json_item(entry: Entry) -> dict[str, object]:
    item: dict[str, object] = {"id": entry.id, "url": entry.url, "title": entry.title}
    if entry.content_html is not None:
        item["content_html"] = entry.content_html
        item["summary"] = entry.summary
    else:
        item["content_text"] = entry.summary  # the summary is the content: not stored twice
    if entry.image is not None:
        item["image"] = entry.image.url
    item["date_published"] = entry.published.isoformat()
    if entry.modified:
        item["date_modified"] = entry.updated.isoformat()
    item["authors"] = [{"name": a.name, **({"url": a.url} if a.url else {})} for a in entry.authors]
    item["tags"] = [c.label for c in entry.categories]
    return item
