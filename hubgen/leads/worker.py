"""The delivery worker: lease due outbox rows, send them, record the outcome.

At least once, never silently lost: a row is marked delivered only after the partner's server
accepted it; a failure schedules a retry with exponential backoff (capped, never abandoned); a
worker that dies mid-send leaves a lease that expires, and the row is sent again under the same
delivery id. Leases also keep two workers (``leads serve`` and a cron ``leads deliver --once``)
from sending the same row at the same time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hubgen.leads.delivery import DeliveryError, Sender
from hubgen.leads.deliveryconfig import Destinations
from hubgen.leads.outcomes import link_signer, winner
from hubgen.leads.registry import Registry
from hubgen.leads.settings import Settings
from hubgen.leads.store import Store, open_store

log = logging.getLogger("hubgen.leads")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try, after ``attempts`` failed ones: base, 2×base, 4×base… ≤ cap."""
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass
class RunReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Worker:
    def __init__(
        self,
        store: Store,
        sender: Sender,
        *,
        retry_base: float = 60.0,
        retry_cap: float = 6 * 3600.0,
        lease_seconds: float = 300.0,
        poll_seconds: float = 30.0,
        clock: Clock = utcnow,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.sender = sender
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, limit: int = 500, batch: int = 20) -> RunReport:
        """Send what was due when the run began (at most ``limit`` rows); return what happened.

        The cut-off is fixed at the start so that a row failing in this run waits out its
        backoff for a later run: a slow send can outlast a short backoff, and retrying at once
        would hammer a partner's server that is down.
        """
        report = RunReport()
        started = self.clock()
        while report.delivered + report.failed < limit and not self._stop.is_set():
            claimed = self.store.claim(self.owner, started, self.clock() + self.lease, batch)
            if not claimed:
                break
            for delivery in claimed:
                lead = self.store.get(delivery.lead_id)
                if lead is None:  # erased while queued: nothing left to send
                    continue
                won_by = None
                if delivery.kind == "thanks":
                    won_by = winner(self.store.outcomes(lead.id))
                try:
                    self.sender.send(delivery, lead, self.clock(), won_by=won_by)
                except DeliveryError as error:
                    retry = self.clock() + timedelta(
                        seconds=backoff(delivery.attempts + 1, self.retry_base, self.retry_cap)
                    )
                    self.store.mark_failed(delivery, self.clock(), str(error), retry)
                    report.failed += 1
                    report.errors.append(f"{delivery.id}: {error}")
                    log.warning("delivery %s failed (attempt %d): %s", delivery.id,
                                delivery.attempts + 1, error)  # fmt: skip
                else:
                    self.store.mark_delivered(delivery, self.clock())
                    report.delivered += 1
                    log.info("delivered %s", delivery.id)
        return report

    # -- background thread inside `leads serve` -------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="hubgen-deliver", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        self.store.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                report = self.run_once()
                busy = report.delivered + report.failed > 0
            except Exception:
                log.exception("the delivery worker hit an error; retrying")
                busy = False
            if not busy:
                self._wake.wait(self._next_wait())

    def _next_wait(self) -> float:
        # Short enough that retries with a small base happen on time; long enough to be idle.
        return min(self.poll_seconds, max(0.05, self.retry_base / 2))


def worker_for(
    settings: Settings, registry: Registry, destinations: Destinations, *, clock: Clock = utcnow
) -> Worker:
    """The delivery worker as configured: the same one for `leads serve` and `leads deliver`."""
    return Worker(
        open_store(settings.db),
        Sender(
            registry,
            destinations,
            settings.smtp,
            settings.webhook_timeout,
            links=link_signer(settings),
        ),
        retry_base=settings.retry_base,
        retry_cap=settings.retry_cap,
        lease_seconds=settings.lease_seconds,
        poll_seconds=settings.poll_seconds,
        clock=clock,
    )
