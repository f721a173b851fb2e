"""`mkdocs serve`'s heap settled between builds: survivors frozen, yet no build's cycles leak."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from hubgen.mkdocs_adapter.serveheap import settle, settle_later


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
