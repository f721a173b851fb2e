"""Small pure text helpers: slugs, plain-text excerpts, reading time, suggestions."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable

WORDS_PER_MINUTE = 230
"""Adult silent reading speed for non-fiction; the figure Medium and most blogs use."""

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
_MARKUP_RE = re.compile(r"[*_`>#|~]+")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_RE = re.compile(r"<[^>]+>")
_ADMONITION_RE = re.compile(r"^(?:!!!|\?\?\?\+?)\s*\w+(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_ATTR_LIST_RE = re.compile(r"\{:?[^}\n]*\}")


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text (for excerpts, descriptions, word counts)."""
    text = _CODE_FENCE_RE.sub(" ", markdown)
    text = _ADMONITION_RE.sub(" ", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _HTML_RE.sub(" ", text)
    text = _ATTR_LIST_RE.sub(" ", text)
    text = _MARKUP_RE.sub(" ", text)
    return " ".join(text.split())


def first_paragraph(markdown: str) -> str:
    """Plain text of the first paragraph that is not a heading, list, admonition or image."""
    for block in re.split(r"\n\s*\n", markdown.strip()):
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
    return len(plain_text(markdown).split())


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
