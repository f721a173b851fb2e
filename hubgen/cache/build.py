"""One build's use of the caches, behind four steps taken in MkDocs' event order.

- **open** (``on_config``, then ``on_pre_build``): the salts (:mod:`hubgen.cache.keys`), the
  command's page cache folder; the previous site is set aside for its unchanged pages.
- **reuse** (``on_files``): each article body's key; every page the page cache holds unchanged
  becomes a copy (:class:`hubgen.cache.reuse.KeptPage`), and the previous site's copies stay.
- **store** (per page): bodies come from or go to the render cache, pages written are noted
  with their search entries, article bodies are collected for the feeds.
- **finish** (``on_post_build``): feeds from kept bodies, then keep what was written, prune what
  this build did not use, save the index.

With the cache off (``cache: false``), every step does nothing and every page is rendered.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from hubgen.cache import bodyconvert, keys, prerender
from hubgen.cache.cards import CardDrawing, card_files
from hubgen.cache.inputs import code_digest
from hubgen.cache.pagecache import PageCache
from hubgen.cache.qrcodes import QrDrawing, qr_key
from hubgen.cache.rendercache import RenderCache, Rendered, forget_folder
from hubgen.cache.reuse import Bodies, Keeper, KeptFeeds, foreign_plugins, search_entries, sitemap
from hubgen.cache.signatures import Signer, Unsignable
from hubgen.cache.sitedir import OldSite, set_aside
from hubgen.core.models import Article, HubSettings, Partner
from hubgen.core.sanitize import ContentPolicy, sanitize
from hubgen.load.links import local_links
from hubgen.site.catalog import Catalog
from hubgen.site.feeds import FeedStore
from hubgen.site.feedspecs import public_articles
from hubgen.site.sharekit import qr_svg
from hubgen.site.views import View

log = logging.getLogger("mkdocs.plugins.hubgen")


@dataclass(frozen=True)
class PageInputs:
    """What a generated page is rendered from besides the salt: what its key signs."""

    meta: dict[str, Any]
    subject: object
    """The article or page spec the page shows."""
    view: View


class BuildCache:
    """The render cache, the page cache and the previous site, for one build at a time.

    One instance lives as long as the plugin: ``mkdocs serve`` rebuilds with the same one, and
    its page cache index is read once, not on every rebuild.
    """

    def __init__(self) -> None:
        self._pages: PageCache | None = None
        self._preview = False
        self._bodies: RenderCache | None = None
        self._qr: QrDrawing | None = None
        """QR codes drawn while the articles load, before the build opens the cache."""
        self._start(None)

    def _start(self, bodies: RenderCache | None) -> None:
        if self._bodies is not None:
            self._bodies.close()  # the last build's (serve rebuilds with this same object)
        self._bodies = bodies
        self._body_keys: dict[str, str] = {}
        """Each article's render cache key, by src_uri (part of its pages' signatures)."""
        self._bodies_to_store: dict[str, str] = {}
        """Articles rendered this build, by src_uri, with the key to store them under."""
        self._bodies_found: dict[str, Rendered] = {}
        self._bodies_used: set[str] = set()
        self._prerendered: set[str] = set()
        """Keys of bodies rendered by workers this build (counted as misses, not hits)."""
        self._stream: prerender.Stream | None = None
        """Workers rendering article bodies while the page loop runs."""
        self._streamed: dict[str, tuple[int, str]] = {}
        """Articles whose bodies :meth:`fill` gets in the page loop: their item and key."""
        self._render_here: Callable[[Page, Article], Rendered] | None = None
        """How :meth:`fill` renders a body no worker has: as the workers do."""
        self._keeper: Keeper | None = None
        """This build's use of the page cache; None when it is off."""
        self._unsigned: set[str] = set()
        """Pages the page cache never kept, signed once rendered (see ``sign``), by src_uri."""
        self._html: dict[str, str] = {}
        """Each article's rendered body by URL, captured once for the feeds."""
        self._old_site: OldSite | None = None
        self._cards: CardDrawing | None = None
        """Social cards workers are drawing while the pages render."""

    # -- open --------------------------------------------------------------------------------

    def open(
        self, folder: Path | None, config: MkDocsConfig, settings: HubSettings, *, preview: bool
    ) -> None:
        """Start a build; ``folder`` is the cache folder, None when the cache is off."""
        if folder is None:
            self._pages = None
            self._start(None)
            return
        pages = _mode_folder(folder, preview)
        if self._pages is None or self._pages.folder != pages:
            self._pages = PageCache(pages)
        forget_folder(folder / "articles")  # where bodies were kept, a file each, before 2026-12-04
        self._start(RenderCache(folder / "bodies.sqlite", keys.body_salt(config, settings)))
        self._preview = preview

    def set_aside(self, site_dir: Path) -> None:
        """Right before MkDocs empties the site: unchanged pages are put back in ``reuse``, and
        another process deletes the rest meanwhile."""
        self._old_site = set_aside(site_dir)

    @property
    def render_cache_counts(self) -> tuple[int, int]:
        """The render cache's (hits, misses) this build."""
        if self._bodies is None:
            return (0, 0)
        # Bodies workers rendered this build were found in the cache, but are not reused ones.
        fresh = len(self._prerendered & self._bodies_used)
        return (self._bodies.hits - fresh, self._bodies.misses + fresh)

    @property
    def prerendered(self) -> int:
        """Article bodies worker processes rendered this build."""
        return len(self._prerendered)

    @property
    def kept(self) -> set[str]:
        """Pages copied from the page cache this build, by src_uri."""
        return set(self._keeper.kept) if self._keeper is not None else set()

    @property
    def rendered(self) -> set[str]:
        """Pages the page cache looked up and missed this build: rendered, then kept."""
        return set(self._keeper.missed) if self._keeper is not None else set()

    @property
    def keeps_pages(self) -> bool:
        return self._keeper is not None

    # -- reuse -------------------------------------------------------------------------------

    def reuse(
        self,
        files: Files,
        config: MkDocsConfig,
        catalog: Catalog,
        plugin: object,
        inputs: Callable[[str], PageInputs | None],
        published: Mapping[str, int] | None = None,
    ) -> Files:
        """``files`` with every page the cache holds unchanged replaced by its kept copy.

        ``plugin``: hubgen's own plugin (any other turns the page cache off); ``inputs``: what a
        generated page is made of, by src_uri (None for other files); ``published``: other
        files the build links into the site from a cache (site path → inode), left in place
        where the previous site has them.
        """
        articles = catalog.hub.articles
        if self._bodies is not None:
            self._body_keys = {a.src_uri: self._body_key(a, files) for a in articles}
        self._keeper = self._start_keeper(config, files, catalog, plugin)
        if self._keeper is not None:
            files = self._reuse_pages(files, self._keeper, catalog, inputs)
        if self._old_site is not None:
            if self._keeper is not None:
                self._keeper.put_back(self._old_site, files, published or {})
            self._old_site.start_deleting()
        return files

    def _body_key(self, article: Article, files: Files) -> str:
        """The render cache key of the article's body: its Markdown, URL and link targets."""
        assert self._bodies is not None
        targets = []
        for link in local_links(article.body, article.src_uri):
            target = None if link.same_page else files.src_uris.get(link.uri)
            targets.append((link.uri, target.url if target is not None else ""))
        return self._bodies.key(article.body, article.url, targets)

    def _start_keeper(
        self, config: MkDocsConfig, files: Files, catalog: Catalog, plugin: object
    ) -> Keeper | None:
        if self._pages is None or self._bodies is None:
            return None
        if foreign := foreign_plugins(config, plugin):
            log.info(
                f"hubgen: every page is rendered (the page cache is off) because these plugins "
                f"may change pages in ways it cannot repeat: {', '.join(foreign)}"
            )
            return None
        listing_bodies = keys.templates_reading_bodies(config)
        if listing_bodies:
            log.debug(
                f"hubgen: a body edit renders every page listing the article again, since "
                f"these templates read article bodies: {', '.join(listing_bodies)}"
            )
        signer = Signer(catalog, self._body_keys, bodies_listed=bool(listing_bodies))
        articles = {a.src_uri for a in catalog.hub.articles}
        hand_written = [
            f for f in files
            if f.is_documentation_page() and f.generated_by is None and f.src_uri not in articles
        ]  # fmt: skip
        try:
            salt = keys.page_salt(
                signer, self._bodies.salt, config, hand_written, catalog.settings,
                preview=self._preview,
            )  # fmt: skip
        except Unsignable as error:
            log.info(f"hubgen: every page is rendered (the page cache is off): {error}")
            return None
        return Keeper(self._pages, signer, salt, search_entries(config), self._bodies)

    def _reuse_pages(
        self,
        files: Files,
        keeper: Keeper,
        catalog: Catalog,
        inputs: Callable[[str], PageInputs | None],
    ) -> Files:
        hub = catalog.hub
        articles = {article.src_uri: article for article in hub.articles}
        # Views are pure functions of the catalog: when nothing it is made of changed (the
        # articles with their statuses, the partners, and the salt), every page's key is the
        # one it was kept under, and no view needs computing to know it. Bodies are not in it:
        # an article page whose own body changed is rendered again (see signatures.BODY_FIELDS).
        keeper.hub = keeper.sign("hub", hub.articles, tuple(hub.partners.values()))
        unchanged = keeper.hub is not None and keeper.hub == keeper.cache.hub
        replaced: dict[str, File] = {}
        for file in files:
            if file.inclusion is not InclusionLevel.NOT_IN_NAV:
                continue  # nav pages (their neighbours, their active state) and drafts
            uri = file.src_uri
            body_key = self._body_keys.get(uri)
            stored = keeper.cache.stored(uri)
            own = _own_body_token(keeper, articles.get(uri))
            if stored is None or (unchanged and stored.body_token != own):
                # Nothing current to compare with: the page is signed when it is rendered, with
                # the view it shows, so a cold build computes each view once and holds none.
                self._unsigned.add(uri)
            elif unchanged:
                replaced[uri] = keeper.reuse(file, stored.key, body_key=body_key, body_token=own)
            elif (page := inputs(uri)) is not None and (key := _page_key(keeper, file, page, own)):
                replaced[uri] = keeper.reuse(file, key, body_key=body_key, body_token=own)
        keeper.signer.forget()
        if keeper.kept:
            # A new collection in the same order: file order is the search index's order.
            files = Files([replaced.get(f.src_uri, f) for f in files])
        return files

    def prerender(
        self,
        files: Files,
        config: MkDocsConfig,
        articles: Mapping[str, Article],
        policy: ContentPolicy,
        jobs: int,
    ) -> int:
        """Start ``jobs - 1`` worker processes rendering, into the render cache, the article
        bodies this build would convert in the page loop, from its last page back; the page
        loop starts at once, and :meth:`fill` takes each body from them or renders it
        (:mod:`hubgen.cache.prerender`). How many bodies there are to render."""
        bodies = self._bodies
        if bodies is None or jobs < 2:
            return 0
        kept = self._keeper.kept if self._keeper is not None else {}
        todo: list[tuple[File, Article, str]] = []
        for file in files:  # in the page loop's order
            uri = file.src_uri
            key = self._body_keys.get(uri)
            if key is None or uri in kept or not file.is_documentation_page():
                continue
            # Only pages MkDocs' loop renders (drafts are excluded from `build`).
            level = file.inclusion
            shown = level.is_in_serve() if self._preview else level.is_included()  # type: ignore[no-untyped-call]
            if shown and uri in articles and not bodies.holds(key):
                todo.append((file, articles[uri], key))
        if len(todo) < prerender.MIN_BODIES or not prerender.can_fork():
            return 0

        def make(index: int) -> Rendered:  # in a worker
            file, article, _key = todo[index]
            page = file.page if file.page is not None else Page(None, file, config)
            return _render_body(page, article.body, config, files, policy)

        def keep(index: int, rendered: Rendered) -> None:  # in a worker
            bodies.put(todo[index][2], rendered)

        self._streamed = {file.src_uri: (n, key) for n, (file, _a, key) in enumerate(todo)}
        bodies.close()  # the workers open their own connections: none is carried across fork
        self._stream = prerender.Stream(len(todo), make, keep, jobs - 1)
        self._render_here = lambda page, article: _render_body(
            page, article.body, config, files, policy
        )
        return len(todo)

    # -- store -------------------------------------------------------------------------------

    def markdown(self, article: Article) -> str:
        """The body to render: empty when the render cache already holds its HTML, or when
        :meth:`fill` will get it when the page loop comes to its page."""
        if self._bodies is None:
            return article.body
        key = self._body_keys[article.src_uri]
        self._bodies_used.add(key)
        if article.src_uri in self._streamed:
            return ""
        found = self._bodies.get(key)
        if found is None:
            self._bodies_to_store[article.src_uri] = key
            return article.body
        self._bodies_found[article.src_uri] = found
        return ""  # MkDocs still "renders" the page: nothing to convert

    def streamed(self, page: Page) -> bool:
        """Whether the page's body comes later, from :meth:`fill` (it has none until then)."""
        return page.file.src_uri in self._streamed

    def fill(self, page: Page, article: Article) -> None:
        """When the page loop comes to an article whose body workers may be rendering: the
        page's body, toc and anchors from a worker, or rendered here as a one-process build
        does (the same errors, on the same page), and kept."""
        found = self._streamed.pop(page.file.src_uri, None)
        stream, bodies, render_here = self._stream, self._bodies, self._render_here
        if found is None or stream is None or bodies is None or render_here is None:
            return
        index, key = found
        stream.reached(index)  # the workers leave this one and those before it
        rendered = bodies.get(key)
        if rendered is not None:
            stream.replay(index)
            self._prerendered.add(key)
        else:
            rendered = render_here(page, article)
            bodies.put(key, rendered)
        page.content = _shown(page, rendered)

    def finish_stream(self) -> None:
        """After the page loop: the body workers end."""
        if self._stream is not None:
            self._stream.finish()
            self._stream = None
        self._streamed = {}

    def stop_stream(self) -> None:
        """The build failed: stop the body workers."""
        if self._stream is not None:
            self._stream.stop()
            self._stream = None
        self._streamed = {}

    def kept_content(self, page: Page) -> str | None:
        """The page's body HTML from the render cache, its toc and anchors set; None if not kept."""
        found = self._bodies_found.pop(page.file.src_uri, None)
        return _shown(page, found) if found is not None else None

    def store_content(self, page: Page, html: str) -> None:
        """Keep an article's body HTML, rendered (and sanitized) this build."""
        if self._bodies is not None and (key := self._bodies_to_store.get(page.file.src_uri)):
            anchors = sorted(page.present_anchor_ids or ())
            self._bodies.put(key, Rendered(html, _toc_tokens(page.toc), anchors))

    def sign(self, file: File, page: PageInputs) -> None:
        """Before a page is rendered, with the inputs it is rendered from: sign it if ``reuse``
        did not, so it is kept once written."""
        if file.src_uri not in self._unsigned or self._keeper is None:
            return
        self._unsigned.discard(file.src_uri)
        own = _own_body_token(self._keeper, page.subject)
        key = _page_key(self._keeper, file, page, own)
        self._keeper.signer.forget()  # this page's views: dropped as soon as they are signed
        if key is not None:
            self._keeper.missed[file.src_uri] = (key, own)

    def written(self, page: Page, article: Article | None) -> None:
        """After a page's ``on_post_page``: its search entries, and an article's body (feeds
        reuse the HTML exactly as every ``on_page_content`` handler left it)."""
        if article is not None and page.content is not None:
            self._html[article.url] = page.content
        if self._keeper is not None:
            self._keeper.rendered(page)

    def qr_svg(self, text: str, title: str) -> str:
        """QR codes take 5 ms each to encode: kept between builds by what they encode (and
        drawn ahead while the articles load, :meth:`draw_qr_codes_ahead`)."""
        if self._qr is not None:
            self._qr.wait()
            self._qr = None
        if self._pages is None:
            return qr_svg(text, title)
        key = qr_key(text, title)
        svg = self._pages.blob(key)
        if svg is None:
            svg = qr_svg(text, title)
            self._pages.keep_blob(key, svg)
        return svg

    def draw_qr_codes_ahead(
        self,
        folder: Path | None,
        settings: HubSettings,
        partners: Iterable[Partner],
        *,
        preview: bool,
    ) -> None:
        """Once the profiles are loaded, before the articles: draw the partners' missing QR
        codes into the cache folder ``folder`` (None: the cache is off) in a worker."""
        self.stop_qr_codes()
        if folder is not None:
            self._qr = QrDrawing(_mode_folder(folder, preview), settings, partners)

    def stop_qr_codes(self) -> None:
        """The build failed: no QR code is drawn any longer."""
        if self._qr is not None:
            self._qr.stop()
            self._qr = None

    def social_cards(self, config: MkDocsConfig, catalog: Catalog, jobs: int = 1) -> list[File]:
        """Every social card as a file to publish: kept ones linked, new ones drawn and kept
        (with ``jobs`` > 1 by workers while the pages render; :meth:`finish_cards` then links
        them into the site)."""
        self.stop_cards()
        if self._bodies is not None:
            self._bodies.close()  # no connection is carried across the card workers' fork
        files, self._cards = card_files(config, catalog, self._pages, jobs)
        return files

    def finish_cards(self) -> None:
        """After the pages: the cards drawn in the background, linked into the site."""
        if self._cards is not None:
            self._cards.finish()
            self._cards = None

    def stop_cards(self) -> None:
        """The build failed: stop drawing cards."""
        if self._cards is not None:
            self._cards.stop()
            self._cards = None

    def template_folder(self) -> Path | None:
        """Where compiled templates are kept: compiling Material's takes longer than rendering
        a few dozen pages. The folder changes with hubgen's code (an autoescape rule is compiled
        into templates); the cache itself checks each template's source."""
        if self._pages is None:
            return None
        folder = self._pages.folder.parent / f"jinja-{code_digest()[:16]}"
        if not folder.is_dir():
            for old in folder.parent.glob("jinja-*"):  # compiled by earlier code
                shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True)
        return folder

    # -- finish ------------------------------------------------------------------------------

    def sitemap(self, files: Files) -> list[tuple[str, str]]:
        """Every page's sitemap entry, kept or rendered, in file order."""
        return list(sitemap(files, self._keeper.kept if self._keeper is not None else {}))

    def restore_search(self, files: Files) -> None:
        """Search entries of every page, kept or rendered, in the order of a full build."""
        if self._keeper is not None:
            self._keeper.restore_search(files)

    def article_bodies(self, catalog: Catalog) -> tuple[Mapping[str, str], FeedStore | None]:
        """Every article's body HTML by URL, rendered or kept, and where feeds are kept."""
        keeper = self._keeper
        if keeper is None:
            return self._html, None
        urls = {a.src_uri: a.url for a in catalog.hub.articles}
        kept = {urls[uri]: self._body_keys[uri] for uri in keeper.kept if uri in urls}
        bodies = Bodies(self._html, kept, keeper.bodies)
        return bodies, KeptFeeds(keeper, lambda: _newest(catalog, bodies))

    def finish(self) -> None:
        """After the build wrote everything: keep what is new, drop what it did not use."""
        if self._bodies is not None:
            # Kept pages never asked for their bodies, which are still current.
            self._bodies.prune(self._bodies_used | set(self._body_keys.values()))
            self._bodies.close()
        if self._keeper is not None:
            self._keeper.finish()
        elif self._pages is not None:
            self._pages.save()
        self.cleared()

    def cleared(self) -> None:
        """Wait for the previous site's leftovers to be deleted (also when a build fails)."""
        if self._old_site is not None:
            self._old_site.wait()
            self._old_site = None


def _mode_folder(folder: Path, preview: bool) -> Path:
    """The page cache's folder for one command: `serve` pages differ (drafts, the local
    site_url), so each keeps its own."""
    return folder / ("serve" if preview else "build")


def _own_body_token(keeper: Keeper, subject: object) -> str:
    """What an article's page alone shows of it (:meth:`Signer.body_token`); "" for a page
    that is not an article's."""
    return keeper.signer.body_token(subject) if isinstance(subject, Article) else ""


def _page_key(keeper: Keeper, file: File, page: PageInputs, body_token: str) -> str | None:
    """A page's cache key: the salt, where it is written, its meta, what it shows, its view,
    and an article page's own body (``body_token``, "" for other pages)."""
    return keeper.sign(
        "page", file.src_uri, file.url, file.dest_uri, file.edit_uri, page.meta, page.subject,
        page.view, body_token,
    )  # fmt: skip


def _render_body(
    page: Page, body: str, config: MkDocsConfig, files: Files, policy: ContentPolicy
) -> Rendered:
    """An article's body as the page loop renders it: Markdown, then the allow-list."""
    previous = config._current_page
    page.markdown = body
    config._current_page = page  # as MkDocs' own page loop sets it
    try:
        bodyconvert.render(page, config, files)
    finally:
        config._current_page = previous
    assert page.content is not None
    html = sanitize(page.content, policy)
    return Rendered(html, _toc_tokens(page.toc), sorted(page.present_anchor_ids or ()))


def _shown(page: Page, rendered: Rendered) -> str:
    """A body from the render cache on its page: the page's toc and anchors set, its HTML."""
    page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]
    page.present_anchor_ids = set(rendered.anchors)
    return rendered.html


def _toc_tokens(items: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    """A rendered page's table of contents back as Python-Markdown toc tokens (for the cache)."""
    return [
        {"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)}
        for i in items
    ]


def _newest(catalog: Catalog, rendered: Mapping[str, str]) -> object:
    return max((a.updated or a.date for a in public_articles(catalog, rendered)), default=None)
