"""The MkDocs adapter: thin ``on_*`` handlers gluing the engine-free core into a Material build."""

from __future__ import annotations

import importlib.metadata
import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs import __version__ as mkdocs_version
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from hubgen import __version__, urls
from hubgen.catalog import Catalog, build_time
from hubgen.config import HubgenConfig, hub_settings
from hubgen.feeds import write_feeds
from hubgen.htmlfix import valid_chrome
from hubgen.links import local_links
from hubgen.loader import load_hub
from hubgen.manifest import manifest_json, partner_registry_json
from hubgen.models import Article, Hub, HubSettings, Image
from hubgen.pages import NOINDEX_KINDS, PageSpec, generate_pages
from hubgen.problems import HubError
from hubgen.rendercache import RenderCache, Rendered, fingerprint
from hubgen.sanitize import sanitize
from hubgen.sharekit import qr_codes
from hubgen.shortlinks import short_link_pages
from hubgen.themes import theme_dir
from hubgen.views import View, Views, format_date, network_label

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
FILE_READING_EXTENSIONS = frozenset({"snippets", "include", "mdx_include", "markdown_include"})


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
        self.announce = True
        """Log the build summary; the CLI turns this off and prints its own."""

    # -- loading ---------------------------------------------------------------------------

    def settings(self, config: MkDocsConfig) -> HubSettings:
        return hub_settings(config, self.config)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` previews drafts and scheduled articles, marked as such; `build` never publishes them.
        self.preview = command == "serve"

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
        names = [
            e if isinstance(e, str) else type(e).__module__ for e in config.markdown_extensions
        ]
        reading = sorted({n for n in names if n.split(".")[-1] in FILE_READING_EXTENSIONS})
        if reading:
            raise PluginError(
                f"markdown_extensions: {', '.join(reading)} can read files from the build machine "
                "into a partner's article; remove it, or set content_policy.allow_file_includes: "
                "true if every contributor is fully trusted"
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
        for article in catalog.hub.articles:
            file = files.get_file_from_path(article.src_uri)
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
            if (clash := files.get_file_from_path(spec.src_uri)) is not None:
                raise PluginError(
                    f"{clash.src_uri} clashes with the page hubgen generates at /{spec.url}: "
                    "rename or move that file"
                )
            inclusion = (
                InclusionLevel.INCLUDED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            )
            files.append(
                File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion)
            )
        for image in self._partner_images():
            if files.get_file_from_path(image.url) is None:
                files.append(File.generated(config, image.url, abs_src_path=str(image.source)))
        files.append(File.generated(config, urls.MANIFEST, content=manifest_json(catalog)))
        registry = partner_registry_json(catalog)
        files.append(File.generated(config, urls.PARTNER_REGISTRY, content=registry))
        for static in [*short_link_pages(catalog), *qr_codes(catalog)]:
            files.append(File.generated(config, static.path, content=static.content))
        return files

    def _partner_images(self) -> list[Image]:
        assert self.catalog is not None
        images: list[Image] = []
        for partner in self.catalog.partners:
            images.append(partner.logo)
            images += [p.photo for p in partner.people if p.photo is not None]
        return [image for image in images if image.is_local]

    # -- pages -----------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # hubgen parsed the front matter itself (MkDocs' parser silently ignores broken YAML),
        # so the page gets hubgen's meta and the body without front matter.
        article = self._articles.get(page.file.src_uri)
        if article is not None:
            page.meta = {
                "template": "hubgen/article.html",
                "title": article.title,
                "description": article.excerpt,
                "hide": self._hidden(toc=False),
                "hubgen_lastmod": (article.updated or article.date).date().isoformat(),
            }
            return self._cached_or(article, files)
        spec = self._specs.get(page.file.src_uri)
        if spec is not None:
            page.meta = {
                "template": spec.template,
                "title": spec.title,
                "description": spec.description,
                # Only profiles are long enough to need a table of contents.
                "hide": self._hidden(toc=spec.kind != "partner"),
                "hubgen_noindex": spec.kind in NOINDEX_KINDS,
            }
            if not spec.searchable:
                page.meta["search"] = {"exclude": True}
            return spec.markdown
        return markdown

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
        if not self.config.cache:
            return
        extensions = [
            e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions
        ]
        salt = fingerprint(
            __version__, mkdocs_version, material_version(), extensions, config.mdx_configs,
            repr(settings.content_policy), config.use_directory_urls,
        )  # fmt: skip
        self._cache = RenderCache(settings.root / self.config.cache_dir, salt)

    def _cached_or(self, article: Article, files: Files) -> str:
        """The body to render: empty when the cache already holds this article's HTML."""
        if self._cache is None:
            return article.body
        targets = []
        for link in local_links(article.body, article.src_uri):
            target = None if link.same_page else files.get_file_from_path(link.uri)
            targets.append((link.uri, target.url if target is not None else ""))
        key = self._cache.key(article.body, article.url, targets)
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
        assert self.views is not None and self.catalog is not None
        view: View | None = None
        if (article := self._articles.get(page.file.src_uri)) is not None:
            view = self.views.article(article)
        elif (spec := self._specs.get(page.file.src_uri)) is not None:
            view = self.views.page(spec)
        elif page.file.src_uri.endswith(".md"):
            # The hub's own pages (a guide, a privacy policy) get the same social and search data.
            settings = self.catalog.settings
            description = (page.meta or {}).get("description") or settings.tagline
            plain = PageSpec(
                page.url, page.title or settings.name, "", "page", description=description
            )
            view = self.views.page(plain)
        context["hubgen"] = view  # type: ignore[typeddict-unknown-key]
        return context

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs leaves autoescaping off; hubgen's own templates show partner-written text,
        # so they are autoescaped (Material's templates keep MkDocs' behaviour).
        env.autoescape = _autoescape_hubgen_templates
        # Globals, not page context: static templates such as 404.html use them too.
        env.globals["hub"] = self.catalog
        env.globals["hub_views"] = self.views
        env.filters["hubgen_date"] = format_date
        env.filters["hubgen_network"] = network_label
        return env

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.settings(config).partners_dir))
        server.watch(str(theme_dir()))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # 404.html is a static template: it skips on_post_page, so fix its chrome here.
        not_found = Path(config.site_dir) / "404.html"
        if not_found.is_file():
            not_found.write_text(valid_chrome(not_found.read_text("utf-8")), "utf-8")
        self._write_feeds(config)
        if self._cache is not None:
            self._cache.prune(self._cache_used)
        if self.announce:
            log.info(self.summary(time.monotonic() - self._started, config.site_dir))

    # -- feeds -----------------------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._html = {}  # `serve` rebuilds with the same plugin instance

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # MkDocs renders each article's Markdown once; the feeds reuse that HTML exactly as every
        # on_page_content handler left it (a sanitiser, say). Read here, not in an
        # on_page_content of our own, which could silently replace another one on a merge.
        article = self._articles.get(page.file.src_uri)
        if article is not None and page.content is not None:
            self._html[article.url] = page.content
        return valid_chrome(output)

    def _write_feeds(self, config: MkDocsConfig) -> None:
        assert self.catalog is not None
        settings = self.catalog.settings
        if not settings.feeds.enabled:
            return
        if not settings.site_url:
            log.info("hubgen: site_url is not set, so feed links are relative to the site root")
        written = write_feeds(self.catalog, self._html, Path(config.site_dir))
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


def material_version() -> str:
    try:
        return importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"
