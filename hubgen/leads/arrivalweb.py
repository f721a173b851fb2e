"""The receiver's arrival routes: ``POST /arrivals`` (the referral script's beacon) and
``GET /r/<code>`` (a short link followed without JavaScript). See hubgen/leads/arrivals.py.

The beacon gets the same defences as a lead post, cheapest first: origin, rate limit (its own
per-address budget), content type, size (1 KiB, announced or streamed), and the body timeout and
slots of :class:`~hubgen.leads.bodies.BodyReader`. A counted arrival is answered only once its
counter is durable. The short link always redirects, counted or not: a visitor is never stopped
on their way to the hub.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from hubgen.leads.arrivals import (
    MAX_ARRIVAL_BODY,
    Arrival,
    ArrivalError,
    arrival,
    opted_out,
    parse_beacon,
    short_link_arrival,
    short_link_target,
)
from hubgen.leads.bodies import BodyError, BodyReader
from hubgen.leads.committer import Committer
from hubgen.leads.ratelimit import RateLimiter, retry_after
from hubgen.leads.registry import Registry, origin_of
from hubgen.leads.security import IPNetwork, client_address, origin_allowed
from hubgen.leads.settings import Settings

log = logging.getLogger("hubgen.leads")
NO_STORE = {"Cache-Control": "no-store"}


class ArrivalRoutes:
    def __init__(
        self,
        settings: Settings,
        registry: Registry,
        committer: Committer,
        bodies: BodyReader,
        origins: tuple[str, ...],
        trusted: tuple[IPNetwork, ...],
        clock: Callable[[], datetime],
    ) -> None:
        self.registry = registry
        self.committer = committer
        self.bodies = bodies
        self.origins = origins
        self.trusted = trusted
        self.clock = clock
        self.extra_origins = settings.allowed_origins
        self.limiter = RateLimiter(settings.arrival_rate_limit, settings.arrival_rate_period)

    async def beacon(self, request: Request) -> Response:
        if not origin_allowed(request.headers, self.origins):
            return _answer(403, "arrivals are counted from the hub's own pages only")
        wait = self._limited(request)
        if wait is not None:
            return _answer(429, "too many arrivals", {"Retry-After": retry_after(wait)})
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ARRIVAL_BODY:
            return _answer(413, "an arrival is 1 KiB at most", {"Connection": "close"})
        try:
            body = await self.bodies.read(request, MAX_ARRIVAL_BODY)
        except BodyError as error:
            return _answer(error.status, "the body was not read", {"Connection": "close"})
        except ClientDisconnect:
            return Response(status_code=400)
        if opted_out(request.headers):  # the script does not send it then; belt and braces
            return Response(status_code=204, headers=NO_STORE)
        try:
            counted = arrival(parse_beacon(body, content_type), self.registry, self.clock())
        except ArrivalError as error:
            return _answer(error.status, str(error))
        if counted is not None and not await self._count(counted):
            return _answer(503, "not counted just now", {"Retry-After": "30"})
        return Response(status_code=204, headers=NO_STORE)

    async def short_link(self, request: Request) -> Response:
        partner = self.registry.partner_for_code(request.path_params["code"])
        if partner is None:  # a stale or invented code: the hub's home page, uncounted
            return RedirectResponse(self.registry.site_url, 303, headers=NO_STORE)
        target = short_link_target(partner, self.registry, self._site_for(request))
        if self._countable_navigation(request) and self._limited(request) is None:
            await self._count(short_link_arrival(partner, self.registry, self.clock()))
        # 303 and no-store: every visit through the short link comes back here to be counted.
        return RedirectResponse(target, 303, headers=NO_STORE)

    def _site_for(self, request: Request) -> str | None:
        """A preview copy's short link leads back to that copy (like the thank-you page)."""
        referer = origin_of(request.headers.get("referer", ""))
        if referer and referer in {o.rstrip("/") for o in self.extra_origins}:
            return referer + self.registry.site_path
        return None

    def _countable_navigation(self, request: Request) -> bool:
        """A visitor following the link from the hub's short link page, not a page elsewhere
        loading it as an image or a script, and not one who asked not to be tracked."""
        headers = request.headers
        if opted_out(headers):
            return False
        if headers.get("sec-fetch-dest", "document") != "document":
            return False
        referer = headers.get("referer")
        return referer is None or origin_of(referer) in {o.rstrip("/") for o in self.origins}

    def _limited(self, request: Request) -> float | None:
        peer = request.client.host if request.client else ""
        address = client_address(peer, request.headers.get("x-forwarded-for"), self.trusted)
        return self.limiter.hit(address, time.monotonic())

    async def _count(self, counted: Arrival) -> bool:
        try:
            await self.committer.count(counted)
        except Exception:
            log.exception("arrival not counted")
            return False
        return True


def _answer(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status, headers={**NO_STORE, **(headers or {})})
