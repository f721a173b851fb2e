"""Relative links and images in an article body that point at files which do not exist."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")


@dataclass(frozen=True)
class BrokenLink:
    target: str
    line: int
    col: int
    resolved: str


def relative_targets(body: str) -> Iterator[tuple[str, int, int]]:
    """``(target, line, col)`` of each inline or reference link outside code blocks (1-based)."""
    in_fence = False
    for number, line in enumerate(body.splitlines(), start=1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in _LINK_RE.finditer(line):
            yield match.group(1), number, match.start(1) + 1
        if (ref := _REFERENCE_RE.match(line)) is not None:
            yield ref.group(1), number, ref.start(1) + 1


@dataclass(frozen=True)
class LocalLink:
    """A link to a file of the hub (or an anchor on the same page), resolved docs-relative."""

    target: str
    line: int
    col: int
    uri: str
    """Docs-relative path of the file linked to; the linking article's own for ``#anchor``."""
    fragment: str
    same_page: bool

    @property
    def escapes(self) -> bool:
        return self.uri.startswith("..")


def local_links(body: str, src_uri: str) -> Iterator[LocalLink]:
    """Links and images in the body of the article at ``src_uri`` that stay inside the hub."""
    for target, line, col in relative_targets(body):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("/"):
            continue  # external or site-absolute: not a file of the hub
        if not parts.path:
            yield LocalLink(target, line, col, src_uri, unquote(parts.fragment), same_page=True)
            continue
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(parts.path)))
        yield LocalLink(target, line, col, uri, unquote(parts.fragment), same_page=False)


def broken_links(body: str, src_uri: str, exists: Callable[[str], bool]) -> list[BrokenLink]:
    """Links from the article at ``src_uri`` (docs-relative) to local files that ``exists`` denies."""
    return [
        BrokenLink(link.target, link.line, link.col, link.uri)
        for link in local_links(body, src_uri)
        if not link.same_page and (link.escapes or not exists(link.uri))
    ]
