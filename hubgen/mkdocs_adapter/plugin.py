"""The MkDocs adapter: ``on_*`` handlers, in the order MkDocs calls them, that delegate.

The hub is loaded and its pages specified by the engine-free core (``hubgen.load``,
``hubgen.site``); the files MkDocs is given come from :mod:`hubgen.mkdocs_adapter.hubfiles`;
everything a rebuild may reuse goes through one :class:`hubgen.cache.build.BuildCache`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from hubgen.cache import keys, prerender
from hubgen.cache.build import BuildCache, PageInputs
from hubgen.cms.bundle import BundleError
from hubgen.cms.publish import publish_admin
from hubgen.core import urls
from hubgen.core.models import Article, Hub, HubSettings, Partner
from hubgen.core.problems import HubError, Problems
from hubgen.core.sanitize import sanitize
from hubgen.load import textmemo
from hubgen.load.loader import load_hub
from hubgen.mkdocs_adapter import heap, themetexts
from hubgen.mkdocs_adapter.blankrender import render_blank_quickly
from hubgen.mkdocs_adapter.config import HubgenConfig, cms_settings, hub_settings
from hubgen.mkdocs_adapter.fragments import Fragments, families_overridden, nav_key
from hubgen.mkdocs_adapter.htmlfix import valid_chrome
from hubgen.mkdocs_adapter.hubfiles import default_nav, hub_files
from hubgen.mkdocs_adapter.searchindex import (
    SearchIndex,
    disable_material_search,
    page_search_record,
)
from hubgen.mkdocs_adapter.servewatch import BuildGate
from hubgen.mkdocs_adapter.templatespace import CompactTemplates
from hubgen.mkdocs_adapter.themecsp import ThemePolicy, page_base_url
from hubgen.mkdocs_adapter.themes import theme_dir, with_material_prefix
from hubgen.site.buildrules import FILE_INCLUDE_HINT, file_include_message, file_reading_extensions
from hubgen.site.catalog import Catalog, build_time
from hubgen.site.csp import not_found_base_url, write_headers
from hubgen.site.feeds import write_feeds
from hubgen.site.hostlimits import Host, SiteSize, host_problems, measure_beside
from hubgen.site.pagedata import PageKind
from hubgen.site.pages import NOINDEX_KINDS, PageSpec, generate_pages
from hubgen.site.views import View, Views, format_date, network_label

if TYPE_CHECKING:  # imported by `mkdocs serve` alone: 20 ms of every build's start otherwise
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.hubgen")

HUBGEN_TEMPLATES = ("hubgen/", "partials/hubgen/")
TEXTS_FILE = "texts.marshal"
"""In the cache folder: what loading read from each text (see hubgen.load.textmemo)."""


def _autoescape_hubgen_templates(name: str | None) -> bool:
    return name is not None and name.startswith(HUBGEN_TEMPLATES)


class HubgenPlugin(BasePlugin[HubgenConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.preview = False
        """`serve` previews drafts and scheduled articles, marked as such; `build` never does."""
        self.preloaded: Hub | None = None
        """A hub the CLI already loaded and checked, so the build does not load it again."""
        self.announce = True
        """Log the build summary; the CLI turns this off and prints its own."""
        self.catalog: Catalog | None = None
        self.views: Views | None = None
        self.cache = BuildCache()
        self.search = SearchIndex()
        self._articles: dict[str, Article] = {}
        self._specs: dict[str, PageSpec] = {}
        self._files: Files | None = None
        self._csp: ThemePolicy | None = None
        self._fragments: Fragments | None = None
        self._tabs = False
        self._material_search_was_on = False
        self._dirty = False
        self._started = 0.0
        self.jobs: int | None = None
        """Worker processes for article bodies (``--jobs``); None: ``HUBGEN_JOBS`` or every CPU."""
        self._jobs = 1
        self._gate = BuildGate()
        self._watcher: Any = None
        """``mkdocs serve``'s file watcher, whose polls wait while a build runs."""

    def settings(self, config: MkDocsConfig) -> HubSettings:
        return hub_settings(config, self.config)

    # -- before the pages --------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.preview = command == "serve"
        self._dirty = dirty
        # `serve` loads the hub again on every rebuild, mostly unchanged; `build` loads it once.
        textmemo.remember_across_loads(self.preview)

    @event_priority(100)
    def _silence_material_search(self, config: MkDocsConfig) -> None:
        """Before Material's search plugin reads its config: switched off, its ``on_config``
        returns at once (it would build its theme's Jinja environment three times to translate
        its defaults, ~40 ms of every build)."""
        self._material_search_was_on = self.config.search and disable_material_search(config)

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self._started = time.monotonic()
        heap.begin(preview=self.preview)
        if self._watcher is not None:
            self._gate.hold(self._watcher)  # watches added after on_serve, too
            self._gate.building()
        settings = self.settings(config)
        self.catalog = Catalog(
            self._hub(settings), build_time(settings.timezone), preview=self.preview
        )
        self.views = Views(self.catalog)
        self._articles = {a.src_uri: a for a in self.catalog.hub.articles}
        self._specs = {spec.src_uri: spec for spec in generate_pages(self.catalog)}
        self._refuse_file_includes(config)
        try:
            self._jobs = prerender.resolve_jobs(self.jobs)
        except prerender.JobsError as error:
            raise PluginError(str(error)) from None
        folder = self._cache_folder(settings)
        self.cache.open(folder, config, settings, preview=self.preview)
        self._open_search(config, folder)
        # After the user's custom_dir (their overrides win), before Material's own templates.
        if (overrides := str(theme_dir())) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        self._tabs = "navigation.tabs" in (config.theme.get("features") or [])
        if config.nav is None:
            config.nav = default_nav(settings)
        heap.hold()  # the hub, its pages' specs, the caches opened
        return config

    on_config = CombinedEvent(_silence_material_search, _configure)

    def _open_search(self, config: MkDocsConfig, folder: Path | None) -> None:
        self.search.close()
        if not self.config.search:
            return
        if self._material_search_was_on:
            log.info(
                "hubgen: Material's search plugin is switched off: hubgen builds the site search "
                "(remove '- search' from plugins in mkdocs.yml)"
            )
        mode = "serve" if self.preview else "build"
        staged = folder / f"search-{mode}" if folder is not None else None
        self.search.open(
            staged,
            language=self.settings(config).language,
            pages_per_part=self.config.search_pages_per_part,
        )

    def _cache_folder(self, settings: HubSettings) -> Path | None:
        return settings.root / self.config.cache_dir if self.config.cache else None

    def load(self, settings: HubSettings) -> tuple[Hub, Problems]:
        """Load the hub, taking what the last build read from each unchanged text (front
        matter, word counts) from the cache folder, and keeping there what this one read."""
        folder = self._cache_folder(settings)
        texts = folder / TEXTS_FILE if folder is not None else None

        def partners_loaded(partners: Mapping[str, Partner]) -> None:
            self.cache.draw_qr_codes_ahead(
                folder, settings, partners.values(), preview=self.preview
            )

        with textmemo.kept_between_builds(texts, keys.text_salt()):
            hub, problems = load_hub(settings, partners_loaded=partners_loaded)
        if problems.errors:  # no build follows
            self.cache.stop_qr_codes()
        return hub, problems

    def _hub(self, settings: HubSettings) -> Hub:
        hub, self.preloaded = self.preloaded, None
        if hub is None or hub.settings != settings:
            hub, problems = self.load(settings)
            if problems.errors:
                # Raised before MkDocs cleans site_dir, so a broken hub never wipes a good site.
                raise PluginError(str(HubError(problems.errors)))
        return hub

    def _refuse_file_includes(self, config: MkDocsConfig) -> None:
        if self.config.content_policy.allow_file_includes:
            return
        # The same rule `hubgen check` applies (hubgen.site.buildrules), so both agree.
        reading = file_reading_extensions(config.markdown_extensions)
        if reading:
            raise PluginError(
                f"markdown_extensions: {file_include_message(reading)}; {FILE_INCLUDE_HINT}"
            )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self._dirty:
            self.cache.set_aside(Path(config.site_dir))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None
        # The card workers start first: they draw while the hub's files are made here.
        cards = self.cache.social_cards(config, self.catalog, self._jobs)
        files = hub_files(files, config, self.catalog, self._specs.values(), self.cache.qr_svg)
        for card in cards:
            files.append(card)
        files = self.cache.reuse(
            files, config, self.catalog, self, self._page_inputs, self.search.published()
        )
        self._files = files
        heap.hold()  # the files, the page cache's entries
        return files

    def _page_inputs(self, src_uri: str) -> PageInputs | None:
        """What a generated page's cache key signs: its meta, what it shows and its view."""
        assert self.views is not None
        if (article := self._articles.get(src_uri)) is not None:
            return PageInputs(self._article_meta(article), article, self.views.article(article))
        if (spec := self._specs.get(src_uri)) is not None:
            return PageInputs(self._spec_meta(spec), spec, self.views.page(spec))
        return None

    @event_priority(-100)  # after every other plugin's: the files and pages are final
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Article bodies in worker processes, into the render cache the page loop reads.
        assert self.catalog is not None
        if self._jobs < 2:
            return nav
        if foreign := prerender.foreign_page_handlers(config.plugins, self):
            log.debug(f"hubgen: article bodies render in one process because of {foreign}")
            return nav
        started = time.monotonic()
        policy = self.catalog.settings.content_policy
        # The page loop starts at once and renders bodies the workers have not got to yet.
        count = self.cache.prerender(files, config, self._articles, policy, self._jobs)
        if count:
            log.debug(
                f"hubgen: {count} article bodies to render, {self._jobs - 1} worker processes "
                f"beside the page loop (started in {time.monotonic() - started:.1f} s)"
            )
        return nav

    # -- each page: Markdown, then HTML ------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # hubgen parsed the front matter itself (MkDocs' parser silently ignores broken YAML),
        # so the page gets hubgen's meta and the body without front matter.
        article = self._articles.get(page.file.src_uri)
        if article is not None:
            page.meta = self._article_meta(article)
            render_blank_quickly(page)
            return self.cache.markdown(article)
        spec = self._specs.get(page.file.src_uri)
        if spec is not None:
            page.meta = self._spec_meta(spec)
            render_blank_quickly(page)
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
            # Profiles lay out their own sections (the side column): no table of contents.
            "hide": self._hidden(toc=True),
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
        if (kept := self.cache.kept_content(page)) is not None:
            return kept
        if self.cache.streamed(page):
            return html  # nothing yet: the body comes in on_page_context (BuildCache.fill)
        uri = page.file.src_uri
        spec = self._specs.get(uri)
        if uri in self._articles or (spec is not None and spec.kind is PageKind.PARTNER):
            # Partners write these pages: their HTML goes through the allow-list, whatever they typed.
            html = sanitize(html, self.catalog.settings.content_policy)
        self.cache.store_content(page, html)
        return html

    # -- themes: the environment, static templates, then each page ---------------------------

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs leaves autoescaping off; hubgen's own templates show partner-written text,
        # so they are autoescaped (Material's templates keep MkDocs' behaviour).
        env.autoescape = _autoescape_hubgen_templates
        env.add_extension(CompactTemplates)
        # Globals, not page context: static templates such as 404.html use them too.
        env.globals["hub"] = self.catalog
        env.globals["hub_views"] = self.views
        env.globals["hubgen_urls"] = urls  # templates link to pages by the one URL scheme
        env.filters["hubgen_date"] = format_date
        env.filters["hubgen_network"] = network_label
        hubs_own = self._hubs_own_theme_dirs(config)
        if drawn_every_time := families_overridden(hubs_own):
            log.debug(
                f"hubgen: theme overrides of templates these fragments render, so they are drawn "
                f"on every page: {', '.join(sorted(drawn_every_time))}"
            )
        self._fragments = fragments = Fragments(
            env.filters["url"], drawn_every_time=drawn_every_time
        )
        env.filters["url"] = fragments.url  # records the URLs of fragments being drawn
        env.globals["hubgen_fragment"] = fragments.fragment
        env.globals["hubgen_nav_key"] = nav_key
        env.loader = with_material_prefix(env.loader)
        env.globals[themetexts.GLOBAL] = themetexts.ThemeTexts(env, config.theme["language"])
        # Every page's Content-Security-Policy, by its base_url (themes/hubgen/main.html).
        settings = self.catalog.settings if self.catalog is not None else self.settings(config)
        self._csp = ThemePolicy(
            env, config, settings, preview=self.preview, wasm=self.config.search
        )
        env.globals["hubgen_search"] = self.config.search  # the header's search box
        env.globals["hubgen_csp"] = self._csp
        if (compiled := self.cache.template_folder()) is not None:
            env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
        # The page loop starts next: each part of the search index is indexed once written.
        self.search.plan(files, self._renders)
        return env

    @staticmethod
    def _hubs_own_theme_dirs(config: MkDocsConfig) -> list[Path]:
        """The theme folders searched before hubgen's: the hub's ``custom_dir``."""
        dirs = [Path(folder) for folder in config.theme.dirs]
        ours = theme_dir()
        return dirs[: dirs.index(ours)] if ours in dirs else []

    def _renders(self, file: File) -> bool:
        """Whether the page loop renders ``file``'s page (drafts only under `serve`)."""
        inclusion = file.inclusion
        return bool(inclusion.is_in_serve() if self.preview else inclusion.is_included())  # type: ignore[no-untyped-call]

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "sitemap.xml" and self._files is not None:
            context["hubgen_sitemap"] = self.cache.sitemap(self._files)  # type: ignore[typeddict-unknown-key]
        return context

    @event_priority(100)  # the body first, for every other handler and the template
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if (article := self._articles.get(page.file.src_uri)) is not None:
            self.cache.fill(page, article)  # a body workers rendered meanwhile, or render it now
        context["hubgen"] = self._view(page)  # type: ignore[typeddict-unknown-key]
        return context

    def _view(self, page: Page) -> View | None:
        assert self.views is not None and self.catalog is not None
        uri = page.file.src_uri
        if (inputs := self._page_inputs(uri)) is not None:
            self.cache.sign(page.file, inputs)
            return inputs.view
        if uri.endswith(".md"):
            # The hub's own pages (a guide, a privacy policy) get the same social and search data.
            settings = self.catalog.settings
            description = (page.meta or {}).get("description") or settings.tagline
            plain = PageSpec(
                page.url, page.title or settings.name, "", PageKind.PAGE, description=description
            )
            return self.views.page(plain)
        return None

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Read here, not in an on_page_content of our own, which could silently replace another
        # one on a merge: the feeds take each article's HTML as every handler left it.
        article = self._articles.get(page.file.src_uri)
        self.cache.written(page, article)
        if self.search.enabled and self.catalog is not None:
            spec = self._specs.get(page.file.src_uri)
            self.search.written(page, page_search_record(self.catalog, page, article, spec))
        return valid_chrome(output)

    # -- after the pages ---------------------------------------------------------------------

    @event_priority(100)  # before the search plugin writes its index
    def _restore_search(self, *, config: MkDocsConfig) -> None:
        if self._files is not None:
            self.cache.restore_search(self._files)

    def _finish_build(self, *, config: MkDocsConfig) -> None:
        self.cache.finish_stream()  # the page loop is over: body workers have nothing left
        if self._fragments is not None:
            self._fragments.forget()
        heap.hold()  # the pages written, for the feeds, the sitemap and the search's merge
        # 404.html is a static template: it skips on_post_page, so fix its chrome here.
        not_found = Path(config.site_dir) / "404.html"
        if not_found.is_file():
            not_found.write_text(valid_chrome(not_found.read_text("utf-8")), "utf-8")
        self.search.complete(self._files or ())  # Pagefind runs while the feeds are written
        self._write_feeds(config)  # while a worker still draws the last cards
        self._write_headers(config)
        self._publish_admin(config)
        self.cache.finish_cards()  # drawn by a worker while the pages and the feeds were written
        self.cache.finish()  # after the feeds read kept bodies; while Pagefind still runs
        # Measured while the search index is merged, but for the index's own folder.
        site_size = (
            None if self.preview else measure_beside(Path(config.site_dir), urls.SEARCH_BUNDLE)
        )
        self.search.finish(Path(config.site_dir))
        self.search.close()
        if site_size is not None:
            self._check_host(site_size())
        if self.announce:
            log.info(self.summary(time.monotonic() - self._started, config.site_dir))
        self._build_ended()

    on_post_build = CombinedEvent(_restore_search, _finish_build)

    def _write_feeds(self, config: MkDocsConfig) -> None:
        assert self.catalog is not None
        if not self.catalog.settings.feeds.enabled:
            return
        if not self.catalog.settings.site_url:
            log.info("hubgen: site_url is not set, so feed links are relative to the site root")
        bodies, kept_feeds = self.cache.article_bodies(self.catalog)
        written = write_feeds(self.catalog, bodies, Path(config.site_dir), kept_feeds)
        log.debug(f"hubgen: wrote {len(written)} feed files")

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

    def _publish_admin(self, config: MkDocsConfig) -> None:
        """``/admin/``: the browser editor, once the organiser names the hub's repository."""
        cms = cms_settings(self.config)
        if not cms.enabled or self.catalog is None:
            return
        site = Path(config.site_dir)
        try:
            publish_admin(site, self.catalog.hub, cms, extra_css=list(config.extra_css))
        except BundleError as error:
            raise PluginError(f"hubgen cms: {error}") from None

    def _check_host(self, size: SiteSize) -> None:
        """Warn while a growing site still fits its host (``host``), not when a deploy fails."""
        for problem in host_problems(size, Host(self.config.host)):
            log.warning(f"hubgen: {problem}")

    def on_build_error(self, *, error: Exception) -> None:
        self.cache.stop_qr_codes()
        self.cache.stop_stream()
        self.cache.stop_cards()
        self.search.close()
        self.cache.cleared()
        self._build_ended()

    def _build_ended(self) -> None:
        self._gate.built()
        if self.preview:  # `mkdocs serve`: the process waits for the next rebuild
            heap.settle_later()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self.settings(config).partners_dir))
        server.watch(str(theme_dir()))
        self._watcher = server.observer
        self._gate.hold(self._watcher)
        return server

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
