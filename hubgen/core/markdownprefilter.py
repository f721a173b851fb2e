"""Python-Markdown's patterns, skipped on a text that lacks what every match of them holds.

Python-Markdown tries each inline pattern on every run of text, and each block processor on
every block, by a regular-expression search. Several of those expressions begin with a
lookbehind or an alternation, which Python's ``re`` cannot skip ahead on: it tries the
expression at every position of the text. A backtick code span, a link and a reference each
cost a search of the whole text, and prose rarely holds a backtick or a bracket. A third of the
time an article's body took to convert (3,000 bodies of the speed benchmark: 4.8 → 3.3 s of
CPU) went to searches that could not match.

:func:`prefilter` wraps those expressions in :class:`Prefiltered`, which first looks for the
text every match must contain (a backtick, a bracket, a ``#``…) with
``str.find``, and searches only when it is there. The converted HTML is the same by
construction: a search that is skipped could not have matched. Only expressions that are
exactly Python-Markdown's and pymdown-extensions' own are wrapped; a processor that an
extension has replaced or changed keeps its own expression.

Even skipped, each of the 14 inline patterns costs a few calls per run of text (100,000 runs in
3,000 bodies). When every inline pattern is prefiltered, a run holding none of their needles
(a paragraph or a heading without code, links, emphasis or HTML) is left as it is at once
(:class:`PlainTextSkippingInlineProcessor`): every pattern would have found nothing in it.
With both, 3,000 bodies convert in 2.5 s of CPU instead of 4.8 s, to the same HTML.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import markdown
from markdown import blockprocessors, inlinepatterns, treeprocessors, util

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
    # Emphasis and strong: one delimiter processor for both (Python-Markdown 3.11), or one
    # processor for each (3.6-3.10).
    r"\*|_": ("*", "_"),
    r"\*": ("*",),
    "_": ("_",),
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

    __slots__ = ("_expression", "needles")

    def __init__(self, expression: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self._expression = expression
        self.needles = needles

    def _absent(self, text: str, pos: int) -> bool:
        needles = self.needles
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


class PlainTextSkippingInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, leaving a run of text that holds no needle of any
    inline pattern as it is, without trying each pattern on it. Only while every pattern is
    :class:`Prefiltered` (checked for each document: an extension may register more)."""

    _needles: tuple[str, ...] | None = None

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self._needles = _inline_needles(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # InlineProcessor.__handleInline, by its mangled name: the method a run of text goes to.
        if (
            patternIndex == 0
            and self._needles is not None
            and not isinstance(data, util.AtomicString)
        ):
            for needle in self._needles:
                if needle in data:
                    break
            else:
                return data  # the loop below would have found no pattern's match in it
        assert _HANDLE_INLINE is not None  # prefilter() swaps this class in only then
        return _HANDLE_INLINE(self, data, patternIndex)  # an AtomicString stays one


_HANDLE_INLINE: Callable[..., str] | None = getattr(
    treeprocessors.InlineProcessor, "_InlineProcessor__handleInline", None
)


def _inline_needles(patterns: Any) -> tuple[str, ...] | None:
    """Every needle of ``patterns``, or None when one of them is not prefiltered."""
    needles: set[str] = set()
    for pattern in patterns:
        compiled = getattr(pattern, "compiled_re", None)
        if not isinstance(compiled, Prefiltered):
            return None
        needles.update(compiled.needles)
    return tuple(sorted(needles))


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
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None  # noqa: SIM401 (a Registry has no get)
    if type(inline) is treeprocessors.InlineProcessor and _HANDLE_INLINE is not None:
        # The same object, its class swapped: whatever holds it keeps holding it.
        inline.__class__ = PlainTextSkippingInlineProcessor
    return wrapped
