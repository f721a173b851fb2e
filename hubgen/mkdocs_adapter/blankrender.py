"""Skip MkDocs' Markdown set-up for a page with nothing to convert.

Most of a hub's pages reach MkDocs' ``Page.render`` with an empty body: the listings and
profiles are all template, and an article's body usually comes from the render cache or a
worker. ``Page.render`` still builds a Markdown instance with every configured extension for
each of them (a third of a millisecond, 1.3 s of a 5,000-page build) to convert nothing, as
Python-Markdown returns ``""`` for a blank source before running any extension.

:func:`render_blank_quickly` gives such a page a ``render`` that sets exactly what MkDocs' sets
for a blank source, and calls MkDocs' own when the body is not blank by then (a plugin after
hubgen may have given it one).
"""

from __future__ import annotations

from types import MethodType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hubgen.cache.bodyconvert import set_rendered


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    if page.markdown is None or page.markdown.strip():
        Page.render(page, config, files)
        return
    set_rendered(page, "", [], None, set(), {})  # what Page.render leaves for a blank source


def render_blank_quickly(page: Page) -> None:
    """Give ``page`` (for this build only: MkDocs makes its pages afresh each build) a
    ``render`` that skips the Markdown set-up when its body is blank."""
    page.render = MethodType(_render, page)  # type: ignore[method-assign]
