"""The safe-content policy: partners' rendered HTML through an nh3 allow-list.

Partners are semi-trusted: their Markdown may contain raw HTML or attribute lists
(``{ onclick=… }``), so every article and bio is cleaned after rendering. Only the tags and
attributes that Markdown and Material's extensions produce survive; URLs are limited to http,
https, mailto, tel and inline images (PNG, JPEG, GIF, WebP); scripts, frames, forms, meta/base,
event handlers and ``style`` are gone. Outbound links get ``rel="noopener"``; links carrying
a referral code get ``rel="sponsored"`` when configured.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})  # fmt: skip
"""What Python-Markdown and Material's usual extensions (admonitions, details, tables,
highlighting, content tabs, task lists, footnotes) produce."""

ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "details": frozenset({"open"}),
    "input": frozenset({"type", "checked", "disabled", "name"}),
    "label": frozenset({"for"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})
DATA_IMAGE_RE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$", re.I)
INPUT_TYPES = frozenset({"checkbox", "radio"})
"""Task lists and content tabs; anything else would start a form."""
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})


@dataclass(frozen=True)
class ContentPolicy:
    """Per-hub adjustments to the allow-list (stricter or looser)."""

    extra_tags: frozenset[str] = frozenset()
    removed_tags: frozenset[str] = frozenset()
    extra_attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    style_properties: frozenset[str] = frozenset()
    """CSS properties allowed in ``style`` attributes; empty means no ``style`` at all."""
    data_images: bool = True
    sponsored_param: str | None = "ref"
    """Links carrying this query parameter get ``rel="sponsored"``; None to leave them alone."""
    site_host: str = ""
    """The hub's own host: links to it are not outbound."""

    @property
    def tags(self) -> set[str]:
        return set((TAGS | self.extra_tags) - self.removed_tags)

    @property
    def attributes(self) -> dict[str, set[str]]:
        merged = {tag: set(names) for tag, names in ATTRIBUTES.items()}
        for tag, names in self.extra_attributes.items():
            merged.setdefault(tag, set()).update(names)
        if self.style_properties:
            merged["*"].add("style")
        return merged


def sanitize(html: str, policy: ContentPolicy) -> str:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and value.strip().lower().startswith("data:"):
            is_image = tag == "img" and attribute == "src" and policy.data_images
            return value if is_image and DATA_IMAGE_RE.match(value.strip()) else None
        if tag == "input" and attribute == "type" and value.lower() not in INPUT_TYPES:
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=policy.tags,
        attributes=policy.attributes,
        attribute_filter=keep,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties=set(policy.style_properties) or None,
    )
    cleaned = _UNTYPED_INPUT_RE.sub("", cleaned)  # an input without a type is a text box
    return _ANCHOR_RE.sub(lambda match: _rel(match, policy), cleaned)


_UNTYPED_INPUT_RE = re.compile(r"<input(?![^>]*\stype=)[^>]*>")
_ANCHOR_RE = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>')


def _rel(match: re.Match[str], policy: ContentPolicy) -> str:
    before, href, after = match.groups()
    parts = urlsplit(href.replace("&amp;", "&"))
    rel = []
    if parts.scheme in ("http", "https") and parts.hostname and parts.hostname != policy.site_host:
        rel.append("noopener")
    if policy.sponsored_param and policy.sponsored_param in parse_qs(parts.query):
        rel.append("sponsored")
    extra = f' rel="{" ".join(rel)}"' if rel else ""
    return f'<a{before} href="{href}"{after}{extra}>'


class _Inventory(HTMLParser):
    """Counts tags and tag[attribute] pairs, to say what a policy removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[f"<{tag}>"] += 1
        for name, _ in attrs:
            if name != "rel":
                self.items[f"{name}= on <{tag}>"] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _inventory(html: str) -> Counter[str]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


def removed_by_policy(html: str, policy: ContentPolicy) -> list[str]:
    """What sanitizing ``html`` would drop, e.g. ``["<script>", "onclick= on <p>"]``."""
    before, after = _inventory(html), _inventory(sanitize(html, policy))
    return sorted(item for item, count in before.items() if after[item] < count)
