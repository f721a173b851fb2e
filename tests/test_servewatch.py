"""`mkdocs serve`'s watcher held during a build: with watchdog's real polling observer."""

from __future__ import annotations

import queue
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from hubgen.mkdocs_adapter.servewatch import BuildGate

POLL = 0.05


def watching(folder: Path) -> tuple[PollingObserver, queue.Queue[str]]:
    observer = PollingObserver(timeout=POLL)
    seen: queue.Queue[str] = queue.Queue()

    def record(event: FileSystemEvent) -> None:
        if not event.is_directory:
            seen.put(Path(str(event.src_path)).name)

    handler = FileSystemEventHandler()
    handler.on_any_event = record  # type: ignore[method-assign]
    observer.schedule(handler, str(folder), recursive=True)
    return observer, seen


def test_a_file_saved_during_a_build_is_seen_once_the_build_ends(tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text("first", "utf-8")
    observer, seen = watching(tmp_path)
    gate = BuildGate()
    gate.hold(observer)
    gate.building()
    observer.start()  # takes the snapshot the first poll compares with
    try:
        (tmp_path / "article.md").write_text("second, saved while building", "utf-8")
        time.sleep(20 * POLL)
        assert seen.empty(), "the watcher polled during the build"
        gate.built()
        assert seen.get(timeout=30) == "article.md"
    finally:
        observer.stop()
        observer.join(timeout=30)
    assert not observer.is_alive()


def test_the_watcher_polls_as_usual_between_builds(tmp_path: Path) -> None:
    observer, seen = watching(tmp_path)
    gate = BuildGate()
    gate.hold(observer)
    gate.hold(observer)  # once per emitter, however often it is asked
    observer.start()
    try:
        (tmp_path / "new.md").write_text("x", "utf-8")
        assert seen.get(timeout=30) == "new.md"
    finally:
        observer.stop()
        observer.join(timeout=30)


def test_a_held_watcher_stops_without_waiting_for_the_build(tmp_path: Path) -> None:
    observer, _ = watching(tmp_path)
    gate = BuildGate()
    gate.hold(observer)
    gate.building()  # a build that never ends: serve is stopped mid-build
    observer.start()
    observer.stop()
    observer.join(timeout=30)
    assert not observer.is_alive()


def test_watchers_without_emitters_are_left_alone() -> None:
    gate = BuildGate()
    gate.hold(object())
    gate.building()
    gate.built()
