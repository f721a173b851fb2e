"""The MkDocs adapter: thin ``on_*`` handlers gluing the engine-free core into a Material build."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

import material
import mkdocs
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from hubgen import __version__
from hubgen.cache.inputs import code_digest, config_data, module_versions
from hubgen.cache.pagecache import PageCache
from hubgen.cache.rendercache import RenderCache, Rendered, fingerprint
from hubgen.cache.reuse import Bodies, Keeper, KeptFeeds, foreign_plugins, search_entries, sitemap
from hubgen.cache.signatures import Signer, Unsignable
from hubgen.cache.sitedir import OldSite, set_aside
from hubgen.core import urls
from hubgen.core.models import Article, Hub, HubSettings, Image
from hubgen.core.problems import HubError
from hubgen.core.sanitize import sanitize
from hubgen.load.contributed import contributor_folders, may_publish, published_svg
from hubgen.load.images import SVG, image_type
from hubgen.load.links import local_links
from hubgen.load.loader import load_hub
from hubgen.mkdocs_adapter.config import HubgenConfig, hub_settings
from hubgen.mkdocs_adapter.htmlfix import valid_chrome
from hubgen.mkdocs_adapter.themecsp import ThemePolicy, page_base_url
from hubgen.mkdocs_adapter.themes import theme_dir
from hubgen.site.buildrules import (
    CLASH_HINT,
    FILE_INCLUDE_HINT,
    clash_message,
    file_include_message,
    file_reading_extensions,
)
from hubgen.site.catalog import Catalog, build_time
from hubgen.site.csp import not_found_base_url, write_headers
from hubgen.site.feeds import public_articles, write_feeds
from hubgen.site.manifest import manifest_json, partner_registry_json
from hubgen.site.pages import NOINDEX_KINDS, PageSpec, generate_pages
from hubgen.site.sharekit import qr_codes, qr_svg
from hubgen.site.shortlinks import short_link_pages
from hubgen.site.views import View, Views, format_date, network_label

log = logging.getLogger("mkdocs.plugins.hubgen")

# Pages reachable from the default navigation; every other generated page stays out of the nav
# (MkDocs renders the whole nav into every page, so listing articles there makes builds quadratic).
NAV_PAGES = (
    ("Home", urls.HOME), ("Articles", urls.ARTICLES), ("Partners", urls.PARTNERS),
    ("Topics", urls.TOPICS), ("About", urls.ABOUT), ("Contact", urls.CONTACT),
)  # fmt: skip


def _autoescape_hubgen_templates(name: str | None) -> bool:
    return name is not None and name.startswith(HUBGEN_TEMPLATES)


HUBGEN_TEMPLATES = ("hubgen/", "partials/hubgen/")
RENDERING_MODULES = (
    "mkdocs", "material", "markdown", "pymdownx", "jinja2", "nh3", "feedgen.version", "segno",
    "pygments",
)  # fmt: skip
"""Packages whose version is part of every page cache key: a new release may render otherwise
(hubgen's own code is hashed instead: a checkout changes without a new version)."""


class HubgenPlugin(BasePlugin[HubgenConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.preview = False
        self.preloaded: Hub | None = None
        self.catalog: Catalog | None = None
        self.views: Views | None = None
        self._articles: dict[str, Article] = {}
        self._specs: dict[str, PageSpec] = {}
        self._html: dict[str, str] = {}
        """Each article's rendered HTML by URL, captured once for the feeds."""
        self._started = 0.0
        self._tabs = False
        self._cache: RenderCache | None = None
        self._cache_keys: dict[str, str] = {}
        """Articles rendered this build, by src_uri, with the cache key to store them under."""
        self._cache_hits: dict[str, Rendered] = {}
        self._cache_used: set[str] = set()
        self._content_keys: dict[str, str] = {}
        """Each article's render cache key, by src_uri (part of its pages' signatures)."""
        self._page_cache: PageCache | None = None
        self._keeper: Keeper | None = None
        """This build's use of the page cache; None when it is off."""
        self._files: Files | None = None
        self._dirty = False
        self._old_site: OldSite | None = None
        self._csp: ThemePolicy | None = None
        self.announce = True
        """Log the build summary; the CLI turns this off and prints its own."""

    # -- loading ---------------------------------------------------------------------------

    def settings(self, config: MkDocsConfig) -> HubSettings:
        return hub_settings(config, self.config)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` previews drafts and scheduled articles, marked as such; `build` never publishes them.
        self.preview = command == "serve"
        self._dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._started = time.monotonic()
        settings = self.settings(config)
        hub = self.preloaded
        self.preloaded = None
        if hub is None or hub.settings != settings:
            hub, problems = load_hub(settings)
            if problems.errors:
                # Raised before MkDocs cleans site_dir, so a broken hub never wipes a good site.
                raise PluginError(str(HubError(problems.errors)))
        self.catalog = Catalog(hub, build_time(settings.timezone), preview=self.preview)
        self.views = Views(self.catalog)
        self._articles = {a.src_uri: a for a in self.catalog.hub.articles}
        self._specs = {spec.src_uri: spec for spec in generate_pages(self.catalog)}
        self._refuse_file_includes(config)
        self._open_cache(config, settings)
        self._install_theme(config)
        self._tabs = "navigation.tabs" in (config.theme.get("features") or [])
        if config.nav is None:
            config.nav = self._default_nav(settings)
        return config

    def _refuse_file_includes(self, config: MkDocsConfig) -> None:
        if self.config.content_policy.allow_file_includes:
            return
        # The same rule `hubgen check` applies (hubgen.site.buildrules), so both agree.
        reading = file_reading_extensions(config.markdown_extensions)
        if reading:
            raise PluginError(
                f"markdown_extensions: {file_include_message(reading)}; {FILE_INCLUDE_HINT}"
            )

    def _install_theme(self, config: MkDocsConfig) -> None:
        # After the user's custom_dir (their overrides win), before Material's own templates.
        overrides = str(theme_dir())
        dirs = config.theme.dirs
        if overrides not in dirs:
            position = 1 if config.theme.custom_dir else 0
            dirs.insert(position, overrides)

    def _default_nav(self, settings: HubSettings) -> list[Any]:
        nav: list[Any] = [
            {title: urls.src_uri(url)}
            for title, url in NAV_PAGES
            if url != urls.ABOUT or settings.about
        ]
        # Hand-written pages at the top of docs_dir (a contributor guide, a privacy policy…).
        for path in sorted(settings.docs_dir.glob("*.md")):
            if path.name != "index.md":
                nav.append(path.name)
        return nav

    # -- files -----------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None
        catalog = self.catalog
        files = self._contributed_images(files, config)
        for article in catalog.hub.articles:
            file = files.src_uris.get(article.src_uri)
            if file is None:  # pragma: no cover - loader and MkDocs read the same folder
                raise PluginError(f"{article.source}: MkDocs did not find this article")
            file.dest_uri = article.url + "index.html"
            file.url = article.url if config.use_directory_urls else file.dest_uri
            if catalog.status(article) is None:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            else:
                file.inclusion = InclusionLevel.DRAFT
        in_nav = {urls.src_uri(url) for _, url in NAV_PAGES}
        for spec in self._specs.values():
            if (clash := files.src_uris.get(spec.src_uri)) is not None:
                raise PluginError(f"{clash_message(clash.src_uri, spec.url)}: {CLASH_HINT}")
            inclusion = (
                InclusionLevel.INCLUDED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            )
            files.append(
                File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion)
            )
        for image in self._partner_images():
            if files.get_file_from_path(image.url) is None:
                files.append(self._partner_image(config, image))
        files.append(File.generated(config, urls.MANIFEST, content=manifest_json(catalog)))
        registry = partner_registry_json(catalog)
        files.append(File.generated(config, urls.PARTNER_REGISTRY, content=registry))
        for static in [*short_link_pages(catalog), *qr_codes(catalog, self._qr_svg)]:
            files.append(File.generated(config, static.path, content=static.content))
        if self._cache is not None:
            self._content_keys = {
                a.src_uri: self._content_key(a, files) for a in catalog.hub.articles
            }
        self._keeper = self._start_keeper(config, files)
        if self._keeper is not None:
            files = self._reuse_pages(files, self._keeper)
        if self._old_site is not None:
            if self._keeper is not None:
                self._keeper.put_back(self._old_site, files)
            self._old_site.start_deleting()
        self._files = files
        return files

    def _qr_svg(self, text: str, title: str) -> str:
        """QR codes take 20 ms each to encode: kept between builds by what they encode."""
        if self._page_cache is None:
            return qr_svg(text, title)
        key = fingerprint("qr", module_versions("segno"), text, title)
        svg = self._page_cache.blob(key)
        if svg is None:
            svg = qr_svg(text, title)
            self._page_cache.keep_blob(key, svg)
        return svg

    def _contributed_images(self, files: Files, config: MkDocsConfig) -> Files:
        """What MkDocs found in the contributors' folders, as the site may have it: articles and
        allowed images only, each SVG filtered (MkDocs would copy any file there as it is)."""
        assert self.catalog is not None
        docs = self.catalog.settings.docs_dir
        folders = tuple(
            "" if folder == docs else folder.relative_to(docs).as_posix() + "/"
            for folder in contributor_folders(self.catalog.settings)
            if folder.is_relative_to(docs)
        )
        kept: list[File] = []
        for file in files:
            if not file.src_uri.startswith(folders) or file.src_uri in self._articles:
                kept.append(file)
            elif file.abs_src_path is None or file.generated_by is not None:
                kept.append(file)  # made by a plugin, not committed by a contributor
            elif image_type(file.src_uri) == SVG:
                svg = published_svg(Path(file.abs_src_path))
                if svg is not None:
                    kept.append(File.generated(config, file.src_uri, content=svg))
            elif may_publish(Path(file.abs_src_path)):
                kept.append(file)
        return Files(kept)

    def _partner_image(self, config: MkDocsConfig, image: Image) -> File:
        assert image.source is not None
        if image_type(image.source) != SVG:
            return File.generated(config, image.url, abs_src_path=str(image.source))
        svg = published_svg(image.source)
        if svg is None:  # pragma: no cover - hubgen check refuses it before a build starts
            raise PluginError(f"{image.source}: this SVG cannot be published")
        return File.generated(config, image.url, content=svg)

    def _partner_images(self) -> list[Image]:
        assert self.catalog is not None
        images: list[Image] = []
        for partner in self.catalog.partners:
            images.append(partner.logo)
            images += [p.photo for p in partner.people if p.photo is not None]
        return [image for image in images if image.is_local]

    # -- page cache ------------------------------------------------------------------------

    def _start_keeper(self, config: MkDocsConfig, files: Files) -> Keeper | None:
        assert self.catalog is not None
        if self._page_cache is None:
            return None
        if foreign := foreign_plugins(config, self):
            log.info(
                f"hubgen: every page is rendered (the page cache is off) because these plugins "
                f"may change pages in ways it cannot repeat: {', '.join(foreign)}"
            )
            return None
        signer = Signer(self.catalog, self._content_keys)
        # Hand-written pages are always rendered, but their titles appear in every page's nav.
        own_pages = sorted(
            (f.src_uri, fingerprint(f.content_string))
            for f in files
            if f.is_documentation_page() and f.generated_by is None
            and f.src_uri not in self._articles
        )  # fmt: skip
        installed = [Path(material.__file__).parent, Path(mkdocs.__file__).parent]
        try:
            salt = signer.signature(
                module_versions(*RENDERING_MODULES), code_digest(),
                config_data(config, installed), own_pages,
                self.catalog.settings, self.preview, self._tabs,
            )  # fmt: skip
        except Unsignable as error:
            log.info(f"hubgen: every page is rendered (the page cache is off): {error}")
            return None
        return Keeper(self._page_cache, signer, salt, search_entries(config))

    def _reuse_pages(self, files: Files, keeper: Keeper) -> Files:
        """``files`` with every page the cache holds unchanged replaced by its kept copy."""
        assert self.views is not None and self.catalog is not None
        hub = self.catalog.hub
        # Views are pure functions of the catalog: when nothing it is made of changed (the
        # articles with their statuses and bodies, the partners, and the salt), every page's
        # key is the one it was kept under, and no view needs computing to know it.
        keeper.hub = keeper.sign("hub", hub.articles, tuple(hub.partners.values()))
        unchanged = keeper.hub is not None and keeper.hub == keeper.cache.hub
        replaced: dict[str, File] = {}
        for file in files:
            if file.inclusion is not InclusionLevel.NOT_IN_NAV:
                continue  # nav pages (their neighbours, their active state) and drafts
            uri = file.src_uri
            if unchanged and (stored := keeper.cache.stored_key(uri)) is not None:
                replaced[uri] = keeper.reuse(file, stored, body=uri in self._articles)
                continue
            parts: tuple[object, ...]
            if (article := self._articles.get(uri)) is not None:
                view = self.views.article(article)
                parts = (self._article_meta(article), article)
            elif (spec := self._specs.get(uri)) is not None:
                view = self.views.page(spec)
                parts = (self._spec_meta(spec), spec)
            else:
                continue
            key = keeper.sign("page", uri, file.url, file.dest_uri, file.edit_uri, *parts, view)
            if key is not None:
                replaced[uri] = keeper.reuse(file, key, body=article is not None)
        keeper.signer.forget()
        if keeper.kept:
            # A new collection in the same order: file order is the search index's order.
            files = Files([replaced.get(f.src_uri, f) for f in files])
        return files

    # -- pages -----------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # hubgen parsed the front matter itself (MkDocs' parser silently ignores broken YAML),
        # so the page gets hubgen's meta and the body without front matter.
        article = self._articles.get(page.file.src_uri)
        if article is not None:
            page.meta = self._article_meta(article)
            return self._cached_or(article)
        spec = self._specs.get(page.file.src_uri)
        if spec is not None:
            page.meta = self._spec_meta(spec)
            return spec.markdown
        return markdown

    # MkDocs treats a page's title and meta as HTML and Material prints them unescaped (in <title>,
    # the header, <meta> attributes, the search index): partner text is escaped here, once.
    def _article_meta(self, article: Article) -> dict[str, Any]:
        return {
            "template": "hubgen/article.html",
            "title": escape(article.title),
            "description": escape(article.excerpt),
            "hide": self._hidden(toc=False),
            "hubgen_lastmod": (article.updated or article.date).date().isoformat(),
        }

    def _spec_meta(self, spec: PageSpec) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "template": spec.template,
            "title": escape(spec.title),
            "description": escape(spec.description),
            # Only profiles are long enough to need a table of contents.
            "hide": self._hidden(toc=spec.kind != "partner"),
            "hubgen_noindex": spec.kind in NOINDEX_KINDS,
        }
        if not spec.searchable:
            meta["search"] = {"exclude": True}
        return meta

    def _hidden(self, *, toc: bool) -> list[str]:
        """Material's ``hide`` meta: the nav sidebar only repeats the tabs when tabs are on."""
        return (["navigation"] if self._tabs else []) + (["toc"] if toc else [])

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.catalog is not None
        uri = page.file.src_uri
        if (cached := self._cache_hits.pop(uri, None)) is not None:
            page.toc = get_toc(cached.toc)  # type: ignore[arg-type]
            page.present_anchor_ids = set(cached.anchors)
            return cached.html
        spec = self._specs.get(uri)
        if uri in self._articles or (spec is not None and spec.kind == "partner"):
            # Partners write these pages: their HTML goes through the allow-list, whatever they typed.
            html = sanitize(html, self.catalog.settings.content_policy)
        if self._cache is not None and (key := self._cache_keys.get(uri)) is not None:
            anchors = sorted(page.present_anchor_ids or ())
            self._cache.put(key, Rendered(html, _toc_tokens(page.toc), anchors))
        return html

    # -- render cache ----------------------------------------------------------------------

    def _open_cache(self, config: MkDocsConfig, settings: HubSettings) -> None:
        self._cache = None
        self._cache_keys = {}
        self._cache_hits = {}
        self._cache_used = set()
        self._content_keys = {}
        self._keeper = None
        self._files = None
        if not self.config.cache:
            self._page_cache = None
            return
        # `serve` pages differ (drafts, the local site_url): each command keeps its own pages.
        pages = settings.root / self.config.cache_dir / ("serve" if self.preview else "build")
        if self._page_cache is None or self._page_cache.folder != pages:
            self._page_cache = PageCache(pages)
        extensions = [
            e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions
        ]
        salt = fingerprint(
            __version__, code_digest(), module_versions("mkdocs", "material"), extensions,
            config.mdx_configs, repr(settings.content_policy), config.use_directory_urls,
        )  # fmt: skip
        self._cache = RenderCache(settings.root / self.config.cache_dir / "articles", salt)

    def _content_key(self, article: Article, files: Files) -> str:
        """The render cache key of the article's body: its Markdown, URL and link targets."""
        assert self._cache is not None
        targets = []
        for link in local_links(article.body, article.src_uri):
            target = None if link.same_page else files.src_uris.get(link.uri)
            targets.append((link.uri, target.url if target is not None else ""))
        return self._cache.key(article.body, article.url, targets)

    def _cached_or(self, article: Article) -> str:
        """The body to render: empty when the cache already holds this article's HTML."""
        if self._cache is None:
            return article.body
        key = self._content_keys[article.src_uri]
        self._cache_used.add(key)
        cached = self._cache.get(key)
        if cached is None:
            self._cache_keys[article.src_uri] = key
            return article.body
        self._cache_hits[article.src_uri] = cached
        return ""  # MkDocs still "renders" the page: nothing to convert

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        context["hubgen"] = self._view(page)  # type: ignore[typeddict-unknown-key]
        return context

    def _view(self, page: Page) -> View | None:
        assert self.views is not None and self.catalog is not None
        uri = page.file.src_uri
        if (article := self._articles.get(uri)) is not None:
            return self.views.article(article)
        if (spec := self._specs.get(uri)) is not None:
            return self.views.page(spec)
        if uri.endswith(".md"):
            # The hub's own pages (a guide, a privacy policy) get the same social and search data.
            settings = self.catalog.settings
            description = (page.meta or {}).get("description") or settings.tagline
            plain = PageSpec(
                page.url, page.title or settings.name, "", "page", description=description
            )
            return self.views.page(plain)
        return None

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs leaves autoescaping off; hubgen's own templates show partner-written text,
        # so they are autoescaped (Material's templates keep MkDocs' behaviour).
        env.autoescape = _autoescape_hubgen_templates
        # Globals, not page context: static templates such as 404.html use them too.
        env.globals["hub"] = self.catalog
        env.globals["hub_views"] = self.views
        env.filters["hubgen_date"] = format_date
        env.filters["hubgen_network"] = network_label
        # Every page's Content-Security-Policy, by its base_url (themes/hubgen/main.html).
        settings = self.catalog.settings if self.catalog is not None else self.settings(config)
        self._csp = ThemePolicy(env, config, settings, preview=self.preview)
        env.globals["hubgen_csp"] = self._csp
        if self._page_cache is not None:
            # Compiling Material's templates takes longer than rendering a few dozen pages; the
            # cache checks each template's source, and the folder changes with hubgen's code
            # (the autoescape rule above is compiled into templates).
            folder = self._page_cache.folder.parent / f"jinja-{code_digest()[:16]}"
            if not folder.is_dir():
                for old in folder.parent.glob("jinja-*"):  # compiled by earlier code
                    shutil.rmtree(old, ignore_errors=True)
                folder.mkdir(parents=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.settings(config).partners_dir))
        server.watch(str(theme_dir()))
        return server

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "sitemap.xml" and self._files is not None:
            kept = self._keeper.kept if self._keeper is not None else {}
            context["hubgen_sitemap"] = list(sitemap(self._files, kept))  # type: ignore[typeddict-unknown-key]
        return context

    @event_priority(100)  # before the search plugin writes its index
    def _restore_search(self, *, config: MkDocsConfig) -> None:
        if self._keeper is not None and self._files is not None:
            self._keeper.restore_search(self._files)

    def _finish_build(self, *, config: MkDocsConfig) -> None:
        # 404.html is a static template: it skips on_post_page, so fix its chrome here.
        not_found = Path(config.site_dir) / "404.html"
        if not_found.is_file():
            not_found.write_text(valid_chrome(not_found.read_text("utf-8")), "utf-8")
        self._write_feeds(config)
        self._write_headers(config)
        if self._cache is not None:
            # Kept pages never asked for their bodies, which are still current.
            self._cache.prune(self._cache_used | set(self._content_keys.values()))
        if self._keeper is not None:
            self._keeper.finish()
        elif self._page_cache is not None:
            self._page_cache.save()
        self._cleared()
        if self.announce:
            log.info(self.summary(time.monotonic() - self._started, config.site_dir))

    on_post_build = CombinedEvent(_restore_search, _finish_build)

    def _write_headers(self, config: MkDocsConfig) -> None:
        """``_headers``: the policy allowing the theme scripts of every page of the site."""
        policy = None
        if self.config.headers_file and self._csp is not None and self._files is not None:
            # Every HTML file, not documentation_pages(): pages kept by the page cache are
            # copied files, and the header must not depend on which pages were kept.
            bases = {page_base_url(f.url) for f in self._files if f.dest_uri.endswith(".html")}
            bases.add(not_found_base_url(config.site_url or ""))
            policy = self._csp.policy(sorted(bases))
        write_headers(Path(config.site_dir), policy)

    # -- feeds -----------------------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._html = {}  # `serve` rebuilds with the same plugin instance
        if not self._dirty:
            # Right before MkDocs empties the site: unchanged pages are put back in on_files,
            # and another process deletes the rest meanwhile.
            self._old_site = set_aside(Path(config.site_dir))

    def _cleared(self) -> None:
        if self._old_site is not None:
            self._old_site.wait()
            self._old_site = None

    def on_build_error(self, *, error: Exception) -> None:
        self._cleared()

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # MkDocs renders each article's Markdown once; the feeds reuse that HTML exactly as every
        # on_page_content handler left it (a sanitiser, say). Read here, not in an
        # on_page_content of our own, which could silently replace another one on a merge.
        article = self._articles.get(page.file.src_uri)
        if article is not None and page.content is not None:
            self._html[article.url] = page.content
        if self._keeper is not None:
            self._keeper.rendered(page)
        return valid_chrome(output)

    def _write_feeds(self, config: MkDocsConfig) -> None:
        catalog = self.catalog
        assert catalog is not None
        settings = catalog.settings
        if not settings.feeds.enabled:
            return
        if not settings.site_url:
            log.info("hubgen: site_url is not set, so feed links are relative to the site root")
        rendered: Mapping[str, str] = self._html
        store = None
        if (keeper := self._keeper) is not None:
            kept = {
                self._articles[uri].url: entry.key
                for uri, entry in keeper.kept.items()
                if entry.body and uri in self._articles
            }
            rendered = Bodies(self._html, kept, keeper.cache)
            store = KeptFeeds(keeper, lambda: _newest(catalog, rendered))
        written = write_feeds(catalog, rendered, Path(config.site_dir), store)
        log.debug(f"hubgen: wrote {len(written)} feed files")

    def summary(self, seconds: float, site_dir: str) -> str:
        """``built 18 articles, 8 partners, 23 topics in 3.1 s → site/`` plus anything left out."""
        assert self.catalog is not None
        catalog = self.catalog
        text = (
            f"built {len(catalog.articles)} articles, {len(catalog.partners)} partners, "
            f"{len(catalog.topics)} topics in {seconds:.1f} s → {site_dir}"
        )
        if not self.preview and catalog.unpublished:
            left = ", ".join(f"{a.source} ({catalog.status(a)})" for a in catalog.unpublished)
            text += f"\nnot published: {left}"
        return text


def _toc_tokens(items: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    """A rendered page's table of contents back as Python-Markdown toc tokens (for the cache)."""
    return [
        {"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)}
        for i in items
    ]


def _newest(catalog: Catalog, rendered: Mapping[str, str]) -> object:
    return max((a.updated or a.date for a in public_articles(catalog, rendered)), default=None)
