"""Limits on an article body's structure, so rendering it takes bounded time.

Python-Markdown and the HTML sanitizer are fast on ordinary text but superlinear on a few shapes
a hostile contributor can type in one line: every unclosed ``[`` or ``(`` makes the link
patterns re-read the rest of its paragraph (200,000 ``[`` take hours), nested lists and quotes
recurse once per level (300 levels exhaust the stack), and each level of nested HTML costs the
sanitizer a scan of the open elements (100,000 ``<div>`` take minutes). Each measure here is one
linear pass; a body over a limit is refused with the line and column where it goes over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_NESTING = 16
"""Lists, quotes, admonitions and footnotes inside one another (64 columns of indentation)."""
MAX_HTML_NESTING = 64
"""Raw HTML elements open inside one another."""
MAX_BRACKET_WORK = 1_000_000
"""Characters the link patterns re-read for unclosed or nested brackets, summed over the body:
a body with a thousand links uses a few tens of thousands."""


@dataclass(frozen=True)
class BodyLimit:
    """One limit a body goes over: where (1-based, in the body), what and how to fix it."""

    line: int
    col: int
    message: str
    hint: str


def body_limits(body: str) -> list[BodyLimit]:
    """Every structural limit ``body`` goes over (empty for any ordinary article)."""
    found = [_nesting(body), _html_nesting(body), _bracket_work(body)]
    return [limit for limit in found if limit is not None]


def _position(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


# -- nesting of containers ---------------------------------------------------------------------

# A line nesting MAX_NESTING + 1 levels needs at least that many characters of markers and
# indentation before its text; lines with a shorter prefix are skipped in C by this search.
_DEEP_PREFIX = rf"[ \t>*+\-.)!?=:0-9]{{{MAX_NESTING + 1}}}"
_DEEP_FIRST_LINE_RE = re.compile(_DEEP_PREFIX)
# The later lines' pattern starts with a literal "\n", which re finds quickly; a MULTILINE "^"
# would be tried at every position of the body.
_DEEP_LINE_RE = re.compile("\n" + _DEEP_PREFIX)
_MARKER_RE = re.compile(
    r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|!!!\+?|\?\?\?\+?|===\+?|:(?=[ \t]))"
)


def _nesting(body: str) -> BodyLimit | None:
    starts = [0] if _DEEP_FIRST_LINE_RE.match(body) else []
    starts += (match.start() + 1 for match in _DEEP_LINE_RE.finditer(body))
    for start in starts:
        depth, at, columns = 0, start, 0
        while (marker := _MARKER_RE.match(body, at)) is not None and marker.end() > at:
            text = marker.group()
            stripped = text.lstrip(" \t")
            for char in text[: len(text) - len(stripped)]:
                columns += 4 - columns % 4 if char == "\t" else 1
            depth = max(depth + 1, columns // 4 + 1)  # a marker, or indentation under one
            columns += len(stripped)
            at = marker.end()
            if depth > MAX_NESTING:
                return BodyLimit(
                    *_position(body, at - len(stripped)),
                    f"lists, quotes and admonitions are nested {depth} levels deep here; "
                    f"the limit is {MAX_NESTING}",
                    "flatten the nesting: readers cannot follow it either",
                )
    return None


# -- nesting of raw HTML -----------------------------------------------------------------------

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")
# Elements that never hold others, or whose end tag HTML lets the next sibling imply.
_NOT_NESTING = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp",
})  # fmt: skip


def _html_nesting(body: str) -> BodyLimit | None:
    if body.count("<") <= MAX_HTML_NESTING:
        return None  # fewer tags than the limit cannot nest past it
    depth = 0
    for match in _TAG_RE.finditer(body):
        if match.group(2).lower() in _NOT_NESTING:
            continue
        if match.group(1):
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if depth > MAX_HTML_NESTING:
            return BodyLimit(
                *_position(body, match.start()),
                f"HTML elements are nested more than {MAX_HTML_NESTING} deep here",
                "close each element you open, e.g. <div>…</div>, or write the text in Markdown",
            )
    return None


# -- unclosed and nested brackets --------------------------------------------------------------

_BRACKET_RE = re.compile(r"\\.|[\[\]()]|\n[ \t]*(?=\n)")


def _bracket_work(body: str) -> BodyLimit | None:
    """Python-Markdown reads from each "[" to its "]" (from each "(" after one to its ")"), or to
    the end of the paragraph when there is none: the sum of those spans is the work it does."""
    # Each span is at most the body long: few brackets cannot add up to the limit (the common
    # case, answered by two counts in C instead of a Python step per bracket).
    if (body.count("[") + body.count("(")) * len(body) <= MAX_BRACKET_WORK:
        return None
    spans = list(_spans(body))
    if sum(end - opener for opener, end in spans) <= MAX_BRACKET_WORK:
        return None
    # Point at the first bracket left open, else at the one enclosing the most text.
    unclosed = [opener for opener, end in spans if not body.startswith(("]", ")"), end)]
    opener = min(unclosed) if unclosed else max(spans, key=lambda s: s[1] - s[0])[0]
    char = body[opener]
    close = "]" if char == "[" else ")"
    return BodyLimit(
        *_position(body, opener),
        f"too many '{char}' are left open or nested in this paragraph "
        "(Markdown re-reads the paragraph for each one)",
        f"close each '{char}' with '{close}', or write '\\{char}' for a literal one",
    )


def _spans(body: str) -> Iterator[tuple[int, int]]:
    """``(opener, end)`` for each bracket: where it closes, or where its paragraph ends."""
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    pairs = {"]": "[", ")": "("}
    for match in _BRACKET_RE.finditer(body):
        char = match.group()
        if char in stacks:
            stacks[char].append(match.start())
        elif char in pairs:
            stack = stacks[pairs[char]]
            if stack:
                yield stack.pop(), match.start()
        elif char[0] == "\n":  # a blank line ends the paragraph and every bracket left open
            for stack in stacks.values():
                while stack:
                    yield stack.pop(), match.start()
    for stack in stacks.values():
        while stack:
            yield stack.pop(), len(body)
