"""Plain text, word counts and excerpts: the fast versions agree with the plain definitions."""

from __future__ import annotations

import random
import re

import pytest

from hubgen.core.text import count_words, first_paragraph, plain_text, word_count

# The definitions as first written (one regex pass each, re.split into every block); the
# module skips passes that cannot match and counts words without a list, with the same results.
_CODE_FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_MARKUP_RE = re.compile(r"[*_`>#|~]+")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_RE = re.compile(r"<[^>]+>")
_ADMONITION_RE = re.compile(r"^(?:!!!|\?\?\?\+?)\s*\w+(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_ATTR_LIST_RE = re.compile(r"\{:?[^}\n]*\}")


def reference_plain_text(markdown: str) -> str:
    text = _CODE_FENCE_RE.sub(" ", markdown)
    text = _ADMONITION_RE.sub(" ", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _HTML_RE.sub(" ", text)
    text = _ATTR_LIST_RE.sub(" ", text)
    text = _MARKUP_RE.sub(" ", text)
    return " ".join(text.split())


def reference_first_paragraph(markdown: str) -> str:
    for block in re.split(r"\n\s*\n", markdown.strip()):
        stripped = block.strip()
        if (
            not stripped
            or stripped[0] in "#!|-*+>"
            or stripped[0].isdigit()
            or "](" in stripped[:3]
        ):
            continue
        return reference_plain_text(stripped)
    return reference_plain_text(markdown)


# Pieces that make up tricky Markdown: every construct plain_text handles, half-written ones,
# and the whitespace str.split() knows beyond ASCII.
PIECES = [
    "word", "Wörd", "£3,700", "x", " ", "  ", "\n", "\n\n", "\n  \n", "\t", "\u00a0", "\u2003",
    "\u3000", "\x85", "```", "~~~", "```python\ncode\n```", "~~~\n# no heading\n~~~\n", "`code`",
    "!!! tip", '!!! note "Title"', "??? info", "???+ warning", "!!", "!", "?", "[", "]", "(",
    ")", "](", "[text](url.md)", "![alt](img.png)", "[a [b] c](x)", "[ref]: x.md", "<b>",
    "</b>", "<", ">", "{: .class }", "{#id}", "{", "}", "**bold**", "_em_", "# Heading",
    "## H2", "> quote", "| a | b |", "|---|", "- item", "* item", "+ item", "1. one", "***",
]  # fmt: skip


def random_markdown(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 40)))


@pytest.mark.parametrize("seed", range(20))
def test_plain_text_word_count_and_excerpt_match_the_definitions(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        markdown = random_markdown(rng)
        expected = reference_plain_text(markdown)
        assert plain_text(markdown) == expected, markdown
        assert word_count(markdown) == len(expected.split()), markdown
        assert first_paragraph(markdown) == reference_first_paragraph(markdown), markdown


def test_count_words_splits_where_str_split_does() -> None:
    rng = random.Random(7)
    alphabet = [" ", "\n", "\t", "\x0b", "\x1c", "\x1f", "a", "é", "£", "€", "\ud800"]
    alphabet += [c for c in map(chr, range(0x80, 0x3001)) if c.isspace()]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
        assert count_words(text) == len(text.split()), repr(text)
    # The table of non-ASCII whitespace stops at U+3000: nothing above it is whitespace.
    assert not any(chr(c).isspace() for c in range(0x3001, 0x110000))


def test_plain_text_examples() -> None:
    body = (
        '!!! tip "Good news"\n\n    Keep **receipts** for [six years](tax.md).\n\n'
        "```\n# not a heading\n```\n\n![logo](logo.png){: .small } <b>done</b>\n"
    )
    assert plain_text(body) == "Keep receipts for six years. logo done"
    assert word_count(body) == 7
    assert first_paragraph("# Title\n\n![img](a.png)\n\nFirst *real* text.\n\nMore.") == (
        "First real text."
    )


def test_admonition_titles_may_span_lines_and_hide_other_markers() -> None:
    # The quoted title runs over the next line, so that line's "!!!" is part of the first match.
    body = '!!! note "a\n!!! tip\n"\nText after.\n\n!!! warning\n???+ info "x"\n'
    assert plain_text(body) == reference_plain_text(body) == "Text after."
    assert plain_text("!![x](a) ![y](b)![z](c)") == reference_plain_text("!![x](a) ![y](b)![z](c)")
