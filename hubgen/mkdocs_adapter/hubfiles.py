"""What a hub gives MkDocs to build: its files (generated pages, images, data) and default nav."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from hubgen.core import urls
from hubgen.core.models import HubSettings, Image
from hubgen.load.contributed import contributor_folders, may_publish, published_svg
from hubgen.load.images import SVG, image_type
from hubgen.site.buildrules import CLASH_HINT, clash_message
from hubgen.site.catalog import Catalog
from hubgen.site.colors import accent_rules
from hubgen.site.manifest import manifest_json, partner_registry_json
from hubgen.site.pages import PageSpec
from hubgen.site.sharekit import qr_codes
from hubgen.site.shortlinks import short_link_pages

# Pages reachable from the default navigation; every other generated page stays out of the nav
# (MkDocs renders the whole nav into every page, so listing articles there makes builds quadratic).
NAV_PAGES = (
    ("Home", urls.HOME), ("Articles", urls.ARTICLES), ("Partners", urls.PARTNERS),
    ("Topics", urls.TOPICS), ("About", urls.ABOUT), ("Contact", urls.CONTACT),
)  # fmt: skip


def default_nav(settings: HubSettings) -> list[Any]:
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


def hub_files(
    files: Files,
    config: MkDocsConfig,
    catalog: Catalog,
    specs: Iterable[PageSpec],
    qr_svg: Callable[[str, str], str],
) -> Files:
    """``files`` as the site may have them, plus every page and file the hub generates."""
    files = _contributed_files(files, config, catalog)
    _place_articles(files, config, catalog)
    in_nav = {urls.src_uri(url) for _, url in NAV_PAGES}
    for spec in specs:
        if (clash := files.src_uris.get(spec.src_uri)) is not None:
            raise PluginError(f"{clash_message(clash.src_uri, spec.url)}: {CLASH_HINT}")
        inclusion = InclusionLevel.INCLUDED if spec.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
        files.append(
            File.generated(config, spec.src_uri, content=spec.markdown, inclusion=inclusion)
        )
    for image in _partner_images(catalog):
        if files.get_file_from_path(image.url) is None:
            files.append(_partner_image(config, image))
    files.append(File.generated(config, urls.MANIFEST, content=manifest_json(catalog)))
    registry = partner_registry_json(catalog)
    files.append(File.generated(config, urls.PARTNER_REGISTRY, content=registry))
    for static in [*short_link_pages(catalog), *qr_codes(catalog, qr_svg)]:
        files.append(File.generated(config, static.path, content=static.content))
    _add_accents(files, config, catalog)
    return _articles_last(files, catalog)


def _articles_last(files: Files, catalog: Catalog) -> Files:
    """``files`` with the articles after every other page: MkDocs' page loop renders pages in
    this order, so the lists, partners and topics render first while worker processes convert
    the articles' bodies (:mod:`hubgen.cache.prerender`), and the loop reaches an article whose
    body is still to convert only near the end, if at all. The same order in a one-process
    build: the sitemap and the search index list pages in it."""
    articles = {article.src_uri for article in catalog.hub.articles}
    first = [file for file in files if file.src_uri not in articles]
    return Files(first + [file for file in files if file.src_uri in articles])


def _add_accents(files: Files, config: MkDocsConfig, catalog: Catalog) -> None:
    """The partners' accent classes (``hg-brand-…``), appended to the theme's stylesheet: the
    pages name a class where each card and byline carried its five colours inline, and no page
    waits for one more stylesheet."""
    theme_css = files.get_file_from_path(urls.THEME_STYLESHEET)
    if theme_css is None:  # pragma: no cover - the hubgen theme always has it
        return
    rules = accent_rules(p.color for p in catalog.hub.partners.values())
    css = theme_css.content_string.rstrip("\n") + "\n/* Partner accents (generated) */\n" + rules
    files.remove(theme_css)
    files.append(File.generated(config, urls.THEME_STYLESHEET, content=css))


def _place_articles(files: Files, config: MkDocsConfig, catalog: Catalog) -> None:
    for article in catalog.hub.articles:
        file = files.src_uris.get(article.src_uri)
        if file is None:  # pragma: no cover - loader and MkDocs read the same folder
            raise PluginError(f"{article.source}: MkDocs did not find this article")
        file.dest_uri = urls.html_file(article.url)
        file.url = article.url if config.use_directory_urls else file.dest_uri
        if catalog.status(article) is None:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        else:
            file.inclusion = InclusionLevel.DRAFT


def _contributed_files(files: Files, config: MkDocsConfig, catalog: Catalog) -> Files:
    """What MkDocs found in the contributors' folders, as the site may have it: articles and
    allowed images only, each SVG filtered (MkDocs would copy any file there as it is)."""
    docs = catalog.settings.docs_dir
    articles = {a.src_uri for a in catalog.hub.articles}
    folders = tuple(
        "" if folder == docs else folder.relative_to(docs).as_posix() + "/"
        for folder in contributor_folders(catalog.settings)
        if folder.is_relative_to(docs)
    )
    kept: list[File] = []
    for file in files:
        if not file.src_uri.startswith(folders) or file.src_uri in articles:
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


def _partner_image(config: MkDocsConfig, image: Image) -> File:
    assert image.source is not None
    if image_type(image.source) != SVG:
        return File.generated(config, image.url, abs_src_path=str(image.source))
    svg = published_svg(image.source)
    if svg is None:  # pragma: no cover - hubgen check refuses it before a build starts
        raise PluginError(f"{image.source}: this SVG cannot be published")
    return File.generated(config, image.url, content=svg)


def _partner_images(catalog: Catalog) -> list[Image]:
    images: list[Image] = []
    for partner in catalog.partners:
        images.append(partner.logo)
        images += [p.photo for p in partner.people if p.photo is not None]
    return [image for image in images if image.is_local]
