"""Group commit: one writer thread turns concurrent posts into one durable transaction.

A durable commit costs an fsync (a few milliseconds); doing one per post caps the receiver at a
few hundred posts a second on a good disk and far fewer on a slow one. The writer takes every
post waiting in the queue, stores them in a single transaction, and only then resolves each
post's future, so every acknowledgement still follows its own durable commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hubgen.leads.arrivals import Arrival
from hubgen.leads.models import NewLead, Saved
from hubgen.leads.store import Store

log = logging.getLogger("hubgen.leads")
T = TypeVar("T")
MAX_BATCH = 128


@dataclass
class _Job:
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    lead: NewLead | None = None
    arrival: Arrival | None = None
    call: Callable[[Store], Any] | None = None


class Committer:
    def __init__(self, open_store: Callable[[], Store], *, max_batch: int = MAX_BATCH) -> None:
        self._open_store = open_store
        self._max_batch = max_batch
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.batches = 0
        """How many transactions stored posts (for tests and the benchmark)."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hubgen-committer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    async def save(self, lead: NewLead) -> Saved:
        result: Saved = await self._submit(_Job(*self._future(), lead=lead))
        return result

    async def count(self, arrival: Arrival) -> None:
        """Add one arrival to its counter; returns once the counter is durable."""
        await self._submit(_Job(*self._future(), arrival=arrival))

    async def call(self, function: Callable[[Store], T]) -> T:
        """Run ``function(store)`` on the writer thread (reads, health checks)."""
        result: T = await self._submit(_Job(*self._future(), call=function))
        return result

    def _future(self) -> tuple[asyncio.Future[Any], asyncio.AbstractEventLoop]:
        loop = asyncio.get_running_loop()
        return loop.create_future(), loop

    async def _submit(self, job: _Job) -> Any:
        if self._thread is None:
            raise RuntimeError("the committer is not running (use the app's lifespan)")
        self._queue.put(job)
        return await job.future

    def _run(self) -> None:
        try:
            store = self._open_store()
        except BaseException as error:
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                if job.call is not None:
                    self._settle_call(store, job)
                    continue
                batch = [job]
                stop = False
                while len(batch) < self._max_batch:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    if more.call is not None:
                        self._settle_call(store, more)
                    else:
                        batch.append(more)
                self._commit(store, batch)
                if stop:
                    return
        finally:
            store.close()

    def _commit(self, store: Store, batch: list[_Job]) -> None:
        counts = [job for job in batch if job.arrival is not None]
        if counts:
            self._count(store, counts)
            batch = [job for job in batch if job.arrival is None]
            if not batch:
                return
        try:
            results = store.save([job.lead for job in batch if job.lead is not None])
            self.batches += 1
        except Exception:
            if len(batch) == 1:
                log.exception("could not store a lead")
                _resolve(batch[0], error=RuntimeError("the lead could not be stored"))
                return
            # One bad post must not fail its neighbours: store them one by one.
            for job in batch:
                self._commit(store, [job])
            return
        for job, saved in zip(batch, results, strict=True):
            _resolve(job, result=saved)

    def _count(self, store: Store, batch: list[_Job]) -> None:
        """Arrivals from the same batch share one transaction of their own (counters only)."""
        try:
            store.count_arrivals([job.arrival for job in batch if job.arrival is not None])
            self.batches += 1
        except Exception:
            if len(batch) == 1:
                log.exception("could not count an arrival")
                _resolve(batch[0], error=RuntimeError("the arrival could not be counted"))
                return
            for job in batch:
                self._count(store, [job])
            return
        for job in batch:
            _resolve(job)

    def _settle_call(self, store: Store, job: _Job) -> None:
        assert job.call is not None
        try:
            _resolve(job, result=job.call(store))
        except Exception as error:
            _resolve(job, error=error)


def _resolve(job: _Job, *, result: Any = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if job.future.done():  # the request was cancelled; the lead is stored all the same
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the event loop has closed (shutdown)
        job.loop.call_soon_threadsafe(settle)
