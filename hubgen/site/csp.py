"""The Content-Security-Policy of every page: one policy, built from the hub's settings.

Defence in depth behind the sanitizer: even if a partner's text got a ``<script>`` or an
``onerror=`` into a page, the browser would not run it. Scripts come only from the site's own
files, plus the few inline scripts Material's templates write, allowed by their SHA-256. Those
hashes are computed from Material's partials rendered with the build's config (the same
template and context the page includes), never from a page's content, so a script that got
into a page some other way has no hash and is blocked.

The policy goes into a ``<meta>`` tag first in every page's ``<head>`` (see
``themes/hubgen/main.html``) and, with ``frame-ancestors`` (which a meta tag cannot carry),
into ``_headers`` for Netlify and Cloudflare Pages. GitHub Pages cannot set headers: there the
meta tag is the whole policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from hubgen.core.models import HubSettings

HEADERS_FILE = "_headers"

FRAME_TAGS = frozenset({"iframe"})
MEDIA_TAGS = frozenset({"video", "audio", "source", "track"})

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_SRC_ATTR_RE = re.compile(r"\ssrc\s*=", re.I)
_TYPE_ATTR_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript"})
"""Types that run; any other ``type`` (JSON, JSON-LD) is a data block no policy governs."""

_HOST_RE = re.compile(
    r"^(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?$|^\[[0-9a-f:.]+\](?::[0-9]{1,5})?$"
)
_PATH_RE = re.compile(r"^[A-Za-z0-9/._~%-]*$")
"""A path a source expression may carry: no space, ``;`` or ``,`` that would end it."""


@dataclass(frozen=True)
class Policy:
    """Directives in order, each with its sources."""

    directives: tuple[tuple[str, tuple[str, ...]], ...]

    def text(self) -> str:
        """The policy as a ``<meta>`` tag carries it."""
        return "; ".join(" ".join((name, *sources)) for name, sources in self.directives)

    def header(self) -> str:
        """The policy as an HTTP header: the meta policy plus what only headers can say."""
        # The hub's pages are never meant to be framed: no clickjacking of the lead forms.
        return f"{self.text()}; frame-ancestors 'none'"


@dataclass(frozen=True)
class Extra:
    """Sources the theme configuration adds to a directive (hashes, URLs)."""

    by_directive: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def get(self, directive: str) -> tuple[str, ...]:
        return tuple(s for name, sources in self.by_directive if name == directive for s in sources)


def build_policy(
    settings: HubSettings, extra: Extra = Extra(), *, preview: bool = False, wasm: bool = False
) -> Policy:
    """The policy for a hub's pages. ``preview``: ``mkdocs serve`` injects a live-reload script
    whose text changes on every request, so the preview allows inline scripts (and no hashes,
    which would switch that allowance off). ``wasm``: the site search (Pagefind) compiles its
    WebAssembly module, which browsers allow only with ``'wasm-unsafe-eval'``; that keyword
    allows compiling WebAssembly and nothing else (no ``eval``, no inline script)."""
    endpoint = _origin(settings.forms.endpoint) if settings.forms.backend != "netlify" else None
    lead = (endpoint,) if endpoint else ()
    scripts = extra.get("script-src")
    if preview:
        scripts = ("'unsafe-inline'", *(s for s in scripts if not s.startswith("'sha256-")))
    if wasm:
        scripts = ("'wasm-unsafe-eval'", *scripts)
    tags = settings.content_policy.tags
    directives: list[tuple[str, tuple[str, ...]]] = [
        ("default-src", ("'self'",)),
        ("script-src", ("'self'", *scripts)),
        # Inline style *attributes* stay allowed: Python-Markdown aligns table columns with
        # style="text-align…" and Material's tag listings use one (partners' accent colours are
        # classes in hubgen.css, not attributes). They cannot run code or load
        # anything (img-src still applies); <style> elements, which could restyle the page with
        # selectors, are limited by style-src-elem (browsers without it fall back to this line).
        ("style-src", ("'self'", "'unsafe-inline'")),
        ("style-src-elem", ("'self'", *extra.get("style-src-elem"))),
        # Partners' logos and article images may be remote (https) or inline data: images.
        ("img-src", ("'self'", "data:", "https:", *extra.get("img-src"))),
        ("font-src", ("'self'", *extra.get("font-src"))),
        # Lead forms post by fetch() to the receiver, or by a plain POST without JavaScript.
        ("connect-src", ("'self'", *lead, *extra.get("connect-src"))),
        ("form-action", ("'self'", *lead)),
        # Material's search runs in a web worker from the site's own files.
        ("worker-src", ("'self'",)),
        ("object-src", ("'none'",)),
        ("base-uri", ("'self'",)),
    ]
    if tags & FRAME_TAGS:  # the organiser allowed embeds (content_policy.extra_tags)
        directives.append(("frame-src", ("'self'", "https:")))
    if tags & MEDIA_TAGS:
        directives.append(("media-src", ("'self'", "https:")))
    return Policy(tuple((name, tuple(dict.fromkeys(s))) for name, s in directives))


def meta_tag(policy: Policy) -> str:
    """The ``<meta>`` element, escaped for an HTML attribute."""
    content = escape(policy.text(), quote=False).replace('"', "&quot;")  # readable quotes
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def headers_file(policy: Policy) -> str:
    """``_headers`` as Netlify and Cloudflare Pages read it: the same headers on every path."""
    return (
        "# Written by hubgen on every build: security headers for Netlify and Cloudflare Pages.\n"
        "/*\n"
        f"  Content-Security-Policy: {policy.header()}\n"
        "  X-Content-Type-Options: nosniff\n"
        # Partners see that a visitor came from the hub, never which page or query.
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
    )


def sha256_source(text: str) -> str:
    """``'sha256-…'``: the source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """Hash sources of the inline scripts that run and of the ``<style>`` elements in ``html``.

    Only ever called on theme text rendered without a page, never on a page.
    """
    scripts = []
    for attributes, body in _SCRIPT_RE.findall(html):
        if _SRC_ATTR_RE.search(attributes):
            continue
        kind = _TYPE_ATTR_RE.search(attributes)
        if kind is not None and kind.group(1).lower() not in _SCRIPT_TYPES:
            continue
        scripts.append(sha256_source(body))
    return scripts, [sha256_source(body) for body in _STYLE_RE.findall(html)]


def source_of(url: str) -> str | None:
    """A URL as a source expression: the exact URL when it can be spelled safely, else its
    origin; None for anything that is not an absolute http(s) URL."""
    origin = _origin(url)
    if origin is None:
        return None
    path = urlsplit(url).path
    return origin + path if path and _PATH_RE.match(path) else origin


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}" if _HOST_RE.match(netloc) else None


def not_found_base_url(site_url: str) -> str:
    """``base_url`` of 404.html, which MkDocs makes absolute (it is served at any path)."""
    return urlsplit(site_url or "/").path


def write_headers(site_dir: Path, policy: Policy | None) -> None:
    """Write ``_headers`` into the site, or make sure there is none (``policy`` None)."""
    path = site_dir / HEADERS_FILE
    if policy is None:
        path.unlink(missing_ok=True)  # left by an earlier build with --dirty
        return
    path.write_text(headers_file(policy), encoding="utf-8")
