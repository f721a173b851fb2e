"""Links found in article bodies: the scanner that skips lines agrees with a pass over every line."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from hubgen.load.links import broken_links, local_links, relative_targets

# The definition as first written: every line of the body, each pattern tried on each line.
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")


def reference_targets(body: str) -> Iterator[tuple[str, int, int]]:
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


# Links of every shape, near misses, fences (also indented and unclosed), code spans (the
# scanner has never treated them specially), and every line break str.splitlines() knows.
PIECES = [
    "text", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85",
    "\u2028", "\u2029", "£", "[a](b.md)", "![img](pic.png)", "[a](<c d.md>)", '[t](e.md "T")',
    "[x]( spaced.md )", "[](empty.md)", "[a][b]", "[ref]: f.md", '   [r]: <g.md> "Title"',
    "    [deep]: h.md", "[r]:i.md", "]", "[", "(", ")", "](", "]:", "!", "`[code](j.md)`",
    "```", "~~~", "  ```python", "```\n[in](fence.md)\n```", "#anchor", "[s](#same)",
    "[u](https://x.example/a.md)", "[q](k.md?x=1#frag)", "[w](../out.md)", "[p](/abs.md)",
]  # fmt: skip


def random_body(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 30)))


@pytest.mark.parametrize("seed", range(20))
def test_relative_targets_match_a_pass_over_every_line(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        body = random_body(rng)
        assert list(relative_targets(body)) == list(reference_targets(body)), repr(body)


def test_positions_in_a_long_body_with_links_on_a_few_lines() -> None:
    prose = "Plain prose without brackets, line after line.\n" * 40
    body = prose + "See [the guide](guide.md) and ![chart](chart.png).\n" + prose
    body += "[ref]: notes.md\n" + prose + "last [one](end.md)"
    assert list(relative_targets(body)) == [
        ("guide.md", 41, 17),
        ("chart.png", 41, 40),
        ("notes.md", 82, 8),
        ("end.md", 123, 12),
    ]
    assert list(relative_targets(body)) == list(reference_targets(body))


def test_links_inside_fences_are_skipped_and_lines_still_counted() -> None:
    body = "[a](one.md)\n```\n[b](two.md)\n```\n\r[c](three.md)\n"
    assert list(relative_targets(body)) == [("one.md", 1, 5), ("three.md", 6, 5)]


def test_local_and_broken_links() -> None:
    body = "[a](b.md#part) [s](#top) [x](https://example.com/) [up](../../etc/passwd)"
    found = list(local_links(body, "articles/post.md"))
    assert [(link.uri, link.fragment, link.same_page) for link in found] == [
        ("articles/b.md", "part", False),
        ("articles/post.md", "top", True),
        ("../etc/passwd", "", False),
    ]
    broken = broken_links(body, "articles/post.md", lambda uri: uri == "articles/b.md")
    assert [(b.target, b.resolved) for b in broken] == [("../../etc/passwd", "../etc/passwd")]
