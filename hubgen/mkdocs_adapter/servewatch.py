"""``mkdocs serve``'s file watcher, held while a build runs.

MkDocs polls every watched folder twice a second from a thread of the serving process
(watchdog's ``PollingObserver``). At 3,000 articles a poll stats 3,300 files, releasing and
taking back Python's lock around each ``stat``, and during a rebuild every hand-over costs the
build its turn: a one-article rebuild took 7.1 s with such a poller started beside it and
6.2 s without (``mkdocs build``, three builds each, alternated).

A poll during a build finds nothing MkDocs could act on before the build ends, so the polls
wait for it to end. The first poll after it compares the folders with the snapshot taken before
the build, so a file saved meanwhile still triggers the next rebuild.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

HELD_POLL_CHECK = 0.1
"""Seconds between looks at whether the watcher was stopped while it waits for a build."""


class BuildGate:
    """Holds the polls of a ``LiveReloadServer``'s watcher while a build runs."""

    def __init__(self) -> None:
        self._idle = threading.Event()
        self._idle.set()
        self._held: weakref.WeakSet[Any] = weakref.WeakSet()
        """Emitters whose polls already wait at this gate."""

    def hold(self, observer: Any) -> None:
        """Make each of ``observer``'s emitters wait for the build before it polls.

        ``observer``: the server's watchdog observer. Its emitters are public API
        (``BaseObserver.emitters``, ``EventEmitter.queue_events``); a watcher without them
        (another observer type) is left as it is.
        """
        for emitter in getattr(observer, "emitters", ()):
            if emitter in self._held or not hasattr(emitter, "queue_events"):
                continue
            self._held.add(emitter)
            emitter.queue_events = self._gated(emitter.queue_events, emitter.stopped_event)

    def _gated(
        self, poll: Callable[[float], None], stopped: threading.Event
    ) -> Callable[[float], None]:
        def queue_events(timeout: float) -> None:
            while not self._idle.wait(HELD_POLL_CHECK):
                if stopped.is_set():
                    return
            poll(timeout)

        return queue_events

    def building(self) -> None:
        self._idle.clear()

    def built(self) -> None:
        """The build ended, written or failed: the watcher polls again."""
        self._idle.set()
