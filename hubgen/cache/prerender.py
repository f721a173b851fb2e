"""Render article bodies in worker processes before MkDocs' page loop, into the render cache.

MkDocs renders pages one after the other on one core. Converting an article's Markdown (and
sanitizing the HTML) depends only on its body, its URL, the files it links to and the Markdown
configuration, which is exactly what the render cache's key signs; so the bodies a cold build
would convert are converted by forked workers and stored under their keys, and the loop finds
them there as on any warm build. The HTML is the same bytes either way: the workers call the
same ``Page.render`` with the same config and files (inherited by ``fork``, never re-read or
re-configured) and the same sanitizer.

The page loop does not wait for them (:class:`Stream`): it starts at once and converts each
body itself when it gets to its page, unless a worker already has; the workers take the bodies
from the last page back, so the first pages' templates render while the last pages' Markdown
converts, and each side stops where it meets the other. (Until 2026-12-03 the workers converted
every body first, and the loop waited: the pages' templates kept one core busy and left the
other idle.)

What a worker logs (a broken link, say) is captured and logged again by the parent when the
loop takes that body, so ``--strict`` counts it as in a one-process build. A body that fails
to render is left to the page loop, which raises the same error, naming the same page.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import mmap
import multiprocessing
import os
import shutil
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.hubgen")

JOBS_ENV = "HUBGEN_JOBS"
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")
"""MkDocs events that run between reading a page and storing its body: with a handler of another
plugin among them, a worker could not repeat what the page loop does, so nothing is prerendered."""
MIN_BODIES = 2
"""Fewer bodies than this are rendered in the page loop: starting workers would cost more."""
WORKER_NICENESS = 5
"""How much less CPU time a worker gets than the page loop when they share a core."""
BACKGROUND_NICENESS = 10
"""A :class:`Background` worker's (the social cards, needed only when the build ends): below
the body workers the page loop may be waiting for, which get about three times its share of a
shared core. Not the lowest: at 19, Pagefind (at :data:`WORKER_NICENESS`) left it a fifth of a
core, and at 3,000 articles the build then waited 2.5 s for the last cards with a core idle."""


def lower_priority(pid: int) -> None:
    """Let the page loop go first on a shared core (where the system allows it): process ``pid``
    (Pagefind's, the search parts' preparing one) at :data:`WORKER_NICENESS`."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, pid, WORKER_NICENESS)


class JobsError(ValueError):
    """``HUBGEN_JOBS`` or ``--jobs`` is not a positive whole number."""


def default_jobs() -> int:
    """The CPUs this process may use (``os.process_cpu_count`` from Python 3.13)."""
    counter: Callable[[], int | None] | None = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def parse_jobs(text: str, source: str = JOBS_ENV) -> int:
    try:
        jobs = int(text.strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise JobsError(
            f"{source}: expected a positive whole number of worker processes but received: "
            f"{text!r} (1 renders on one core)"
        )
    return jobs


def resolve_jobs(explicit: int | None = None) -> int:
    """``explicit`` (``--jobs``), else ``HUBGEN_JOBS``, else every CPU this process may use."""
    if explicit is not None:
        return parse_jobs(str(explicit), "--jobs")
    if (env := os.environ.get(JOBS_ENV, "").strip()) != "":
        return parse_jobs(env)
    return default_jobs()


def can_fork() -> bool:
    """Workers inherit the build by ``fork``: not on Windows, and not once other threads run
    (``mkdocs serve``'s server), where a forked child could inherit a lock held mid-operation."""
    methods = multiprocessing.get_all_start_methods()
    return "fork" in methods and sys.platform != "win32" and threading.active_count() == 1


def foreign_page_handlers(plugins: Any, own: object) -> list[str]:
    """Handlers of :data:`PAGE_EVENTS` that are not bound to ``own`` (hubgen's plugin)."""
    names = []
    for event in PAGE_EVENTS:
        for handler in plugins.events.get(event, ()):
            if getattr(handler, "__self__", None) is not own:
                names.append(f"{event}: {getattr(handler, '__qualname__', repr(handler))}")
    return names


@dataclass(frozen=True)
class Outcome:
    index: int
    ok: bool
    records: tuple[tuple[str, int, str], ...]
    """What the worker logged: (logger name, level, message)."""


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_WORK: Callable[[int], None] | None = None
"""What a worker does with one item; set in the parent right before the fork, so workers
inherit it (closures included) and only item numbers and outcomes cross between processes."""
_CAPTURE: _Capture | None = None


def _start_worker(niceness: int) -> None:
    """In each new worker: everything logged goes to one capture, nothing to the terminal; and
    a lower priority than the page loop's, whose pages are the build's longest path (the
    workers only make what the loop would otherwise make itself)."""
    global _CAPTURE
    with contextlib.suppress(OSError):
        os.nice(niceness)
    _CAPTURE = _Capture()
    manager = logging.Logger.manager
    loggers = [logging.getLogger()] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        if logger.handlers:
            logger.handlers = [_CAPTURE]


def _run(indices: Sequence[int]) -> list[Outcome]:
    assert _WORK is not None and _CAPTURE is not None
    outcomes = []
    for index in indices:
        _CAPTURE.records = []
        try:
            _WORK(index)
            ok = True
        except Exception:  # the page loop renders it again and reports the error as it always did
            ok = False
        outcomes.append(Outcome(index, ok, tuple(_CAPTURE.records) if ok else ()))
    return outcomes


class Background:
    """Workers forked to do items while the parent goes on with the build (social cards drawn
    during the page loop), at a priority below the body workers' (:data:`BACKGROUND_NICENESS`).
    Plain ``fork`` and a result file per worker: no pool, so the parent gains no thread, and a
    later :class:`Stream` may still fork safely."""

    def __init__(self, count: int, work: Callable[[int], None], jobs: int) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="hubgen-workers-"))
        results = [self._folder / f"{number}.json" for number in range(jobs)]
        pids = _fork_workers(
            jobs,
            lambda number: _in_worker(
                work, range(number, count, jobs), results[number], BACKGROUND_NICENESS
            ),
        )
        self._workers: list[tuple[int, Path]] = list(zip(pids, results, strict=True))

    def wait(self) -> list[Outcome]:
        """Every outcome the workers reported, in item order, their logs logged again here; an
        item of a worker that failed has no outcome (the caller does it itself)."""
        outcomes: list[Outcome] = []
        for pid, result in self._workers:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                with contextlib.suppress(OSError, ValueError):
                    outcomes += [
                        Outcome(index, ok, tuple((n, lv, m) for n, lv, m in records))
                        for index, ok, records in json.loads(result.read_text("utf-8"))
                    ]
        self._workers = []
        shutil.rmtree(self._folder, ignore_errors=True)
        outcomes.sort(key=lambda o: o.index)
        replay(outcomes)
        return outcomes

    def stop(self) -> None:
        """Stop the workers (the build failed): what they made so far stays where it is."""
        _terminate(pid for pid, _result in self._workers)
        self._workers = []
        shutil.rmtree(self._folder, ignore_errors=True)


class Stream:
    """Workers that make items from the last one back while the parent takes them from the
    first (article bodies while the page loop renders the pages): neither waits for the other.

    In a worker, ``make(i)`` makes item ``i``; what it logged (if anything) is written down,
    then ``keep(i, made)`` stores it where the parent looks for it, so an item the parent finds
    always has its log (:meth:`replay`). The parent says which item it has got to
    (:meth:`reached`); a worker stops at the first item the parent has reached, and the parent
    makes those itself. Plain ``fork``, as :class:`Background`."""

    def __init__(
        self,
        count: int,
        make: Callable[[int], object],
        keep: Callable[[int, Any], None],
        jobs: int,
    ) -> None:
        self.count = count
        self._folder = Path(tempfile.mkdtemp(prefix="hubgen-stream-"))
        self._reached = mmap.mmap(-1, 8)  # anonymous and shared: the workers read what is set
        self.reached(-1)
        self._workers = _fork_workers(
            jobs,
            lambda number: self._from_the_end(range(count - 1 - number, -1, -jobs), make, keep),
        )

    def reached(self, index: int) -> None:
        """The parent has got to item ``index``: workers leave it and the items before it."""
        struct.pack_into("q", self._reached, 0, index)

    def _parent_at(self) -> int:
        return int(struct.unpack_from("q", self._reached, 0)[0])

    def _log(self, index: int) -> Path:
        return self._folder / f"{index}.json"

    def _from_the_end(
        self,
        indices: Sequence[int],
        make: Callable[[int], object],
        keep: Callable[[int, Any], None],
    ) -> None:  # pragma: no cover - runs in a forked child
        code = 1
        try:
            _start_worker(WORKER_NICENESS)
            assert _CAPTURE is not None
            for index in indices:
                if index <= self._parent_at():
                    break
                _CAPTURE.records = []
                try:
                    made = make(index)
                except Exception:  # the parent makes it and reports the error as it always did
                    continue
                if _CAPTURE.records:  # most items log nothing: no file (a file each cost 1.5 s)
                    self._log(index).write_text(json.dumps(_CAPTURE.records), "utf-8")
                keep(index, made)
            code = 0
        finally:
            os._exit(code)  # never the parent's atexit handlers or buffered output

    def replay(self, index: int) -> None:
        """Log again what a worker logged making item ``index`` (the parent found it made;
        no log file: it logged nothing)."""
        with contextlib.suppress(OSError, ValueError):
            records = json.loads(self._log(index).read_text("utf-8"))
            replay([Outcome(index, True, tuple((n, lv, m) for n, lv, m in records))])

    def finish(self) -> None:
        """The parent is past every item: the workers end (at the item they are making)."""
        self.reached(self.count)
        for pid in self._workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._close()

    def stop(self) -> None:
        """Stop the workers now (the build failed)."""
        _terminate(self._workers)
        self._close()

    def _close(self) -> None:
        self._workers = []
        shutil.rmtree(self._folder, ignore_errors=True)


def _fork_workers(jobs: int, work: Callable[[int], None]) -> list[int]:
    """Fork ``jobs`` workers, worker ``n`` running ``work(n)`` (which ends the process); their
    pids. One way for :class:`Background` and :class:`Stream`."""
    pids: list[int] = []
    held = gc.get_freeze_count() > 0  # the build froze what it holds: it stays so
    gc.freeze()  # objects the workers inherit stay shared: no copy-on-write by the collector
    try:
        for number in range(jobs):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker; its coverage is not collected
                work(number)
                os._exit(1)  # work() exits itself; never return into the parent's build
            pids.append(pid)
    finally:
        if not held:
            gc.unfreeze()
    return pids


def _terminate(pids: Iterable[int]) -> None:
    """Stop forked workers and reap them (none is left running or as a zombie)."""
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


def _in_worker(
    work: Callable[[int], None], indices: Sequence[int], result: Path, niceness: int
) -> None:  # pragma: no cover - runs in a forked child
    global _WORK
    code = 1
    try:
        _WORK = work
        _start_worker(niceness)
        outcomes = _run(indices)
        result.write_text(json.dumps([[o.index, o.ok, o.records] for o in outcomes]), "utf-8")
        code = 0
    finally:
        os._exit(code)  # never the parent's atexit handlers or buffered output


def replay(outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        for name, level, message in outcome.records:
            logging.getLogger(name).log(level, message)
