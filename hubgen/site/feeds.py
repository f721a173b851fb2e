"""Feeds (RSS 2.0, Atom, JSON Feed 1.1) for the site, each partner, topic and category, and each
partner's syndication feed: every article, linked with that partner's referral code.

Which feeds there are: :mod:`hubgen.site.feedspecs`; each article as an entry:
:mod:`hubgen.site.feedentries`; the three formats: :mod:`hubgen.site.feedformats`. This module
puts them together and writes the files.

Engine-free: it works from the :class:`~hubgen.site.catalog.Catalog` and the HTML the site engine
rendered for each article (``article.url`` → HTML), so Markdown is never rendered twice, and an
article the engine did not render (excluded from the build) is never announced.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.site.feedentries import Entry, EntryMaker, FeedLinks
from hubgen.site.feedformats import json_feed, xml_feed
from hubgen.site.feedspecs import FeedSpec, feed_specs, public_articles

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""``updated`` of a feed with nothing in it on a hub with no articles: fixed, never ``now``."""


class FeedBuilder:
    """Builds a hub's feeds, resolving each article's HTML against its URL once per feed kind."""

    def __init__(self, catalog: Catalog, rendered: Mapping[str, str]) -> None:
        self.catalog = catalog
        self.rendered = rendered
        self.entries = EntryMaker(catalog, rendered)

    def render(self, spec: FeedSpec) -> dict[str, bytes]:
        """The feed's files by site-relative URL: RSS, Atom and JSON Feed."""
        settings = self.catalog.settings
        links = FeedLinks(self.catalog, spec.partner)
        full = spec.full_content
        entries = [self.entries.entry(a, links, full_content=full) for a in spec.articles]
        updated = self._updated(entries)
        return {
            spec.url("rss"): xml_feed(spec, entries, links, "rss", settings, updated),
            spec.url("atom"): xml_feed(spec, entries, links, "atom", settings, updated),
            spec.url("json"): json_feed(spec, entries, links, settings),
        }

    def _updated(self, entries: Sequence[Entry]) -> datetime:
        if entries:
            return max(e.updated for e in entries)
        # An empty feed (a partner's first article is on its way) is dated by the whole site.
        dates = [a.updated or a.date for a in public_articles(self.catalog, self.rendered)]
        return max(dates, default=EPOCH)


def iter_feeds(catalog: Catalog, rendered: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    """Every feed file of the hub as (site-relative URL, bytes), one feed at a time.

    A generator, so a build holds one feed in memory rather than all of them (hundreds of feeds
    of full articles came to about 70 MB at 1,000 articles).
    """
    builder = FeedBuilder(catalog, rendered)
    for spec in feed_specs(catalog, rendered):
        yield from builder.render(spec).items()


def render_feeds(catalog: Catalog, rendered: Mapping[str, str]) -> dict[str, bytes]:
    """Every feed file of the hub by site-relative URL, in a stable order."""
    return dict(iter_feeds(catalog, rendered))


class FeedStore(Protocol):
    """Where a build keeps feeds it wrote, to copy rather than render them when nothing changed."""

    def restore(self, spec: FeedSpec, targets: Mapping[str, Path]) -> bool:
        """Put the kept files of ``spec`` at ``targets`` (format → path); False if none is kept."""

    def keep(self, spec: FeedSpec, targets: Mapping[str, Path]) -> None:
        """Keep the files just written to ``targets`` for the next build."""


def write_feeds(
    catalog: Catalog, rendered: Mapping[str, str], site_dir: Path, store: FeedStore | None = None
) -> list[Path]:
    """Write every feed under ``site_dir``; returns the files written.

    With a ``store``, a feed whose content cannot have changed is restored from it; only the
    others are rendered (and read the HTML of their articles from ``rendered``).
    """
    builder = FeedBuilder(catalog, rendered)
    written: list[Path] = []
    for spec in feed_specs(catalog, rendered):
        targets = {fmt: site_dir / spec.url(fmt) for fmt in urls.FEED_FORMATS}
        if store is None or not store.restore(spec, targets):
            files = builder.render(spec)
            for fmt, path in targets.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[spec.url(fmt)])
            if store is not None:
                store.keep(spec, targets)
        written += targets.values()
    return written
