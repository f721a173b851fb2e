"""What the loader remembers by text (`mkdocs serve` loads the hub again on every rebuild)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hubkit import HubDir

from hubgen.load.textmemo import (
    TextMemo,
    next_load,
    remember_across_loads,
    remembers_across_loads,
)

CASH = "content/articles/2025-07-01-cash.md"


def test_each_text_is_computed_once_until_two_loads_go_by_without_it() -> None:
    calls: list[str] = []
    memo = TextMemo(lambda text: calls.append(text) or len(text))
    assert memo("abc") == memo("abc") == 3
    next_load()
    assert memo("abc") == 3  # asked for by the previous load: still known
    next_load()
    next_load()
    assert memo("abc") == 3  # not asked for by the last two loads: computed again
    assert calls == ["abc", "abc"]


@pytest.fixture(autouse=True)
def as_before() -> Iterator[None]:
    """The setting is the process's (a plugin started for `serve` earlier sets it): restored."""
    before = remembers_across_loads()
    yield
    remember_across_loads(before)


@pytest.fixture
def serving() -> None:
    """As under `mkdocs serve`: parsed YAML and body scans are remembered across loads."""
    remember_across_loads()


def test_memos_for_many_loads_remember_nothing_until_the_process_says_so() -> None:
    calls: list[str] = []
    memo = TextMemo(lambda text: calls.append(text) or len(text), across_loads=True)
    remember_across_loads(False)  # one `mkdocs build`: nothing kept alive for nothing
    memo("abc")
    memo("abc")
    assert calls == ["abc", "abc"]
    remember_across_loads()
    memo("abc")
    memo("abc")
    assert calls == ["abc", "abc", "abc"]


@pytest.mark.usefixtures("serving")
def test_a_hub_loaded_again_after_an_edit_shows_the_edit(minihub: HubDir) -> None:
    def cash() -> tuple[int, str, list[str]]:
        hub, problems = minihub.load()
        article = next(a for a in hub.articles if a.source == CASH)
        return article.words, article.title, [p.as_text() for p in problems if p.path == CASH]

    words, title, problems = cash()
    assert problems == []
    text = minihub.read(CASH)
    minihub.write(
        CASH, text.replace(f"title: {title}", "title: Cash, edited") + "\nMore [x](gone.md)\n"
    )
    edited_words, edited_title, edited_problems = cash()
    assert edited_title == "Cash, edited"
    assert edited_words == words + 2
    assert len(edited_problems) == 1 and "gone.md" in edited_problems[0]
    minihub.write(CASH, text)
    assert cash() == (words, title, [])


@pytest.mark.usefixtures("serving")
def test_the_same_broken_front_matter_is_reported_on_every_load(minihub: HubDir) -> None:
    text = minihub.read(CASH)
    minihub.write(CASH, text.replace("title:", "title: [unclosed", 1))
    first = minihub.problems_text()
    assert any("invalid YAML" in line for line in first)
    assert minihub.problems_text() == first
