"""The build's heap frozen as it grows, and `mkdocs serve`'s settled between builds: later
collections skip what is held, yet no build's cycles outlive the next build."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from hubkit import demo_copy

from hubgen.cli import main
from hubgen.mkdocs_adapter import heap
from hubgen.mkdocs_adapter.heap import begin, hold, settle, settle_later
from hubgen.mkdocs_adapter.plugin import HubgenPlugin


class Node:
    """Something that refers to itself: freed by the garbage collector only."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_what_a_build_keeps_is_frozen_and_collected_once_it_is_dropped() -> None:
    kept = Node()
    ref = weakref.ref(kept)
    settle()  # kept by the plugin: frozen, so the next build's collections skip it
    assert gc.get_freeze_count() > 0
    del kept
    gc.collect()
    assert ref() is not None, "a frozen cycle is not collected"
    settle()  # the next build replaced it: unfrozen first, so it is collected now
    assert ref() is None


def test_settling_runs_after_the_build_in_a_thread_of_its_own() -> None:
    garbage = Node()
    ref = weakref.ref(garbage)
    del garbage
    settle_later().join(timeout=30)
    assert ref() is None
    assert gc.get_freeze_count() > 0


def test_what_a_build_holds_is_skipped_by_collections_until_the_next_build_begins() -> None:
    held = Node()
    ref = weakref.ref(held)
    hold()  # the hub loaded: later collections do not walk it
    assert not any(obj is held for obj in gc.get_objects())
    del held
    gc.collect()
    assert ref() is not None, "a held cycle outlives its build's collections"
    begin(preview=True)  # `serve`: what the last build settled stays frozen
    gc.collect()
    assert ref() is not None
    begin(preview=False)  # a build after this one in the same process lets it go
    gc.collect()
    assert ref() is None


def test_a_build_holds_what_it_made_until_the_next_build_begins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = demo_copy(tmp_path / "hub")
    dropped: list[weakref.ref[Node]] = []  # a cycle dropped just before each hold
    original = heap.hold

    def hold() -> None:
        garbage = Node()
        dropped.append(weakref.ref(garbage))
        del garbage
        original()

    walked: list[bool] = []
    ended = HubgenPlugin._build_ended

    def build_ended(plugin: HubgenPlugin) -> None:
        walked.append(any(obj is plugin.catalog for obj in gc.get_objects()))
        ended(plugin)

    monkeypatch.setattr(heap, "hold", hold)
    monkeypatch.setattr(HubgenPlugin, "_build_ended", build_ended)
    build = ["build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(tmp_path / "site")]
    assert main(build) == 0
    assert walked == [False]  # the hub is held: the build's last collections skip it
    first = list(dropped)
    assert len(first) == 4  # its start, the hub loaded, the files listed, the pages written
    gc.collect()
    assert all(ref() is not None for ref in first)  # frozen, so not collected yet
    assert main(build) == 0
    assert all(ref() is None for ref in first)  # collected as the next build began
