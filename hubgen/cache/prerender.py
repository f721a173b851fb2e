"""Render article bodies in worker processes before MkDocs' page loop, into the render cache.

MkDocs renders pages one after the other on one core. Converting an article's Markdown (and
sanitizing the HTML) depends only on its body, its URL, the files it links to and the Markdown
configuration, which is exactly what the render cache's key signs; so before the page loop,
the bodies a cold build would convert are converted by ``jobs`` forked workers and stored
under their keys, and the loop finds them there as on any warm build. The HTML is the same
bytes either way: the workers call the same ``Page.render`` with the same config and files
(inherited by ``fork``, never re-read or re-configured) and the same sanitizer.

What a worker logs (a broken link, say) is captured and logged again by the parent, in article
order, so ``--strict`` counts it as in a one-process build. A body that fails to render is left
to the page loop, which raises the same error, with the same page named, as it always did.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import multiprocessing
import os
import shutil
import signal
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


def _start_worker() -> None:
    """In each new worker: everything logged goes to one capture, nothing to the terminal."""
    global _CAPTURE
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


def _chunks(count: int, jobs: int) -> list[range]:
    # Several chunks per worker, so one slow chunk does not leave the other cores idle.
    size = max(1, min(32, count // (jobs * 4) or 1))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def run_in_workers(count: int, work: Callable[[int], None], jobs: int) -> list[Outcome]:
    """``work(i)`` for every ``i < count`` in ``jobs`` forked workers; outcomes in item order.

    ``work`` runs in the workers only (it writes what it makes where the parent will find it);
    log records are logged again here, in item order.
    """
    global _WORK
    _WORK = work
    gc.freeze()  # objects the workers inherit stay shared: no copy-on-write by the collector
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, count), initializer=_start_worker) as pool:
            outcomes = [
                o for chunk in pool.imap_unordered(_run, _chunks(count, jobs)) for o in chunk
            ]
    finally:
        gc.unfreeze()
        _WORK = None
    outcomes.sort(key=lambda o: o.index)
    replay(outcomes)
    return outcomes


class Background:
    """Workers forked to do items while the parent goes on with the build (social cards drawn
    during the page loop). Plain ``fork`` and a result file per worker: no pool, so the parent
    gains no thread, and a later :func:`run_in_workers` may still fork safely."""

    def __init__(self, count: int, work: Callable[[int], None], jobs: int) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="hubgen-workers-"))
        self._workers: list[tuple[int, Path]] = []
        gc.freeze()  # objects the workers inherit stay shared: no copy-on-write by the collector
        try:
            for number in range(jobs):
                indices = range(number, count, jobs)
                result = self._folder / f"{number}.json"
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the worker; its coverage is not collected
                    _in_worker(work, indices, result)
                self._workers.append((pid, result))
        finally:
            gc.unfreeze()

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
        for pid, _result in self._workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
        self._workers = []
        shutil.rmtree(self._folder, ignore_errors=True)


def _in_worker(
    work: Callable[[int], None], indices: Sequence[int], result: Path
) -> None:  # pragma: no cover - runs in a forked child
    global _WORK
    code = 1
    try:
        _WORK = work
        _start_worker()
        outcomes = _run(indices)
        result.write_text(json.dumps([[o.index, o.ok, o.records] for o in outcomes]), "utf-8")
        code = 0
    finally:
        os._exit(code)  # never the parent's atexit handlers or buffered output


def replay(outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        for name, level, message in outcome.records:
            logging.getLogger(name).log(level, message)
