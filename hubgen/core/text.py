"""Small pure text helpers: slugs, plain-text excerpts, reading time, suggestions."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

WORDS_PER_MINUTE = 230
"""Adult silent reading speed for non-fiction; the figure Medium and most blogs use."""

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@lru_cache(maxsize=4096)  # topic and service names repeat across thousands of articles
def slugify(text: str) -> str:
    """``"Cash flow & Funding"`` → ``"cash-flow-funding"``; accents folded, ASCII only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def is_slug(text: str) -> bool:
    """True for lowercase ASCII letters and digits separated by single hyphens."""
    return bool(_SLUG_RE.match(text))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing the choices when none is close."""
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"expected one of: {listed}"


_CODE_FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_MARKUP_CHARS = "*_`>#|~"
# Links and images are !?\[([^\]]*)\]\([^)]*\); the pattern without the optional "!" starts
# with a literal, which lets re jump from one "[" to the next instead of trying every position.
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BRACKET_RE = re.compile(r"[\[\]]")
_HTML_RE = re.compile(r"<[^>]+>")
_ADMONITION_RE = re.compile(r"^(?:!!!|\?\?\?\+?)\s*\w+(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_ATTR_LIST_RE = re.compile(r"\{:?[^}\n]*\}")
_BLOCK_SEPARATOR_RE = re.compile(r"\n\s*\n")


def contains(text: str, needle: str) -> bool:
    """``needle in text``, answered by a one-character search (a memchr, several times faster
    than a search for a longer needle) when the needle's first character is absent."""
    return needle[0] in text and needle in text


def _unmarked(markdown: str) -> str:
    """Markdown with its markup replaced by whitespace (not yet collapsed)."""
    text = _without_constructs(markdown)
    # One space per markup character instead of one per run: the same words once whitespace
    # is collapsed, and str.replace is far cheaper than a regex over every character.
    for char in _MARKUP_CHARS:
        if char in text:
            text = text.replace(char, " ")
    return text


def _without_constructs(markdown: str) -> str:
    """Markdown without code blocks, admonition lines, link targets, HTML tags and attribute
    lists: what is left for the words once markup characters count as spaces.

    Each pattern runs only when the text holds the literal it cannot match without: most
    articles have no fences, HTML or attribute lists, and a substring test costs next to nothing
    next to a regex pass over the whole body.
    """
    text = markdown
    if contains(text, "```") or contains(text, "~~~"):
        text = _CODE_FENCE_RE.sub(" ", text)
    if contains(text, "!!!") or contains(text, "???"):
        text = _without_admonition_lines(text)
    if contains(text, "]("):
        text = _without_links(text)
    if "<" in text:
        text = _without_tags(text)
    if "{" in text:
        text = _without_attribute_lists(text)
    return text


class _NextFinder:
    """``text.find(char, start)`` for starts that only grow: each answer is reused until the
    start passes it, so a text with many starts and no ``char`` is read once, not per start."""

    def __init__(self, text: str, char: str) -> None:
        self.text, self.char, self.found = text, char, -2

    def find(self, start: int) -> int:
        if self.found != -1 and self.found < start:
            self.found = self.text.find(self.char, start)
        return self.found


def _without_tags(text: str) -> str:
    """``_HTML_RE.sub(" ", text)`` in one pass: a "<" with no ">" after it is read once."""
    pieces: list[str] = []
    end = 0
    closes = _NextFinder(text, ">")
    at = text.find("<")
    while at != -1:
        close = closes.find(at + 1)
        if close == -1:
            break  # no ">" left: no later "<" starts a tag either
        if close > at + 1:
            pieces += (text[end:at], " ")
            end = close + 1
        at = text.find("<", max(end, at + 1))
    return "".join(pieces) + text[end:] if pieces else text


def _without_attribute_lists(text: str) -> str:
    """``_ATTR_LIST_RE.sub(" ", text)`` in one pass: each "{" ends at the first "}" on its line."""
    pieces: list[str] = []
    end = 0
    closes, newlines = _NextFinder(text, "}"), _NextFinder(text, "\n")
    at = text.find("{")
    while at != -1:
        close, newline = closes.find(at + 1), newlines.find(at + 1)
        if close == -1:
            break
        if newline == -1 or close < newline:
            pieces += (text[end:at], " ")
            end = close + 1
            at = text.find("{", end)
        else:  # no "}" before the line ends: no "{" on this line has one
            at = text.find("{", newline + 1)
    return "".join(pieces) + text[end:] if pieces else text


def _without_admonition_lines(text: str) -> str:
    """``_ADMONITION_RE.sub(" ", text)``, trying the pattern only where a line starts with
    "!!!" or "???": a MULTILINE "^" gives re no literal to search for, so sub tries every
    position. The matches are the same: sub takes them left to right from where the last one
    ended, and no other position can match."""
    starts = sorted(chain(_line_starts(text, "!!!"), _line_starts(text, "???")))
    pieces: list[str] = []
    end = 0
    for start in starts:
        if start >= end and (match := _ADMONITION_RE.match(text, start)) is not None:
            pieces += (text[end:start], " ")
            end = match.end()
    return "".join(pieces) + text[end:]


def _line_starts(text: str, prefix: str) -> Iterator[int]:
    """Offsets of the lines of ``text`` that start with ``prefix``."""
    if text.startswith(prefix):
        yield 0
    at = text.find("\n" + prefix)
    while at != -1:
        yield at + 1
        at = text.find("\n" + prefix, at + 1)


def _without_links(text: str) -> str:
    """Each link or image replaced by its text, as ``re.sub`` with ``!?`` before ``_LINK_RE``
    would, but searching for "[" only.

    A match of that pattern is a match of ``_LINK_RE`` widened to the "!" just before it,
    unless that "!" ended the previous match: from any position, both find the same "[", so
    the "!" only decides where the replaced text starts.
    """
    pieces: list[str] = []
    end = 0
    opened = -1  # the first "[" since the last "]": where a link ending at the next "]" starts
    closes = _NextFinder(text, ")")
    for bracket in _BRACKET_RE.finditer(text):
        at = bracket.start()
        if at < end:
            continue
        if text[at] == "[":
            if opened < 0:
                opened = at
            continue
        if opened >= 0 and text.startswith("(", at + 1):
            close = closes.find(at + 2)
            if close == -1:
                break  # no ")" left: no later link can end
            start = opened - 1 if opened > end and text[opened - 1] == "!" else opened
            pieces += (text[end:start], text[opened + 1 : at])
            end = close + 1
        opened = -1
    return "".join(pieces) + text[end:]


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text (for excerpts, descriptions, word counts)."""
    return " ".join(_unmarked(markdown).split())


def _blocks(markdown: str) -> Iterator[str]:
    """The blocks between blank lines, as ``_BLOCK_SEPARATOR_RE.split`` gives them, but lazily:
    callers usually stop at the first block."""
    start = 0
    for separator in _BLOCK_SEPARATOR_RE.finditer(markdown):
        yield markdown[start : separator.start()]
        start = separator.end()
    yield markdown[start:]


def first_paragraph(markdown: str) -> str:
    """Plain text of the first paragraph that is not a heading, list, admonition or image."""
    for block in _blocks(markdown.strip()):
        stripped = block.strip()
        if (
            not stripped
            or stripped[0] in "#!|-*+>"
            or stripped[0].isdigit()
            or "](" in stripped[:3]
        ):
            continue
        return plain_text(stripped)
    return plain_text(markdown)


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary, with an ellipsis, so descriptions fit search-result snippets."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-– ")
    return cut + "…"


def word_count(markdown: str) -> int:
    """How many words :func:`plain_text` has, counted without building the text or a list.

    Markup characters become spaces in the byte table instead of in copies of the text.
    """
    text = _without_constructs(markdown)
    if _has_other_spaces(text):
        return len(_unmarked(markdown).split())
    return _count_marks(text, _WORD_OR_MARKUP_MARKS)


def count_words(text: str) -> int:
    """``len(text.split())`` without creating a string per word (3x faster on article bodies)."""
    if _has_other_spaces(text):
        return len(text.split())
    return _count_marks(text, _WORD_MARKS)


# What str.split() splits at: the ASCII whitespace bytes, and a short list of other characters.
_ASCII_SPACE = bytes(b for b in range(128) if chr(b).isspace())
_OTHER_SPACES = "".join(c for c in map(chr, range(0x80, 0x3001)) if c.isspace())
# Every byte becomes "x" (part of a word), ASCII whitespace " " (in Latin-1 and UTF-8 alike,
# the other bytes are parts of characters that are not whitespace once _OTHER_SPACES are out).
_WORD_MARKS = bytes(0x20 if b in _ASCII_SPACE else 0x78 for b in range(256))
_WORD_OR_MARKUP_MARKS = bytes(
    0x20 if chr(b) in _MARKUP_CHARS else m for b, m in enumerate(_WORD_MARKS)
)


def _has_other_spaces(text: str) -> bool:
    """Whitespace outside ASCII (rare): str.split counts those words itself."""
    return not text.isascii() and any(space in text for space in _OTHER_SPACES)


def _count_marks(text: str, marks: bytes) -> int:
    """Words of ``text`` once ``marks`` turns each byte into " " (a separator) or "x": every
    word but a leading one starts with " x"."""
    try:
        raw = text.encode("latin-1")  # a plain copy when no character is above U+00FF
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    marked = raw.translate(marks)
    return marked.count(b" x") + marked.startswith(b"x")


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
