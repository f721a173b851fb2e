"""What the loader remembers by text (`mkdocs serve` loads the hub again on every rebuild)."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hubkit import HubDir

from hubgen.core.models import Hub
from hubgen.load import articles, sourcefile
from hubgen.load.textmemo import (
    TextMemo,
    kept_between_builds,
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


# -- kept between builds (one process each) ----------------------------------------------------


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts whose front matter is parsed, words counted or limits measured, as they are
    computed."""
    calls: list[str] = []
    for memo in (articles._WORDS, articles._LIMITS, *sourcefile._PARSED.values()):
        compute = memo.compute

        def spy(text: str, compute: Callable[[str], Any] = compute) -> Any:
            calls.append(text)
            return compute(text)

        monkeypatch.setattr(memo, "compute", spy)
    return calls


def loaded(minihub: HubDir, kept: Path, salt: str = "s1") -> tuple[Hub, list[str]]:
    next_load()
    with kept_between_builds(kept, salt):
        hub, problems = minihub.load()
    return hub, [problem.as_text() for problem in problems]


def test_a_build_takes_what_the_last_one_read_from_each_text_and_gets_the_same_hub(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember_across_loads(False)  # each `mkdocs build` a process of its own
    # A problem with a position, to show positions come back as they were.
    text = minihub.read(CASH).replace("title:", "title: !!python/name:os.system\ntitle:", 1)
    minihub.write(CASH, text + "\n" + "> " * 20 + "Quoted too deep.\n")  # and a body limit
    kept = tmp_path / "texts.marshal"
    loaded(minihub, tmp_path / "warm-up.json")  # every memo made
    calls = counted(monkeypatch)
    first, first_problems = loaded(minihub, kept)
    assert calls and kept.is_file()
    assert any("line 2" in p or ":2:" in p for p in first_problems if CASH in p)
    assert any("the limit is 16" in p for p in first_problems if CASH in p)
    calls.clear()
    again, again_problems = loaded(minihub, kept)
    assert calls == []  # nothing parsed or counted again
    assert again == first and again_problems == first_problems
    # An edit to a body: its words are counted again (its front matter is as it was), and the
    # file keeps only what this load asked for.
    other = next(a for a in first.articles if a.source != CASH)
    minihub.write(other.source, minihub.read(other.source) + "\nThree more words.\n")
    edited, _ = loaded(minihub, kept)
    assert len(calls) == 2 and all(c.endswith("Three more words.\n") for c in calls)
    assert next(a for a in edited.articles if a.source == other.source).words == other.words + 3
    entries = marshal.loads(kept.read_bytes())["memos"]["words"]
    assert len(entries) == len(edited.articles)


def test_kept_results_of_other_code_or_damaged_are_computed_again(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember_across_loads(False)
    kept = tmp_path / "texts.marshal"
    loaded(minihub, tmp_path / "warm-up.json")
    calls = counted(monkeypatch)
    expected, expected_problems = loaded(minihub, kept)
    computed = len(calls)
    calls.clear()
    assert loaded(minihub, kept, salt="other code") == (expected, expected_problems)
    assert len(calls) == computed  # another salt: nothing taken
    data = marshal.loads(kept.read_bytes())
    for entries in data["memos"].values():
        for digest in entries:
            entries[digest] = {"not": "what was kept"}
    kept.write_bytes(marshal.dumps(data))
    calls.clear()
    assert loaded(minihub, kept, salt="other code") == (expected, expected_problems)
    assert len(calls) == computed  # damaged: computed again, not trusted
    kept.write_bytes(b"not marshal data")
    assert loaded(minihub, kept, salt="other code") == (expected, expected_problems)
