"""Contributed SVGs, published with nothing active in them.

An SVG is a document, not just a picture: opened on its own (a link to it, a new tab) it runs
its ``<script>``, its ``onload=``, its ``javascript:`` links and HTML in ``<foreignObject>`` with
the hub's origin. Every SVG a partner contributes is therefore published as filtered by
Cloudflare's svg-hush (through ``py-svg-hush``), a maintained allow-list of SVG elements,
attributes and CSS that removes scripting, event handlers, links to other documents, references
to other origins (also in ``style``) and every ``data:`` URL but raster images.

Around it, hubgen parses the file with expat, the standard library's streaming parser, to:

- refuse what no logo needs and could exhaust the build: an entity declaration (XML bombs,
  external entities) is refused as it is read, before anything is expanded, and so is nesting
  deeper than :data:`MAX_DEPTH` (svg-hush indents its output, which grows with depth squared);
- say what was removed, by comparing the elements and attributes before and after;
- check the output once more (fail closed): an SVG whose filtered form still holds anything
  active, or that is no SVG at all, is refused rather than published.

Rasterising (``resvg-py``) was measured too: it is safe by construction, but turns logos into
PNGs behind ``.svg`` names, drops text without fonts, and loses vector sharpness. nh3 (HTML
rules) keeps ``url(http…)`` in ``style`` and writes HTML, not XML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from xml.parsers import expat

import py_svg_hush

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_DEPTH = 100
"""Deeper than any drawing program nests groups; svg-hush's output grows with depth squared."""

DATA_IMAGES = {"image": ["png", "jpeg", "gif", "webp", "avif"]}
"""``data:`` URLs kept inside SVGs: raster images only (an ``image/svg+xml`` one is a document)."""

EXPORT_HINT = "export it again from your drawing program as a plain SVG file"
_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
)
"""Elements the filtered output must not hold."""
_SCHEME_RE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")
"""A URL that names its own scheme or host (``//host/…`` and ``\\host`` too): not local."""
_DATA_IMAGE_RE = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "style"})
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")


class SvgRefused(Exception):
    """The file cannot be published as an SVG image."""

    def __init__(self, message: str, hint: str = EXPORT_HINT, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


@dataclass(frozen=True)
class SafeSvg:
    data: bytes
    """The SVG to publish."""
    removed: tuple[str, ...]
    """What filtering took out, e.g. ``("<script>", "onload=")``; empty when nothing was."""
    changed: tuple[str, ...] = ()
    """Attributes whose values were rewritten (links to other origins made local)."""


CACHED_SVG_BYTES = 64_000
"""SVGs up to this size (logos, icons: most are under 10 KB) are filtered once per process."""


def sanitize_svg(data: bytes) -> SafeSvg:
    """The publishable form of a contributed SVG, or :class:`SvgRefused` saying why there is none."""
    # A build filters each SVG twice, when checking contributed files and when publishing them;
    # keyed by content, the second time is free. The size bound keeps the cache under 32 MB.
    if len(data) <= CACHED_SVG_BYTES:
        return _sanitize_cached(data)
    return _sanitize(data)


@lru_cache(maxsize=512)
def _sanitize_cached(data: bytes) -> SafeSvg:
    return _sanitize(data)


def _sanitize(data: bytes) -> SafeSvg:
    before = _inventory(data)
    if before.root != (SVG_NS, "svg"):
        uri, name = before.root
        raise SvgRefused(
            f"is not an SVG image: its root element is <{name}>"
            + ("" if uri == SVG_NS else f" outside the SVG namespace ({uri or 'none'})"),
            'the file must start with <svg xmlns="http://www.w3.org/2000/svg" …>',
        )
    try:
        cleaned = py_svg_hush.filter_svg(data, keep_data_url_mime_types=DATA_IMAGES)
    except ValueError as error:
        raise SvgRefused(f"cannot be read as an SVG image: {error}") from None
    after = _inventory(cleaned)
    _verify(after)
    removed, changed = _difference(before, after)
    return SafeSvg(cleaned, removed, changed)


# -- reading -------------------------------------------------------------------------------------


@dataclass
class _Inventory:
    root: tuple[str, str] = ("", "")
    elements: Counter[str] = field(default_factory=Counter)
    attributes: Counter[str] = field(default_factory=Counter)
    placed: Counter[tuple[str, str]] = field(default_factory=Counter)
    """``(element, attribute)`` pairs: what an element that stays lost."""
    values: Counter[tuple[str, str]] = field(default_factory=Counter)
    styles: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    local_names: set[str] = field(default_factory=set)
    animated: set[str] = field(default_factory=set)
    """Attributes that ``<animate>``/``<set>`` target (``attributeName``)."""


def _split(name: str) -> tuple[str, str, str]:
    """expat's ``"uri local prefix"`` → ``(uri, local, prefix)``."""
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], ""
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return parts[0], parts[1], parts[2]


def _element_label(name: str) -> str:
    uri, local, prefix = _split(name)
    return local if uri == SVG_NS or not prefix else f"{prefix}:{local}"


def _attribute_label(name: str) -> str:
    uri, local, prefix = _split(name)
    if not uri or (uri == XLINK_NS and local == "href"):
        return local  # xlink:href and href are one attribute to browsers (svg-hush writes href)
    return f"{prefix}:{local}" if prefix else local


def _inventory(data: bytes) -> _Inventory:
    """Elements, attributes, style text and processing instructions of an SVG, parsed safely."""
    found = _Inventory()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0
    in_style = 0

    def entity(name: str, *args: object) -> None:
        # Reported as it is declared, before any reference to it is expanded: no bomb goes off.
        raise SvgRefused(
            f"declares the XML entity '{name}' in its DOCTYPE; hubgen does not read entities",
            EXPORT_HINT + ", without a DOCTYPE",
            parser.CurrentLineNumber,
        )

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth, in_style
        depth += 1
        if depth > MAX_DEPTH:
            raise SvgRefused(
                f"nests elements more than {MAX_DEPTH} deep",
                "simplify the drawing (ungroup) or " + EXPORT_HINT,
                parser.CurrentLineNumber,
            )
        uri, local, _ = _split(name)
        if depth == 1:
            found.root = (uri, local)
        element = _element_label(name)
        found.elements[element] += 1
        found.local_names.add(local)
        if local == "style":
            in_style += 1
            found.styles.append("")
        for key, value in attributes.items():
            label = _attribute_label(key)
            found.attributes[label] += 1
            found.placed[element, label] += 1
            found.values[label, value] += 1
            if local in ("animate", "set") and label == "attributeName":
                found.animated.add(value.strip())

    def end(name: str) -> None:
        nonlocal depth, in_style
        depth -= 1
        if _split(name)[1] == "style":
            in_style -= 1

    def text(data: str) -> None:
        if in_style:
            found.styles[-1] += data

    def instruction(target: str, data: str) -> None:
        found.instructions.append(target)

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise SvgRefused(
            f"is not a valid SVG image: {expat.ErrorString(error.code)} "
            f"at line {error.lineno}, column {error.offset + 1}",
            line=error.lineno,
        ) from None
    return found


# -- checking the filtered output ------------------------------------------------------------


def _verify(svg: _Inventory) -> None:
    """Fail closed: refuse to publish a filtered SVG in which anything active is left."""
    if svg.root != (SVG_NS, "svg"):
        raise SvgRefused(
            "is not an SVG image once filtered",
            'write the root element as <svg xmlns="http://www.w3.org/2000/svg">, without a prefix',
        )
    left: list[str] = []
    left += [f"<{name}>" for name in sorted(svg.local_names & _ACTIVE_ELEMENTS)]
    left += [f"{name}=" for name in svg.attributes if name.lower().startswith("on")]
    left += [
        f"attributeName={name}"
        for name in svg.animated
        if "href" in name.lower() or name.lower().startswith("on")
    ]
    left += ["xml:base=" for name in svg.attributes if name == "xml:base"]  # moves every link
    for name, value in svg.values:
        linked = name in ("href", "src") and not _local_reference(value)
        if linked or "javascript:" in _INVISIBLE_RE.sub("", value).lower():
            left.append(f"{name}={value[:40]}")
        elif name == "style" and not _local_css(value):
            left.append(f"style={value[:40]}")
    left += ["<style>" for style in svg.styles if not _local_css(style)]
    if svg.instructions:
        left.append(f"<?{svg.instructions[0]}?>")
    if left:
        raise SvgRefused(
            "still holds active content after filtering: " + ", ".join(left),
            "remove it from the file",
        )


def _local_reference(value: str) -> bool:
    """A link inside the file (``#id``), a relative path on the hub, or a ``data:`` raster image."""
    return _SCHEME_RE.match(value) is None or _DATA_IMAGE_RE.match(value) is not None


def _local_css(css: str) -> bool:
    lowered = _INVISIBLE_RE.sub("", css).lower()
    if "@import" in lowered or "javascript:" in lowered or "expression(" in lowered:
        return False
    return all(_local_reference(url) for url in _CSS_URL_RE.findall(css))


# -- saying what was removed -----------------------------------------------------------------


def _difference(before: _Inventory, after: _Inventory) -> tuple[tuple[str, ...], tuple[str, ...]]:
    removed = [f"<{name}>" for name, n in before.elements.items() if n > after.elements[name]]
    removed += [f"<?{target}?>" for target in dict.fromkeys(before.instructions)]
    # Attributes of elements removed whole are not listed one by one.
    lost = {
        a for (e, a), n in before.placed.items() if after.elements[e] and n > after.placed[e, a]
    }
    removed += [f"{name}=" for name in before.attributes if name in lost]
    changed: list[str] = []
    for name, n in before.attributes.items():
        if n > after.attributes[name]:
            continue
        gone = _values_of(before, name) - _values_of(after, name)
        if gone and (name in _URL_ATTRIBUTES or any(_is_reference(v) for v in gone)):
            changed.append(f"{name}=")  # not path data svg-hush rewrites, only links it changed
    styles_changed = [s.strip() for s in before.styles] != [s.strip() for s in after.styles]
    if styles_changed and "<style>" not in removed:
        changed.append("<style>")
    return tuple(removed), tuple(changed)


def _is_reference(value: str) -> bool:
    return _SCHEME_RE.match(value) is not None or "url(" in value.lower()


def _values_of(svg: _Inventory, name: str) -> Counter[str]:
    return Counter({value: n for (key, value), n in svg.values.items() if key == name})
