"""Python-Markdown's patterns, skipped on a text that lacks what every match of them holds.

Python-Markdown tries each inline pattern on every run of text, and each block processor on
every block, by a regular-expression search. Several of those expressions begin with a
lookbehind or an alternation, which Python's ``re`` cannot skip ahead on: it tries the
expression at every position of the text. A backtick code span, a link and a reference each
cost a search of the whole text, and prose rarely holds a backtick or a bracket. A third of the
time an article's body took to convert (3,000 bodies of the speed benchmark: 4.8 → 3.3 s of
CPU) went to searches that could not match.

:func:`prefilter` wraps those expressions in :class:`Prefiltered`, which first looks for the
text every match must contain (a backtick, a bracket, ``#`` at the start of a line…) with
``str.find``, and searches only when it is there. The converted HTML is the same by
construction: a search that is skipped could not have matched. Only expressions that are
exactly Python-Markdown's and pymdown-extensions' own are wrapped; a processor that an
extension has replaced or changed keeps its own expression.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import markdown
from markdown import blockprocessors, inlinepatterns

INLINE_NEEDS: Mapping[str, tuple[str, ...]] = {
    # Both alternatives end at (or look ahead to) a backtick.
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    # Links, references and short references (their expression is the same).
    inlinepatterns.LINK_RE: ("[",),
    # Images and image references.
    inlinepatterns.IMAGE_LINK_RE: ("![",),
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
}
"""An inline pattern's expression → texts of which every match holds at least one."""

BLOCK_NEEDS: Mapping[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    # (processor's name, attribute) → (its expression, texts of which every match holds one)
    ("hashheader", "RE"): (blockprocessors.HashHeaderProcessor.RE.pattern, ("#",)),
    ("setextheader", "RE"): (blockprocessors.SetextHeaderProcessor.RE.pattern, ("\n=", "\n-")),
    ("hr", "SEARCH_RE"): (blockprocessors.HRProcessor.SEARCH_RE.pattern, ("-", "_", "*")),
    ("quote", "RE"): (blockprocessors.BlockQuoteProcessor.RE.pattern, (">",)),
    # markdown.extensions.admonition's and pymdownx.details' openings.
    ("admonition", "RE"): (
        r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)',
        ("!!!",),
    ),
    ("details", "START"): (
        r'(?:^|\n)\?{3}(\+)? ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?)) *(?:\n|$)',
        ("???",),
    ),
}  # fmt: skip


class Prefiltered:
    """A compiled expression that searches a text only when it holds one of ``needles``."""

    __slots__ = ("_expression", "_needles")

    def __init__(self, expression: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self._expression = expression
        self._needles = needles

    def _absent(self, text: str, pos: int) -> bool:
        needles = self._needles
        if len(needles) == 1:  # most: no generator for the million texts of a large build
            return text.find(needles[0], pos) < 0
        return all(text.find(needle, pos) < 0 for needle in needles)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text, pos) else self._expression.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text, pos) else self._expression.match(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self._absent(text, pos):
            return iter(())
        return self._expression.finditer(text, pos, endpos)

    def __getattr__(self, name: str) -> Any:
        # Everything else (pattern, flags, sub, …) is the expression's own.
        return getattr(self._expression, name)


def prefilter(md: markdown.Markdown) -> int:
    """Wrap ``md``'s known slow expressions in :class:`Prefiltered`; how many were wrapped."""
    wrapped = 0
    for pattern in md.inlinePatterns:
        compiled = getattr(pattern, "compiled_re", None)
        if isinstance(compiled, re.Pattern) and (needles := INLINE_NEEDS.get(compiled.pattern)):
            # Python-Markdown reads it through getCompiledRegExp(), which returns the attribute.
            setattr(pattern, "compiled_re", Prefiltered(compiled, needles))  # noqa: B010
            wrapped += 1
    for (name, attribute), (expression, needles) in BLOCK_NEEDS.items():
        if name not in md.parser.blockprocessors:
            continue
        processor = md.parser.blockprocessors[name]
        compiled = getattr(processor, attribute, None)
        if isinstance(compiled, re.Pattern) and compiled.pattern == expression:
            setattr(processor, attribute, Prefiltered(compiled, needles))
            wrapped += 1
    return wrapped
