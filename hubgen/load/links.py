"""Relative links and images in an article body that point at files which do not exist."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from hubgen.core.text import contains
from hubgen.load.textmemo import Kept, TextMemo

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_BRACKET_RE = re.compile(r"[\[\]]")
# What follows "](" in a link: the target, an optional "title", ")". Possessive quantifiers:
# nothing is given back, so each attempt costs at most the length of what it reads.
_DESTINATION_RE = re.compile(r"\s*+<?([^)\s>]++)>?(?:\s++\"[^\"]*+\")?\s*+\)")
_REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")


@dataclass(frozen=True)
class BrokenLink:
    target: str
    line: int
    col: int
    resolved: str


def relative_targets(body: str) -> Iterator[tuple[str, int, int]]:
    """``(target, line, col)`` of each inline or reference link outside code blocks (1-based)."""
    # Inline links need "](" and reference definitions "]:": most bodies have neither, and
    # most lines of the others don't, so only the lines holding one are matched.
    marks = _link_marks(body)
    if not marks:
        return
    plain = _plain_lines(body)
    lines = _lines_at(body, marks) if plain else _unfenced_lines(body.splitlines())
    for number, line in lines:
        if "](" in line:
            for target, start in _inline_links(line):
                yield target, number, start + 1
        if "]:" in line and (ref := _REFERENCE_RE.match(line)) is not None:
            yield ref.group(1), number, ref.start(1) + 1


def _inline_links(line: str) -> Iterator[tuple[str, int]]:
    """``(target, offset)`` of each ``[text](target "title")`` in ``line``, left to right.

    One pass over the brackets: a "]" followed by "(" ends a link when a "[" opened after the
    previous "]". Each target is read once (a regex from every "[" re-read the rest of the line
    for each of 200,000 brackets); "](" marks inside a target that did not close share its
    failed read.
    """
    end = 0  # where the last link ended: its brackets belong to it
    opened = False
    failed_at = -1  # the target read from here found no ")": neither does one inside it
    for match in _BRACKET_RE.finditer(line):
        at = match.start()
        if at < end:
            continue
        if line[at] == "[":
            opened = True
            continue
        if opened and line.startswith("(", at + 1) and at + 2 >= failed_at:
            link = _DESTINATION_RE.match(line, at + 2)
            if link is not None:
                yield link.group(1), link.start(1)
                end = link.end()
            else:
                failed_at = _read_limit(line, at + 2)
        opened = False


_TARGET_RE = re.compile(r"\s*+<?[^)\s>]*+")


def _read_limit(line: str, start: int) -> int:
    """Where a failed target read from ``start`` stopped: at the first space, ">" or ")"."""
    match = _TARGET_RE.match(line, start)
    return match.end() if match is not None else start


_OTHER_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Where str.splitlines() breaks a line besides "\\n"."""


def _plain_lines(body: str) -> bool:
    """No code fences, and lines broken at "\\n" only: true of nearly every article, whose
    lines can then be found by offset instead of walking all of them."""
    if contains(body, "```") or contains(body, "~~~"):
        return False
    return not any(brk in body for brk in _OTHER_LINE_BREAKS)


def _link_marks(text: str) -> list[int]:
    """Offsets of each "](" and "]:" in ``text``, in order.

    Searching for "]" alone is a memchr, many times faster than searching for two characters,
    and prose has few brackets.
    """
    offsets: list[int] = []
    at = text.find("]")
    while at != -1:
        if text.startswith(("(", ":"), at + 1):
            offsets.append(at)
        at = text.find("]", at + 1)
    return offsets


def _unfenced_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """``(number, line)`` of the lines outside fenced code blocks (fence lines excluded)."""
    in_fence = False
    for number, line in enumerate(lines, start=1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield number, line


def _lines_at(text: str, offsets: list[int]) -> Iterator[tuple[int, str]]:
    """``(number, line)`` of each line of ``text`` (split at "\\n" only) that holds one of the
    sorted ``offsets``: the other lines are skipped in C, not visited one by one in Python."""
    number, start = 1, 0  # the line starting at offset ``start`` has number ``number``
    for at in offsets:
        if at < start:
            continue  # on the line just yielded
        newline = text.rfind("\n", start, at)
        line_start = start if newline == -1 else newline + 1
        number += text.count("\n", start, line_start)
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        yield number, text[line_start:end]
        number, start = number + 1, end + 1


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


def _decode_targets(data: Any) -> tuple[tuple[str, int, int], ...]:
    targets = tuple((target, line, col) for target, line, col in data)
    if not all(type(t) is str and type(n) is int and type(c) is int for t, n, c in targets):
        raise TypeError("expected (target, line, col) items")
    return targets


_TARGETS = TextMemo(
    lambda body: tuple(relative_targets(body)),
    kept=Kept("link_targets", lambda targets: targets, _decode_targets),
)
"""Each body's targets: its links are checked on loading, by the hub checks and for its key."""


def local_links(body: str, src_uri: str) -> Iterator[LocalLink]:
    """Links and images in the body of the article at ``src_uri`` that stay inside the hub."""
    for target, line, col in _TARGETS(body):
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
