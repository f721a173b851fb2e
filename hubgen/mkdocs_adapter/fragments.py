"""Template fragments drawn once per build, then placed on every page that shows them.

An article's card is the same on every listing and every "Related articles" section but for
its links, which MkDocs makes relative to the page (the ``url`` filter). A hub of 3,000
articles shows 28,000 cards, and drawing one through Jinja (its byline, logos, date) takes a
tenth of a millisecond: 3 s of a build, for the same few thousand cards.

:meth:`Fragments.fragment` draws a fragment the first time with the ``url`` filter recording
the URLs it is given instead of resolving them, and keeps the text between them. Each page
then gets the kept text with the URLs resolved for it, as the filter would have, once per page
and URL. A resolved URL is put in as it is only when it is plain (relative paths are), as
escaping or ``tojson`` after the filter would leave it; for a page with any other, the fragment
is drawn there.

A fragment's key is a tuple whose first item names its family (``"article_card"``, ``"nav"``…)
and whose rest names everything it shows but its URLs (see the macros in
``themes/hubgen/partials/hubgen/macros.html``); the hub, its views and filters are the same for
the whole build. The markers the URLs are recorded as carry a secret made per build, so no
text written into a fragment can pass for one.

What a family shows is known for hubgen's and Material's templates only. A hub's own theme
folder (``theme.custom_dir``) overriding a template a family renders (:data:`RENDERED`: a
footer showing a share link to the page, a logo by ``base_url``) may show more of the page than
the key names, so that family is drawn on every page (:func:`families_overridden`); so is every
fragment when another plugin has replaced the ``url`` filter since.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import url_filter as mkdocs_url_filter

UrlFilter = Callable[[Context, Any], str]

_CARD = frozenset({"partials/hubgen/macros.html"})
_FORM = frozenset({"partials/hubgen/form.html"})
_HEADER = frozenset({"partials/header.html", "partials/logo.html"})
_HEADER_END = _HEADER | {
    "partials/palette.html",
    "partials/javascripts/palette.html",
    "partials/alternate.html",
    "partials/search.html",
    "partials/hubgen/search.html",
    "partials/source.html",
    "partials/tabs.html",
    "partials/tabs-item.html",
}
_NAV = {"partials/nav.html", "partials/nav-item.html", "partials/logo.html", "partials/source.html"}
_FOOTER = {"partials/footer.html", "partials/copyright.html", "partials/social.html"}
RENDERED: dict[str, frozenset[str]] = {
    "article_card": _CARD,
    "partner_card": _CARD,
    "form-start": _FORM,
    "form-end": _FORM,
    "search": frozenset({"partials/hubgen/search.html"}),
    "header-start": _HEADER,
    "header-end": _HEADER_END,
    "nav": frozenset({*_NAV, "partials/toc.html", "partials/toc-item.html"}),
    "tabs": frozenset({"base.html", "partials/tabs.html", "partials/tabs-item.html"}),
    "config": frozenset({"base.html", "partials/language.html"}),
    "styles": frozenset({"base.html", "partials/icons.html"}),
    "footer": frozenset({"base.html", *_FOOTER}),
    "top": frozenset({"partials/top.html"}),
}
"""The templates each family of fragments renders (its macro's or block's, and what they
include), besides SVG icons."""


def families_overridden(theme_dirs: Iterable[Path]) -> frozenset[str]:
    """The families that render a template one of ``theme_dirs`` (the hub's own theme folders,
    searched before hubgen's) overrides: drawn on every page."""
    overridden = {
        name for folder in theme_dirs for names in RENDERED.values() for name in names
        if (folder / name).is_file()
    }  # fmt: skip
    return frozenset(family for family, names in RENDERED.items() if names & overridden)


_PLAIN_URL = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$()*+,;=%-]*")
"""A URL that escaping, JSON and the like leave as it is (no ``& < > " '``, no space, no
non-ASCII): one the kept text can take as the filter gave it, whatever the template did next."""


_SIMPLE_PATH = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*[A-Za-z0-9_~-][A-Za-z0-9._~-]*/?")
"""A relative path of plain names (none ``.`` or ``..``, no query, no fragment): what MkDocs'
``url`` filter makes of it depends only on the folders it shares with the page's."""


def sibling_class(page_url: str) -> tuple[str, int] | None:
    """The pages whose URLs MkDocs' ``url`` filter resolves alike, for every simple path outside
    the page's own folder (:func:`within`): those in the same parent folder, at the same depth.
    None for a page URL this does not cover (the home page, a file, anything not simple)."""
    if not _SIMPLE_PATH.fullmatch(page_url) or not page_url.endswith("/"):
        return None
    parent, _, _ = page_url[:-1].rpartition("/")
    return parent, page_url.count("/")


def within(url: str, page_url: str) -> bool:
    """Whether ``url`` is the page's own folder or inside it (resolved for that page alone)."""
    return url.startswith(page_url) or url == page_url[:-1]


@dataclass(frozen=True)
class _Kept:
    texts: tuple[str, ...]
    """The fragment's text around its URLs: one more than :attr:`urls`."""
    urls: tuple[str, ...]
    markup: bool
    """Whether drawing it gave :class:`~markupsafe.Markup` (an autoescaped macro or block)."""


class Fragments:
    """One build's kept fragments, and the ``url`` filter that records their URLs."""

    def __init__(
        self, resolve: UrlFilter, *, drawn_every_time: frozenset[str] = frozenset()
    ) -> None:
        self._resolve = resolve
        self._drawn_every_time = drawn_every_time
        """Families (the keys' first items) never kept: see :func:`families_overridden`."""
        self._kept: dict[Hashable, _Kept | None] = {}
        """None: a fragment whose URLs did not come through as recorded (drawn every time)."""
        self._recording: list[str] | None = None
        self._marker = f"hubgen-url-{secrets.token_hex(16)}-"
        """Plain text, so that it comes through escaping and JSON as it went in."""
        self._for: tuple[object, object] | None = None
        self._resolved: dict[str, str | None] = {}
        """The current page's URLs as the filter gives them; None for one that is not plain."""
        self._shares = resolve is cast(object, mkdocs_url_filter)
        """Whether sibling pages share their URLs (:func:`sibling_class`): proven for MkDocs'
        own filter only."""
        self._siblings: dict[tuple[str, int, str], str | None] = {}
        """URLs as resolved for any page of a sibling class: an article's related cards link
        to other articles, resolved alike on all 3,000 article pages."""
        self._filtered: dict[tuple[str, int, str], str] = {}
        """The same for the filter outside fragments (stylesheets, scripts, the navigation's
        links): about 100,000 of a cold 3,000/100 build's 170,000 resolutions."""
        self._class: tuple[str, int] | None = None
        self._page_url = ""

    @pass_context
    def url(self, context: Context, value: Any) -> str:
        """MkDocs' ``url`` filter (a simple path taken from a sibling page's where that is the
        same), or while a fragment is drawn, a marker for the URL."""
        if self._recording is not None:
            self._recording.append(str(value))
            return self._marker
        if self._shares and type(value) is str and _SIMPLE_PATH.fullmatch(value):
            self._enter(context)
            if self._class is not None and not within(value, self._page_url):
                key = (*self._class, value)
                found = self._filtered.get(key)
                if found is None:
                    found = self._filtered[key] = self._resolve(context, value)
                return found
        return self._resolve(context, value)

    @pass_context
    def fragment(
        self, context: Context, key: tuple[Hashable, ...], draw: Callable[..., Any], *args: Any
    ) -> Any:
        """``draw(*args)`` as this page would render it: drawn once per ``key`` and build."""
        if (
            self._recording is not None  # inside a fragment being drawn: part of it
            or key[0] in self._drawn_every_time
            or context.environment.filters.get("url") != self.url  # replaced since
        ):
            return draw(*args)
        if key not in self._kept:
            self._kept[key] = self._draw(draw, args)
        kept = self._kept[key]
        if kept is not None and (placed := self._place(context, kept)) is not None:
            return Markup(placed) if kept.markup else placed
        return draw(*args)

    def forget(self) -> None:
        """Drop the kept fragments (the page loop is over): the build's last steps, its peak
        of memory, then reuse the 15 MB they hold at 3,000 articles. A fragment asked for
        later is drawn again."""
        self._kept, self._for, self._resolved, self._siblings = {}, None, {}, {}
        self._filtered = {}

    def _draw(self, draw: Callable[..., Any], args: tuple[Any, ...]) -> _Kept | None:
        urls: list[str] = []
        self._recording = urls
        try:
            drawn = draw(*args)
        finally:
            self._recording = None
        texts = str(drawn).split(self._marker)
        # A URL changed after the filter (by another filter, say) is not recorded faithfully.
        if len(texts) != len(urls) + 1:
            return None
        return _Kept(tuple(texts), tuple(urls), isinstance(drawn, Markup))

    def _place(self, context: Context, kept: _Kept) -> str | None:
        """The kept text with the page's URLs, or None if one is not plain (drawn instead)."""
        self._enter(context)
        resolved = self._resolved
        pieces = [kept.texts[0]]
        for url, text in zip(kept.urls, kept.texts[1:], strict=True):
            if url in resolved:
                value = resolved[url]
            else:
                value = resolved[url] = self._resolved_here(context, url)
            if value is None:
                return None
            pieces += (value, text)
        return "".join(pieces)

    def _enter(self, context: Context) -> None:
        """Note the page ``context`` renders (its sibling class), when it is another one."""
        page, base = context.get("page"), context.get("base_url")
        if self._for is None or self._for[0] is not page or self._for[1] != base:
            self._for, self._resolved = (page, base), {}
            page_url = getattr(page, "url", None)
            if self._shares and isinstance(page_url, str):
                self._class, self._page_url = sibling_class(page_url), page_url
            else:
                self._class, self._page_url = None, ""

    def _resolved_here(self, context: Context, url: str) -> str | None:
        """``url`` as the filter resolves it for the current page (taken from a sibling page's
        where that is the same); None if it is not plain."""
        if (
            self._class is not None
            and _SIMPLE_PATH.fullmatch(url)
            and not within(url, self._page_url)
        ):
            key = (*self._class, url)
            if key not in self._siblings:
                self._siblings[key] = self._plain(context, url)
            return self._siblings[key]
        return self._plain(context, url)

    def _plain(self, context: Context, url: str) -> str | None:
        found = self._resolve(context, url)
        return found if _PLAIN_URL.fullmatch(found) else None


def nav_key(name: str, nav: Navigation | None, page: Page | None) -> tuple[Hashable, ...]:
    """The key of a part of Material's chrome drawn from the navigation (its tabs, its sidebar):
    which of its items are active, and the page itself if the navigation lists it (its entry
    is drawn differently, with its table of contents). Every page outside the navigation, every
    article among them, has the same key."""
    if nav is None:
        return (name, None)
    listed = page is not None and any(item is page for item in nav.pages)
    active = tuple(id(item) for item in _items(nav.items) if getattr(item, "active", False))
    return (name, id(page) if listed else None, active)


def _items(items: Iterable[StructureItem]) -> Iterator[StructureItem]:
    for item in items:
        yield item
        if children := getattr(item, "children", None):  # a section's
            yield from _items(children)
