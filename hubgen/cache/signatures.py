"""What a page or a feed is made of, as one hash: equal signatures mean equal output.

A page is rendered from its view (everything hubgen computed for it), the site's settings and
templates. Templates also reach into the catalog through a few helpers (an article's bylines,
lead partner, status and partner cards), so an article stands for itself *and* what those
helpers read: its authors' profiles and its publication status.

An article's body is only shown on its own page: a page that lists the article (a topic, a
neighbour's "related") shows its title, summary, dates and reading time. So an article's token
leaves out :data:`BODY_FIELDS`, and the article's own page signs its body apart
(:meth:`Signer.body_token`): an edit to the body changes one page's signature, not those of the
dozens of pages naming the article. Unless a theme template reads those fields itself (an
override showing the start of each body in a list, say): then every article's token carries
its body, as it always did (``bodies_listed``).

Walking the view rather than listing dependencies by hand means a new field shown on a page is
part of its signature without anyone remembering to add it. Anything the walker does not know
raises :class:`Unsignable`: better to render a page again than to serve it stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from hubgen.core.models import Article, Image, Partner
from hubgen.site.catalog import Catalog


class Unsignable(TypeError):
    """A value whose content the signature cannot see: the page it belongs to is not cached."""


BODY_FIELDS = frozenset({"body", "body_line", "words"})
"""Article fields only the article's own page shows: its Markdown, where it starts in the file,
and its length to the word (pages listing the article show its reading time in minutes)."""


class Signer:
    """Signatures for one build's pages and feeds; article and partner tokens are computed once."""

    def __init__(
        self, catalog: Catalog, content_keys: Mapping[str, str], *, bodies_listed: bool = False
    ) -> None:
        self.catalog = catalog
        self.content_keys = content_keys
        """Render-cache key of each article's HTML body, by ``src_uri``."""
        self.bodies_listed = bodies_listed
        """A template reads :data:`BODY_FIELDS` of any article: every article token signs its
        body too."""
        self._catalog_tokens: dict[int, tuple[str, object]] = {}
        """Tokens of articles and partners, with the object (so its id stays its own); these
        belong to the catalog, which outlives the build, so holding them costs nothing."""
        self._tokens: dict[int, str] = {}
        """Tokens of other frozen dataclasses met so far (cards, accents, topics…)."""
        self._keep: list[object] = []
        """The objects behind the tokens' ids, kept alive so an id is never reused meanwhile."""
        self._sizes: dict[PurePath, int] = {}
        self._handlers: dict[type, Callable[[Any, list[str]], None]] = {
            str: _text,
            int: _plain,
            float: _plain,
            bool: _plain,
            type(None): _plain,
            datetime: _moment,
            date: _day,
            ZoneInfo: lambda value, out: out.append(f"tz:{value.key}"),
            Article: self._article,
            Partner: self._partner,
            Image: self._image,
            list: self._sequence,
            tuple: self._sequence,
            set: self._set,
            frozenset: self._set,
            dict: self._mapping,
        }

    def signature(self, *parts: object) -> str:
        """A hex digest of ``parts``; raises :class:`Unsignable` for values it cannot see into."""
        out: list[str] = []
        for part in parts:
            self._walk(part, out)
        return _digest(out)

    # -- the walk --------------------------------------------------------------------------

    def _walk(self, value: object, out: list[str]) -> None:
        kind = type(value)
        handler = self._handlers.get(kind)
        if handler is None:
            handler = self._handlers[kind] = self._handler_for(kind)
        handler(value, out)

    def _handler_for(self, kind: type) -> Callable[[Any, list[str]], None]:
        if dataclasses.is_dataclass(kind):
            frozen = kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
            return self._frozen if frozen else self._dataclass
        if issubclass(kind, Enum):
            return lambda value, out: out.append(f"enum:{kind.__qualname__}.{value.name}")
        if issubclass(kind, PurePath):
            return lambda value, out: out.append(f"path:{value.as_posix()}")
        if issubclass(kind, str):  # markupsafe.Markup and other str subclasses
            return lambda value, out: _text(str(value), out)
        if issubclass(kind, Mapping):
            return self._mapping
        raise Unsignable(
            f"Expected data (dataclasses, strings, numbers, dates, lists, mappings) but "
            f"received: {kind.__module__}.{kind.__qualname__}"
        )

    def _frozen(self, value: Any, out: list[str]) -> None:
        """A frozen dataclass: the same object on many pages (a partner card) is walked once."""
        token = self._tokens.get(id(value))
        if token is None:
            parts: list[str] = []
            self._dataclass(value, parts)
            token = self._tokens[id(value)] = _digest(parts)
            self._keep.append(value)
        out.append(token)

    def _dataclass(self, value: Any, out: list[str]) -> None:
        header, names = _layout(type(value))
        out.append(header)
        for name in names:
            out.append(name)
            self._item(getattr(value, name), out)
        out.append(")")

    def _item(self, value: object, out: list[str]) -> None:
        # _walk, with strings (most leaves) handled without a call: signing is per page, per build.
        if type(value) is str:
            out.append(f"s{len(value)}:{value}")
        else:
            self._walk(value, out)

    def _sequence(self, value: list[Any] | tuple[Any, ...], out: list[str]) -> None:
        out.append(f"{'[' if type(value) is list else '('}{len(value)}")
        for item in value:
            if type(item) is str:
                out.append(f"s{len(item)}:{item}")
            else:
                self._walk(item, out)
        out.append("]")

    def _set(self, value: set[Any] | frozenset[Any], out: list[str]) -> None:
        items = sorted(self.signature(item) for item in value)
        out.append(f"{{{len(items)}")
        out.extend(items)
        out.append("}")

    def _mapping(self, value: Mapping[Any, Any], out: list[str]) -> None:
        try:
            items = sorted(value.items())  # string keys, almost always
        except TypeError:
            items = sorted(value.items(), key=lambda item: repr(item[0]))
        out.append(f"<{len(items)}")
        for key, item in items:
            self._item(key, out)
            self._item(item, out)
        out.append(">")

    # -- the catalog's objects, once each ----------------------------------------------------

    def forget(self) -> None:
        """Drop the tokens (and the objects) of everything but the catalog's articles and
        partners: a build signs its pages in one go, and holding every view they were made of
        until the end of the build cost 60 MB at 3,000 articles."""
        self._tokens = {}
        self._keep = []

    def _memo(self, value: object, make: Callable[[], str], out: list[str]) -> None:
        found = self._catalog_tokens.get(id(value))
        if found is None:
            found = self._catalog_tokens[id(value)] = (make(), value)
        out.append(found[0])

    def _article(self, article: Article, out: list[str]) -> None:
        def make() -> str:
            catalog = self.catalog
            header, names = _layout(Article)
            parts: list[str] = [header]
            for name in names:
                if name not in BODY_FIELDS:
                    parts.append(name)
                    self._item(getattr(article, name), parts)
            parts.append(f"reading_minutes:{article.reading_minutes}")
            parts.append(str(catalog.status(article)))
            if self.bodies_listed:
                parts.append(self.body_token(article))
            for slug in article.partner_slugs:
                self._walk(catalog.hub.partners.get(slug), parts)
            return "article:" + _digest(parts)

        self._memo(article, make, out)

    def body_token(self, article: Article) -> str:
        """What only the article's own page shows of it: its body (by the key of its rendered
        HTML, which also covers its links' targets), where the body starts, its word count."""
        key = self.content_keys.get(article.src_uri)
        body = f"key:{key}" if key is not None else f"text:{article.body}"
        return "body:" + _digest([body, str(article.words), str(article.body_line)])

    def _partner(self, partner: Partner, out: list[str]) -> None:
        def make() -> str:
            parts: list[str] = []
            self._dataclass(partner, parts)
            return "partner:" + _digest(parts)

        self._memo(partner, make, out)

    def _image(self, image: Image, out: list[str]) -> None:
        # Pages show an image by URL; feeds also state its size in bytes (RSS enclosures).
        out.append(f"image:{image.url}")
        if image.source is not None:
            out.append(f"{image.source.as_posix()}:{self._size(image.source)}")

    def _size(self, path: PurePath) -> int:
        if path not in self._sizes:
            try:
                self._sizes[path] = os.stat(path).st_size
            except OSError:
                self._sizes[path] = -1
        return self._sizes[path]


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: object, out: list[str]) -> None:
    out.append(f"{type(value).__name__}:{value!r}")


def _text(value: str, out: list[str]) -> None:
    out.append(f"s{len(value)}:{value}")  # length-prefixed: no separator can be forged


def _moment(value: datetime, out: list[str]) -> None:
    out.append(f"dt:{value.isoformat()}:{value.tzinfo!s}")


def _day(value: date, out: list[str]) -> None:
    out.append(f"d:{value.isoformat()}")


_LAYOUTS: dict[type, tuple[str, tuple[str, ...]]] = {}


def _layout(kind: type) -> tuple[str, tuple[str, ...]]:
    """A dataclass's opening token and field names."""
    layout = _LAYOUTS.get(kind)
    if layout is None:
        names = tuple(f.name for f in dataclasses.fields(kind))
        layout = _LAYOUTS[kind] = (f"({kind.__module__}.{kind.__qualname__}", names)
    return layout
