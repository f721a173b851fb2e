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


def broken_links(body: str, src_uri: str, exists: Callable[[str], bool]) -> list[BrokenLink]:
    """Links from the article at ``src_uri`` (docs-relative) to local files that ``exists`` denies."""
    broken = []
    for target, line, col in relative_targets(body):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path or target.startswith("/"):
            continue  # external, same-page anchor, or site-absolute: not a file reference
        resolved = posixpath.normpath(
            posixpath.join(posixpath.dirname(src_uri), unquote(parts.path))
        )
        if resolved.startswith("..") or not exists(resolved):
            broken.append(BrokenLink(target, line, col, resolved))
    return broken
