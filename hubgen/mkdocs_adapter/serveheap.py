"""``mkdocs serve``'s heap, settled between builds so a rebuild's garbage collections stay short.

The serving process keeps what each build leaves behind (the plugin, MkDocs' and the theme's
modules, hubgen's caches), about 200,000 objects at 3,000 articles, and Python's full
collections walk all of them: a one-article rebuild spent 0.8 s in five of them. Once a build
has ended, its garbage is collected and what survives is frozen (:func:`gc.freeze`), so the
next rebuild's collections walk only the objects it makes itself (0.3 s).

Frozen objects are never collected as cycles, so each settling first unfreezes the last one's:
what the previous build left and this one replaced is collected then. It runs in a thread a
moment after the build, while the browsers reload, not in the build's time.
"""

from __future__ import annotations

import gc
import threading

SETTLE_DELAY = 0.05
"""Seconds after a build before its heap is settled: MkDocs first tells the browsers to reload."""


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
