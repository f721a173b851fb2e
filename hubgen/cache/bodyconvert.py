"""Article bodies converted by one Markdown instance per process, where that is safe.

MkDocs' ``Page.render`` makes a Markdown instance with every configured extension for each
page: a quarter of a millisecond of the two an article's body takes to convert, 0.8 s of CPU in
a 3,000-article build. Python-Markdown converts any number of documents with one instance when
``Markdown.reset()`` runs between them and every extension resets what it keeps of a document
(footnotes, abbreviations, the table of contents): an extension that did not would carry one
partner's definitions into the next partner's article.

:func:`render` therefore keeps an instance only when every configured extension is one of
:data:`RESETTING` (each checked to reset its state, and tested: a body converted after others
is the body converted alone); it registers MkDocs' own per-page processors on it afresh, as
``Page.render`` does, and sets what ``Page.render`` sets. Any other configuration, or a MkDocs
without those processors, gets ``Page.render`` itself. The kept instance's slowest
expressions are prefiltered (:mod:`hubgen.core.markdownprefilter`): the same HTML, a third less
time.
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from hubgen.core.markdownprefilter import prefilter

RESETTING = frozenset(
    {
        # MkDocs' own three (always configured) and the ones hubgen's hubs use.
        "toc",
        "tables",
        "fenced_code",
        "admonition",
        "attr_list",
        "pymdownx.details",
        "pymdownx.superfences",
        # Python-Markdown's others that keep nothing of a document, or reset what they keep.
        "def_list",
        "footnotes",
        "md_in_html",
        "sane_lists",
        "smarty",
        "nl2br",
        "meta",
    }
)
"""Extensions known to keep nothing of one document for the next (after ``reset()``). Not
``abbr``: before Python-Markdown 3.7 (hubgen allows 3.6) it kept a document's abbreviations."""

_PER_PAGE = (
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_RelativePathTreeprocessor",
    "_ExtractTitleTreeprocessor",
)
"""MkDocs' processors that ``Page.render`` registers for each page (MkDocs 1.6)."""

_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
"""The logger whose level decides whether ``Page.render`` keeps a page's anchor links."""

_held: tuple[MkDocsConfig, markdown.Markdown | None] | None = None
"""The build's configuration and its instance (None: convert with ``Page.render``); a new
configuration (the next build under ``mkdocs serve``) replaces both."""


def reusable(config: MkDocsConfig) -> bool:
    """Whether bodies converted with ``config`` may share one Markdown instance."""
    extensions = config["markdown_extensions"]
    return all(isinstance(name, str) and name in RESETTING for name in extensions) and all(
        hasattr(mkdocs_pages, name) for name in _PER_PAGE
    )


def _converter(config: MkDocsConfig) -> markdown.Markdown | None:
    global _held
    if _held is None or _held[0] is not config:
        md = (
            markdown.Markdown(
                extensions=config["markdown_extensions"],
                extension_configs=config["mdx_configs"] or {},
            )
            if reusable(config)
            else None
        )
        if md is not None:
            prefilter(md)
        _held = (config, md)
    return _held[1]


def render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Convert ``page.markdown`` and set the page's content, toc, title from the body and
    anchors exactly as ``Page.render`` does."""
    md = _converter(config)
    if md is None or page.markdown is None:
        page.render(config, files)
        return
    processors: Any = mkdocs_pages  # private to MkDocs: checked to exist by reusable()
    raw_html = processors._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = processors._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = processors._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = processors._ExtractTitleTreeprocessor()
    title._register(md)
    md.reset()
    set_rendered(
        page,
        md.convert(page.markdown),
        getattr(md, "toc_tokens", []),
        title.title,
        anchors.present_anchor_ids | raw_html.present_anchor_ids,
        relative.links_to_anchors,
    )


def set_rendered(
    page: Page,
    content: str,
    toc_tokens: list[Any],
    title: str | None,
    anchor_ids: set[str],
    links_to_anchors: dict[Any, dict[str, str]],
) -> None:
    """Set on ``page`` what ``Page.render`` sets from a conversion (mkdocs/structure/pages.py,
    MkDocs 1.6): the one place hubgen mirrors it."""
    page.content = content
    page.toc = get_toc(toc_tokens)
    page._title_from_render = title
    page.present_anchor_ids = anchor_ids
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = links_to_anchors
