"""The MkDocs side of the page cache: kept pages skip MkDocs' page loop entirely.

A page whose signature matches a kept entry becomes a :class:`KeptPage`, a file MkDocs copies
like a static file: it is never read, converted, themed or indexed again. What the page loop
would have produced besides the HTML, the keeper puts back: the page's search-index entries (in
the order a full build gives them) and its sitemap entry. Pages rendered this build are stored
once MkDocs has written them.

Only hubgen and Material's search plugin are known to leave nothing else behind per page, so
any other plugin turns the page cache off (the render cache still works).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from hubgen.cache.cards import KeptCard
from hubgen.cache.keptfile import KeptFile
from hubgen.cache.pagecache import PageCache, PageEntry
from hubgen.cache.rendercache import RenderCache
from hubgen.cache.signatures import Signer, Unsignable
from hubgen.cache.sitedir import OldSite
from hubgen.core.files import link_or_copy
from hubgen.site.feedspecs import FeedSpec

log = logging.getLogger("mkdocs.plugins.hubgen")

SEARCH_PLUGINS = frozenset({"material.plugins.search.plugin.SearchPlugin"})


class KeptPage(KeptFile):
    """A page whose final HTML the page cache holds: copied, not rendered."""

    def __init__(self, original: File, kept: str) -> None:
        # File.__init__'s fields, copied rather than given to it: its ``src_path`` setter parses
        # the path again, for each of thousands of pages every rebuild.
        self.src_uri = original.src_uri
        self.src_dir = None
        self.dest_dir = original.dest_dir
        self.use_directory_urls = original.use_directory_urls
        self.dest_uri = original.dest_uri
        self.inclusion = original.inclusion
        self.url = original.url  # links from other pages resolve to it as before
        self.abs_src_path = kept
        self.generated_by = "hubgen"

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True


def foreign_plugins(config: MkDocsConfig, own: object) -> list[str]:
    """Plugins that may act on pages in ways the page cache cannot replay."""
    return [
        name
        for name, plugin in config.plugins.items()
        if plugin is not own
        and f"{type(plugin).__module__}.{type(plugin).__qualname__}" not in SEARCH_PLUGINS
    ]


def search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """Material's search index (its list of entries), or None when search is off."""
    for plugin in config.plugins.values():
        kind = type(plugin)
        if f"{kind.__module__}.{kind.__qualname__}" in SEARCH_PLUGINS:
            if not plugin.config.get("enabled", True):
                return None
            entries: list[dict[str, Any]] = plugin.search_index.entries
            return entries
    return None


def sitemap_entry(page: Page) -> tuple[str, str | None] | None:
    """``(loc, lastmod)`` of a page in the sitemap, None when it stays out (noindex, links)."""
    meta = page.meta or {}
    loc = page.canonical_url or page.abs_url
    if page.is_link or not loc or meta.get("hubgen_noindex"):
        return None
    return loc, meta.get("hubgen_lastmod")


class Keeper:
    """One build's use of the page cache."""

    def __init__(
        self,
        cache: PageCache,
        signer: Signer,
        salt: str,
        search: list[dict[str, Any]] | None,
        bodies: RenderCache,
    ) -> None:
        self.cache = cache
        self.bodies = bodies
        """Where kept articles' bodies are, for the feeds."""
        self.signer = signer
        self.salt = salt
        self.search = search
        self.hub: str | None = None
        """Signature of everything this build's pages are made from (see ``PageCache.hub``)."""
        self.kept: dict[str, PageEntry] = {}
        """Pages copied from the cache, by src_uri."""
        self.missed: dict[str, tuple[str, str]] = {}
        """Pages rendered this build, to keep once written: src_uri → (key, the article's body
        token)."""
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._seen = 0
        self._written: list[tuple[str, PageEntry, Path]] = []

    def sign(self, *parts: object) -> str | None:
        try:
            return self.signer.signature(self.salt, *parts)
        except Unsignable as error:
            log.debug(f"hubgen: not cached: {error}")
            return None

    def reuse(self, file: File, key: str, *, body_key: str | None, body_token: str) -> File:
        """``file`` or, when the cache holds it under ``key``, its kept copy. ``body_key``: an
        article's body in the render cache, which must be there too (the feeds read it)."""
        entry = self.cache.page(file.src_uri, key)
        if entry is None or (body_key is not None and not self.bodies.holds(body_key)):
            self.missed[file.src_uri] = (key, body_token)
            return file
        self.kept[file.src_uri] = entry
        return KeptPage(file, self.cache.page_path(key))

    def put_back(self, old_site: OldSite, files: Files, also: Mapping[str, int]) -> None:
        """Leave the previous build's copies of kept pages and cards where they are (linking
        3,100 cards again took a tenth of a second of every rebuild at 3,000 articles), and
        the files of ``also`` (site path → inode of the file the cache holds) that are those."""
        kept = [f for f in files if isinstance(f, KeptPage)]
        expected = dict(also)
        expected.update(
            (f.dest_uri, inode) for f in kept if (inode := self.cache.inodes.get(f.src_uri))
        )
        # Not a card still being drawn (PendingCard): the cache has no file for it yet.
        cards = [f for f in files if type(f) is KeptCard and f.abs_src_path is not None]
        for card in cards:
            if card.inode is not None:
                expected[card.dest_uri] = card.inode
                continue
            with contextlib.suppress(OSError):
                expected[card.dest_uri] = os.stat(str(card.abs_src_path)).st_ino
        in_place = old_site.salvage(expected)
        for page in kept:
            page.in_place = page.dest_uri in in_place
        for card in cards:
            card.in_place = card.dest_uri in in_place

    # -- pages rendered this build -----------------------------------------------------------

    def rendered(self, page: Page) -> None:
        """After a page's ``on_post_page``: note what it added to the search index."""
        uri = page.file.src_uri
        if self.search is not None:
            self._entries[uri] = self.search[self._seen :]
            self._seen = len(self.search)
        if uri not in self.missed:
            return
        key, body_token = self.missed[uri]
        entry = PageEntry(
            key, self._entries.get(uri, []), sitemap_entry(page), body_token=body_token
        )
        self._written.append((uri, entry, Path(page.file.abs_dest_path)))

    # -- what the page loop would have left --------------------------------------------------

    def restore_search(self, files: Files) -> None:
        """Search entries of every page, kept or rendered, in the order of a full build."""
        if self.search is None:
            return
        ordered: list[dict[str, Any]] = []
        for file in files:
            if (entry := self.kept.get(file.src_uri)) is not None:
                ordered += entry.search
            else:
                ordered += self._entries.get(file.src_uri, ())
        self.search[:] = ordered

    def finish(self) -> None:
        """After the build wrote every page: keep the new ones, forget the unused ones."""
        for uri, entry, path in self._written:
            if path.is_file():
                self.cache.keep_page(uri, entry, path)
        self.cache.save(self.hub)


def sitemap(files: Files, kept: Mapping[str, PageEntry]) -> Iterator[tuple[str, str]]:
    """``(loc, lastmod)`` of every page in the sitemap, kept or rendered, in file order."""
    today = get_build_date()
    for file in files:
        if (entry := kept.get(file.src_uri)) is not None:
            found = entry.sitemap
            updated = today
        elif file.is_documentation_page() and file.inclusion.is_included() and file.page:  # type: ignore[no-untyped-call]
            found = sitemap_entry(file.page)
            updated = file.page.update_date
        else:
            continue
        if found is not None:
            yield found[0], found[1] or updated


class KeptFeeds:
    """The feeds side of the page cache (a :class:`hubgen.site.feeds.FeedStore`)."""

    def __init__(self, keeper: Keeper, site_updated: Callable[[], object]) -> None:
        self.keeper = keeper
        self.site_updated = site_updated
        """What dates an empty feed: the newest public article (see ``FeedBuilder._updated``)."""

    def _key(self, spec: FeedSpec) -> str | None:
        # Feeds carry bodies (whole, or their summaries when the author wrote none).
        bodies = [self.keeper.signer.body_token(article) for article in spec.articles]
        updated = None if spec.articles else self.site_updated()
        return self.keeper.sign("feed", spec, bodies, updated)

    def restore(self, spec: FeedSpec, targets: Mapping[str, Path]) -> bool:
        key = self._key(spec)
        kept = self.keeper.cache.feed(key) if key is not None else None
        if kept is None or kept.keys() != targets.keys():
            return False
        for fmt, path in targets.items():
            link_or_copy(kept[fmt], path)
        return True

    def keep(self, spec: FeedSpec, targets: Mapping[str, Path]) -> None:
        if (key := self._key(spec)) is not None:
            self.keeper.cache.keep_feed(key, targets)


class Bodies(Mapping[str, str]):
    """Each article's body HTML by URL: rendered this build, or read from the render cache when
    needed. The page cache is only used when no other plugin changes a page, so a body is the
    rendered (and sanitized) HTML the render cache holds, as the feeds take it."""

    def __init__(
        self, rendered: Mapping[str, str], kept: Mapping[str, str], bodies: RenderCache
    ) -> None:
        self.rendered = rendered
        self.kept = kept
        """Kept articles' URLs → the render cache key of their body."""
        self.bodies = bodies

    def __getitem__(self, url: str) -> str:
        if url in self.rendered:
            return self.rendered[url]
        found = self.bodies.read(self.kept[url])
        if found is None:  # there when the page was kept; deleted or damaged since
            raise KeyError(f"{url}: its body left the render cache during the build; build again")
        return found.html

    def __contains__(self, url: object) -> bool:
        return url in self.rendered or url in self.kept

    def __iter__(self) -> Iterator[str]:
        yield from self.rendered
        yield from (url for url in self.kept if url not in self.rendered)

    def __len__(self) -> int:
        return len(self.rendered) + sum(1 for url in self.kept if url not in self.rendered)
