"""The build's heap, frozen as it grows so that Python's full collections stay short.

Python's full (generation 2) collection walks every object the process holds. A build holds
the hub, MkDocs' and the theme's modules and hubgen's caches to its end, about 200,000 objects
at 3,000 articles, and a full collection of them all is 0.05 to 0.2 s. Whatever the build makes
then (the search merge's word lists) triggers a few: a one-article rebuild spent 0.3 s of its
2.4 s in them, a cold build 0.35 s in the merge's and the one at the interpreter's exit.

- A build marks the points after which what it holds lives to its end (:func:`hold`: its
  start, the hub loaded, the files listed, the pages written): that is frozen (:func:`gc.freeze`), so later
  collections walk only what is made after it. Frozen objects are never collected as cycles;
  the next build in the same process (tests, `hubgen` commands that build twice) unfreezes
  and collects them first (:func:`begin`), so a build's cycles live until the next build.
- ``mkdocs serve`` keeps what a build leaves behind for the next: once a build has ended, its
  garbage is collected and what survives is frozen (:func:`settle`), so the next rebuild's
  collections walk only the objects it makes itself (a one-article rebuild spent 0.8 s in five
  full collections before). Each settling first unfreezes the last one's: what the previous
  build left and this one replaced is collected then. It runs in a thread a moment after the
  build, while the browsers reload, not in the build's time.
"""

from __future__ import annotations

import gc
import threading

SETTLE_DELAY = 0.05
"""Seconds after a build before its heap is settled: MkDocs first tells the browsers to reload."""


def begin(*, preview: bool) -> None:
    """A build starts: what a previous build in this process held is collected now, and what
    is left (MkDocs, the theme, the plugins and their configuration, loaded before the build)
    is held, so loading the hub does not walk it (under ``serve`` it stays frozen, as
    :func:`settle` left it)."""
    if preview:
        return
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    hold()


def hold() -> None:
    """What the build holds now lives until it ends: later collections skip it."""
    gc.freeze()


def settle_later() -> threading.Timer:
    """Collect the garbage of the build that just ended and freeze the rest, shortly."""
    timer = threading.Timer(SETTLE_DELAY, settle)
    timer.daemon = True
    timer.start()
    return timer


def settle() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
