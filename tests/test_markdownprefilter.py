"""Prefiltered Markdown expressions skip only searches that could not match: the HTML is the same."""

from __future__ import annotations

import random
import re

import markdown
import pytest

from hubgen.core.markdownprefilter import (
    BLOCK_NEEDS,
    INLINE_NEEDS,
    PlainTextSkippingInlineProcessor,
    Prefiltered,
    prefilter,
)

EXTENSIONS = [
    "toc", "tables", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
    "sane_lists", "smarty", "meta", "pymdownx.details", "pymdownx.superfences",
]  # fmt: skip
CONFIGS = {"toc": {"permalink": True}}
DEMO = ["admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]
"""The demo hub's and the speed benchmark's: every inline pattern prefiltered, so plain runs of
text skip the patterns (with footnotes or smarty, whose patterns are not, they do not)."""

# Pieces of Markdown, each near the edge of one construct the prefiltered expressions find.
PIECES = [
    "plain words", "`code`", "``two `ticks` here``", "\\`not code\\`", "\\\\`odd`", "\\*",
    "[a link](x.md)", "[ref][r]", "[r]", "![img](i.png)", "![ref img][r]", "!not an image",
    "<https://example.com>", "<someone@example.com>", "<b>bold</b>", "<!-- note -->", "a < b",
    "&amp;", "&#169;", "&copy", "& loose", "two spaces  \nbreak", "*em*", "__strong__", "_a_b_",
    "# Title", "## Title ##", "#hashtag", "Setext\n===", "Setext\n---", "x\n-", "***", "- - -",
    "___", "> quoted", ">not quoted?", "a > b", '!!! note "Careful"\n    Inside.', "!!!",
    '??? tip "More"\n    Hidden.', "???+ warning\n    Open.", "???", "| a | b |\n|---|---|\n| 1 | 2 |",
    "Term\n:   Definition.", "Note[^n].\n\n[^n]: The note.", "[r]: https://example.com/r",
    "1. one\n2. two", "* star\n* list", "```\nfenced `code` [x]\n```", "    indented code", "{: .lead }",
]  # fmt: skip


def _document(rng: random.Random) -> str:
    blocks = []
    for _ in range(rng.randint(1, 8)):
        line = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
        blocks.append(line)
    return rng.choice(["\n\n", "\n"]).join(blocks) + "\n"


@pytest.mark.parametrize(
    "extensions", [DEMO, EXTENSIONS, [*DEMO, "pymdownx.mark", "pymdownx.caret"]],
    ids=["demo", "many", "unfiltered-patterns"],
)  # fmt: skip
def test_prefiltered_markdown_converts_every_document_as_plain_markdown_does(
    extensions: list[str],
) -> None:
    plain = markdown.Markdown(extensions=extensions, extension_configs=CONFIGS)
    filtered = markdown.Markdown(extensions=extensions, extension_configs=CONFIGS)
    assert prefilter(filtered) > 0
    rng = random.Random(20261205)
    for _ in range(1500):
        document = _document(rng)
        assert filtered.reset().convert(document) == plain.reset().convert(document), document
    marked = "A ==marked== and ^^inserted^^ word.\n"
    assert filtered.reset().convert(marked) == plain.reset().convert(marked)


def test_plain_runs_skip_the_patterns_only_while_every_pattern_is_prefiltered() -> None:
    demo = markdown.Markdown(extensions=DEMO)
    prefilter(demo)
    inline = demo.treeprocessors["inline"]
    assert isinstance(inline, PlainTextSkippingInlineProcessor)
    demo.convert("Plain words, and *some* `code`.")
    assert inline._needles is not None and {"*", "`", "["} <= set(inline._needles)
    # An extension's own pattern (pymdownx.mark's ==…==) has no known needle: no skipping.
    marked = markdown.Markdown(extensions=[*DEMO, "pymdownx.mark"])
    prefilter(marked)
    assert marked.convert("A ==marked== word.") == "<p>A <mark>marked</mark> word.</p>"
    assert marked.treeprocessors["inline"]._needles is None


def test_every_slow_expression_of_these_markdown_versions_is_prefiltered() -> None:
    """All 14 of Python-Markdown's inline patterns and the 6 block openings: were one renamed or
    rewritten by a new Python-Markdown, it would be left unfiltered (slower, not wrong)."""
    md = markdown.Markdown(extensions=DEMO)
    assert prefilter(md) == 14 + 6
    assert len(md.inlinePatterns) == 14
    assert isinstance(md.inlinePatterns["backtick"].getCompiledRegExp(), Prefiltered)
    assert isinstance(md.parser.blockprocessors["details"].START, Prefiltered)


ALPHABET = "ab #=-_*>!?`\\[]()<>@&;:/.\n  "


def _expressions() -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
    """Each prefiltered expression as Python-Markdown compiled it (its flags), and its needles."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    found = {}
    for name in md.inlinePatterns._data:
        compiled = md.inlinePatterns[name].compiled_re
        if compiled.pattern in INLINE_NEEDS:
            found[name] = (compiled, INLINE_NEEDS[compiled.pattern])
    for (name, attribute), (_pattern, needles) in BLOCK_NEEDS.items():
        found[f"{name}.{attribute}"] = (
            getattr(md.parser.blockprocessors[name], attribute),
            needles,
        )
    return found


EXPRESSIONS = _expressions()


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_no_match_without_one_of_its_needles(name: str) -> None:
    """What makes the prefilter safe: wherever an expression matches, from wherever it starts,
    the text from there holds one of its needles. Random texts over the characters that matter,
    and texts seeded with near-misses of each construct."""
    expression, needles = EXPRESSIONS[name]
    rng = random.Random(name)
    matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24)))
        for _ in range(rng.randint(0, 3)):  # near-misses of each construct, anywhere
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(PIECES) + text[at:]
        pos = 0 if rng.random() < 0.5 else rng.randint(0, len(text))
        found = expression.search(text, pos)
        if found is not None:
            matched += 1
            assert any(needle in text[pos:] for needle in needles), (text, pos, found)
        if (at_start := expression.match(text, pos)) is not None:
            assert any(needle in text[pos:] for needle in needles), (text, pos, at_start)
    assert matched > 0  # the texts did reach the expression's matches


def test_an_expression_an_extension_changed_is_left_alone() -> None:
    md = markdown.Markdown(extensions=["admonition"])
    md.parser.blockprocessors["admonition"].RE = re.compile(r"(?:^|\n)!! (\w+)")
    own = md.parser.blockprocessors["admonition"].RE
    prefilter(md)
    assert md.parser.blockprocessors["admonition"].RE is own


def test_a_prefiltered_expression_answers_as_its_expression() -> None:
    expression = re.compile(r"(?<!\\)`")
    filtered = Prefiltered(expression, ("`",))
    assert filtered.search("no ticks") is None
    assert filtered.search("a `tick`", 3).start() == 7  # type: ignore[union-attr]
    assert filtered.match("`x", 0) is not None and filtered.match("x`", 0) is None
    assert [m.start() for m in filtered.finditer("`a` `b`", 1)] == [2, 4, 6]
    assert list(filtered.finditer("plain", 0)) == []
    assert filtered.pattern == expression.pattern and filtered.flags == expression.flags
