"""The receiver's ASGI app: ``create_app(settings)`` → Starlette.

Routes: ``POST /leads`` (and the path of the hub's ``forms.endpoint``) takes posts;
``GET /leads`` lists leads for the bearer of the admin token (absent without one);
``/leads/outcome`` and ``/leads/<id>/outcomes`` take partners' outcomes (hubgen/leads/outcomeweb.py);
``GET /healthz`` answers monitors. Checks run cheapest first, and a post is acknowledged only
after the committer reports its transaction durable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hubgen.leads import routing
from hubgen.leads.adminauth import admin_refusal
from hubgen.leads.arrivals import ARRIVALS_PATH, SHORT_LINK_PATH, receiver_paths
from hubgen.leads.arrivalweb import ArrivalRoutes
from hubgen.leads.bodies import BodyError, BodyReader
from hubgen.leads.committer import Committer
from hubgen.leads.deliveryconfig import Destinations, load_delivery_config
from hubgen.leads.export import lead_record
from hubgen.leads.models import new_lead
from hubgen.leads.outcomeweb import OutcomeRoutes
from hubgen.leads.ratelimit import RateLimiter, retry_after
from hubgen.leads.registry import Registry, load_registry
from hubgen.leads.responses import back_url, failure, success, thanks_url, wants_json
from hubgen.leads.security import client_address, origin_allowed, trusted_networks
from hubgen.leads.settings import Settings
from hubgen.leads.store import open_store
from hubgen.leads.submission import (
    FORM_ERROR,
    MAX_BODY,
    FormError,
    normalize_page,
    parse_urlencoded,
    validate,
)
from hubgen.leads.worker import Worker, utcnow, worker_for

log = logging.getLogger("hubgen.leads")
FORM_TYPE = "application/x-www-form-urlencoded"
BODY_ERRORS = {
    408: "The form took too long to arrive; please send it again.",
    503: "The receiver is busy just now; please send the form again in a minute.",
}


@dataclass
class Receiver:
    """Everything a request needs, built once per app."""

    settings: Settings
    registry: Registry
    destinations: Destinations
    committer: Committer
    limiter: RateLimiter
    worker: Worker | None
    clock: Callable[[], datetime]
    bodies: BodyReader

    @property
    def origins(self) -> tuple[str, ...]:
        return (self.registry.origin, *self.settings.allowed_origins)


def create_app(
    settings: Settings,
    *,
    registry: Registry | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Starlette:
    settings = settings.validate()
    registry = registry or load_registry(settings.hub)
    config = load_delivery_config(settings.delivery_file, registry)
    for warning in config.warnings:
        log.warning("%s", warning)
    destinations = Destinations(config, registry, email_enabled=settings.smtp is not None)
    worker = None
    if settings.worker:
        worker = worker_for(settings, registry, destinations, clock=clock)
    receiver = Receiver(
        settings=settings,
        registry=registry,
        destinations=destinations,
        committer=Committer(lambda: open_store(settings.db)),
        limiter=RateLimiter(settings.rate_limit, settings.rate_period),
        worker=worker,
        clock=clock,
        bodies=BodyReader(timeout=settings.body_timeout, slots=settings.body_slots),
    )
    trusted = trusted_networks(settings.trusted_proxies)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        receiver.committer.start()
        if receiver.worker:
            receiver.worker.start()
        try:
            yield
        finally:
            if receiver.worker:
                receiver.worker.stop()
            receiver.committer.stop()

    async def receive(request: Request) -> Response:
        return await _receive(receiver, request, trusted)

    async def list_leads(request: Request) -> Response:
        return await _list_leads(receiver, request)

    async def healthz(request: Request) -> Response:
        try:
            await receiver.committer.call(lambda store: store.ping())
        except Exception as error:
            log.error("health check failed: %s", error)
            return JSONResponse({"ok": False, "error": "database unavailable"}, 503)
        return JSONResponse({"ok": True})

    paths = {"/leads"}
    endpoint_path = urlsplit(registry.endpoint).path.rstrip("/")
    if endpoint_path and endpoint_path != "/healthz":
        paths.add(endpoint_path)
    routes = [Route(path, receive, methods=["POST"]) for path in sorted(paths)]
    routes += [Route("/leads", list_leads, methods=["GET"]), Route("/healthz", healthz)]
    outcomes = OutcomeRoutes(
        settings, registry, destinations, receiver.committer, receiver.bodies, clock,
        wake=receiver.worker.wake if receiver.worker else lambda: None,
    )  # fmt: skip
    routes += [
        Route("/leads/outcome", outcomes.link_page, methods=["GET"]),
        Route("/leads/outcome", outcomes.link_post, methods=["POST"]),
        Route("/leads/{lead_id}/outcomes", outcomes.crm, methods=["GET", "POST"]),
    ]
    arrivals = ArrivalRoutes(
        settings, registry, receiver.committer, receiver.bodies, receiver.origins, trusted, clock
    )
    routes += [
        Route(path, arrivals.beacon, methods=["POST"])
        for path in sorted(receiver_paths(urlsplit(registry.endpoint).path, ARRIVALS_PATH))
    ]
    routes += [
        Route(path + "{code}", arrivals.short_link, methods=["GET"])
        for path in sorted(receiver_paths(urlsplit(registry.endpoint).path, SHORT_LINK_PATH))
    ]
    middleware = [
        # Preflight is answered for the hub's own origin(s) only; posts are checked again below.
        Middleware(
            CORSMiddleware,
            allow_origins=list(receiver.origins),
            allow_methods=["POST"],
            allow_headers=["Content-Type", "Accept"],
            max_age=600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.receiver = receiver
    return app


async def _receive(receiver: Receiver, request: Request, trusted: Any) -> Response:
    registry, settings = receiver.registry, receiver.settings
    as_json = wants_json(request.headers.get("accept", ""))
    origin = request.headers.get("origin")
    page_hint: str | None = None

    def refuse(
        status: int, errors: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        back = back_url(registry, request.headers.get("referer"), page_hint, receiver.origins)
        return failure(status, errors, as_json=as_json, back=back, headers=headers)

    if not origin_allowed(request.headers, receiver.origins):
        return refuse(403, {FORM_ERROR: f"Enquiries can only be sent from {registry.site_url}."})
    peer = request.client.host if request.client else ""
    address = client_address(peer, request.headers.get("x-forwarded-for"), trusted)
    wait = receiver.limiter.hit(address, time.monotonic())
    if wait is not None:
        after = retry_after(wait)
        return refuse(
            429,
            {
                FORM_ERROR: f"Too many enquiries from your connection; please try again in {after} seconds."
            },
            {"Retry-After": after},
        )
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        return refuse(415, {FORM_ERROR: f"Send the form as {FORM_TYPE}."})
    too_large = {FORM_ERROR: f"The form is too large: {MAX_BODY // 1024} KiB at most."}
    declared = request.headers.get("content-length", "")
    # Refused before reading a byte of the body; Connection: close so the rest is never read.
    if declared.isdigit() and int(declared) > MAX_BODY:
        return refuse(413, too_large, {"Connection": "close"})
    try:
        body = await receiver.bodies.read(request, MAX_BODY)
    except BodyError as error:
        if error.status == 413:
            return refuse(413, too_large, {"Connection": "close"})
        return refuse(
            error.status, {FORM_ERROR: BODY_ERRORS[error.status]}, {"Connection": "close"}
        )
    except ClientDisconnect:
        return Response(status_code=400)
    try:
        pairs = parse_urlencoded(body)
        posted_page = next((value for name, value in pairs if name == "page"), "")
        page_hint = normalize_page(posted_page, registry)
        submission = validate(pairs, registry)
        page_hint = submission.page
        route = routing.route(submission, registry)
    except FormError as error:
        return refuse(error.status, error.errors)
    lead = new_lead(
        submission,
        route,
        receiver.clock(),
        receiver.destinations.channels,
        referral_notices=receiver.destinations.referral_notices,
    )
    try:
        saved = await receiver.committer.save(lead)
    except Exception:
        log.exception("lead not stored")
        return refuse(
            503,
            {
                FORM_ERROR: "Your enquiry could not be saved just now; please send it again in a minute."
            },
            {"Retry-After": "30"},
        )
    if saved.created:
        log.info("lead %s stored (%s form, %s, to %s)", saved.id, submission.form_id,
                 lead.lead.status, ",".join(route.recipients) or "-")  # fmt: skip
        if receiver.worker and lead.deliveries:
            receiver.worker.wake()
    thanks = thanks_url(registry, origin, settings.allowed_origins)
    return success(saved.id, saved.created, as_json=as_json, thanks=thanks, headers={})


async def _list_leads(receiver: Receiver, request: Request) -> Response:
    refused = admin_refusal(receiver.settings.admin_token, request.headers)
    if refused is not None:
        return refused
    partner = request.query_params.get("partner") or None
    include_spam = request.query_params.get("spam") == "1"
    leads = await receiver.committer.call(
        lambda store: store.leads(partner=partner, include_spam=include_spam)
    )
    return JSONResponse(
        {"ok": True, "leads": [lead_record(lead) for lead in leads]},
        headers={"Cache-Control": "no-store"},
    )
