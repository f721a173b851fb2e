"""Outcomes over HTTP: the one-click link pages and the CRM endpoint.

``GET /leads/outcome?token=…`` only shows a confirmation form (mail systems' link scanners
fetch every link in a message, so a GET must record nothing); ``POST /leads/outcome`` with the
token in the form body records. Every refusal is a small page with a 4xx status and records
nothing. ``GET``/``POST /leads/<id>/outcomes`` is the same for a CRM, behind the admin token.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from hubgen.leads.adminauth import admin_refusal
from hubgen.leads.bodies import BodyError, BodyReader
from hubgen.leads.committer import Committer
from hubgen.leads.deliveryconfig import Destinations
from hubgen.leads.models import Lead, Outcome, OutcomeSource, OutcomeStatus, Recorded
from hubgen.leads.outcomes import (
    OutcomeError,
    new_outcome,
    outcome_record,
    parse_status,
    state,
    thanks_deliveries,
)
from hubgen.leads.page import standalone_page
from hubgen.leads.registry import Registry, origin_of
from hubgen.leads.security import origin_allowed
from hubgen.leads.settings import Settings
from hubgen.leads.store import Store
from hubgen.leads.submission import FormError, parse_urlencoded
from hubgen.leads.tokens import LinkClaim, TokenError, TokenProblem, read_token

log = logging.getLogger("hubgen.leads")
MAX_OUTCOME_BODY = 4096
FORM_TYPE = "application/x-www-form-urlencoded"
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    # The token is in the URL: never send it on as a Referer (same-origin still lets the form's
    # POST carry an Origin, which the cross-site check needs).
    "Referrer-Policy": "same-origin",
    # A one-click page in someone else's frame would be clickjacking.
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}
STYLE = """body { font: 1.05rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto;
  padding: 0 1rem; color: #1f2937; }
h1 { font-size: 1.5rem; } dt { font-weight: 600; } dd { margin: 0 0 .5rem; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
button { font: inherit; padding: .5rem 1rem; border: 1px solid #1d4ed8; border-radius: .4rem;
  background: #fff; color: #1d4ed8; cursor: pointer; }
button.chosen { background: #1d4ed8; color: #fff; }
input { font: inherit; padding: .4rem; width: 10rem; margin-right: .5rem; }
fieldset { border: 1px solid #cbd5e1; border-radius: .4rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }"""
TOKEN_PAGES = {
    TokenProblem.MALFORMED: (
        400,
        "This link is incomplete. Your mail program may have cut it short: open it from the "
        "e-mail again, or copy the whole link into the browser.",
    ),
    TokenProblem.FORGED: (
        403,
        "This link is not valid: it was changed after the hub sent it, or the hub has since "
        "changed its link secret. Use the links in the e-mail as they came.",
    ),
    TokenProblem.EXPIRED: (
        410,
        "This link has expired. Ask the hub's operator to record the outcome for you "
        "(they can run hubgen leads outcome).",
    ),
}
BODY_MESSAGES = {
    408: "The form took too long to arrive; please send it again.",
    413: f"The form is too large: {MAX_OUTCOME_BODY} bytes at most.",
    503: "The receiver is busy just now; please send it again in a minute.",
}
TITLES = {400: "This link cannot be used", 403: "This link cannot be used",
          404: "Nothing to report on", 410: "This link has expired",
          408: "Please try again", 413: "The form is too large", 415: "This link cannot be used",
          503: "Please try again"}  # fmt: skip


@dataclass(frozen=True)
class OutcomeRoutes:
    """What the outcome routes need from the receiver."""

    settings: Settings
    registry: Registry
    destinations: Destinations
    committer: Committer
    bodies: BodyReader
    """The receiver's body reader: its size, time and concurrency bounds apply here too."""
    clock: Callable[[], datetime]
    wake: Callable[[], None]
    """Wakes the delivery worker when a thanks was queued."""

    # -- signed links -----------------------------------------------------------------------

    async def link_page(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        found = await self._claimed(token)
        if isinstance(found, Response):
            return found
        claim, lead, outcomes = found
        chosen = request.query_params.get("status", "")
        return _page(
            "What happened with this lead?",
            confirm_body(self.registry, lead, claim, token, outcomes, chosen),
        )

    async def link_post(self, request: Request) -> Response:
        if not self.settings.outcome_secret:
            return _refusal(404, "Outcome links are not set up on this receiver.")
        # The same rule as lead posts: a browser may post only from the receiver's own page.
        if not origin_allowed(request.headers, (origin_of(self.settings.public_url),)):
            return _refusal(403, "Outcomes can only be recorded from the receiver's own page.")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != FORM_TYPE:
            return _refusal(415, f"Send the form as {FORM_TYPE}.")
        try:
            body = await self.bodies.read(request, MAX_OUTCOME_BODY)
            fields = dict(parse_urlencoded(body))
        except BodyError as error:
            return _refusal(error.status, BODY_MESSAGES[error.status])
        except FormError:
            return _refusal(400, "The form could not be read; open the link from the e-mail again.")
        except ClientDisconnect:
            return Response(status_code=400)
        found = await self._claimed(fields.get("token", ""))
        if isinstance(found, Response):
            return found
        claim, lead, _ = found
        try:
            outcome = new_outcome(
                lead, claim.partner, fields.get("status", ""), fields.get("value"),
                OutcomeSource.LINK, self.clock(),
            )  # fmt: skip
        except OutcomeError as error:
            return _refusal(error.status, error.message)
        try:
            recorded = await self._record(lead, outcome)
        except KeyError:
            return _refusal(404, "This lead no longer exists (it may have been erased).")
        return _page("Thank you", done_body(self.registry, outcome, recorded))

    async def _claimed(self, token: str) -> tuple[LinkClaim, Lead, list[Outcome]] | Response:
        """The token's claim with its lead and outcomes, or the refusal page."""
        if not self.settings.outcome_secret:
            return _refusal(404, "Outcome links are not set up on this receiver.")
        try:
            claim = read_token(self.settings.outcome_secret, token, self.clock())
        except TokenError as error:
            status, message = TOKEN_PAGES[error.problem]
            log.info("outcome link refused: %s", error.problem.value)
            return _refusal(status, message)

        def read(store: Store) -> tuple[Lead | None, list[Outcome]]:
            return store.get(claim.lead_id), store.outcomes(claim.lead_id)

        lead, outcomes = await self.committer.call(read)
        if lead is None:
            return _refusal(404, "This lead no longer exists (it may have been erased).")
        if claim.partner not in lead.recipients:
            return _refusal(403, "This link is for a firm that did not receive this lead.")
        return claim, lead, outcomes

    async def _record(self, lead: Lead, outcome: Outcome) -> Recorded:
        thanks = thanks_deliveries(lead, self.destinations)
        recorded: Recorded = await self.committer.call(
            lambda store: store.record_outcome(outcome, thanks)
        )
        if recorded.recorded:
            log.info("lead %s: %s by %s (%s)", lead.id, outcome.status.value, outcome.partner,
                     outcome.source.value)  # fmt: skip
        if recorded.thanked:
            self.wake()
        return recorded

    # -- CRM endpoint -----------------------------------------------------------------------

    async def crm(self, request: Request) -> Response:
        refused = admin_refusal(self.settings.admin_token, request.headers)
        if refused is not None:
            return refused
        lead_id = str(request.path_params["lead_id"])

        def read(store: Store) -> tuple[Lead | None, list[Outcome]]:
            return store.get(lead_id), store.outcomes(lead_id)

        lead, outcomes = await self.committer.call(read)
        if lead is None:
            return _json_error(404, f"no lead {lead_id[:64]}")
        if request.method == "GET":
            return _json_ok(200, lead_id=lead.id, state=_record_or_none(state(outcomes)),
                            outcomes=[outcome_record(o) for o in outcomes])  # fmt: skip
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return _json_error(415, "send the outcome as application/json")
        try:
            data = json.loads(await self.bodies.read(request, MAX_OUTCOME_BODY))
        except BodyError as error:
            return _json_error(error.status, BODY_MESSAGES[error.status])
        except (ValueError, UnicodeDecodeError):
            return _json_error(400, "the body is not JSON")
        except ClientDisconnect:
            return Response(status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("partner"), str):
            return _json_error(
                400, 'expected {"partner": SLUG, "status": STATUS, "value": optional number}'
            )
        status, value = data.get("status"), data.get("value")
        if not isinstance(status, str) or not isinstance(value, str | int | float | None):
            return _json_error(400, "status must be a string and value a number or a string")
        try:
            outcome = new_outcome(
                lead, data["partner"], status, value, OutcomeSource.API, self.clock()
            )
            recorded = await self._record(lead, outcome)
        except OutcomeError as error:
            return _json_error(error.status, error.message)
        except KeyError:
            return _json_error(404, f"no lead {lead_id[:64]}")
        return _json_ok(201 if recorded.recorded else 200, recorded=recorded.recorded,
                        thanked=recorded.thanked, outcome=outcome_record(outcome))  # fmt: skip


def confirm_body(
    registry: Registry,
    lead: Lead,
    claim: LinkClaim,
    token: str,
    outcomes: list[Outcome],
    chosen: str,
) -> str:
    """The confirmation form: a button per status, an optional value. Everything is escaped.

    Won comes first in the form: pressing Enter in the value field submits the form's first
    button, and a value only belongs to a won lead.
    """
    try:
        preselected: OutcomeStatus | None = parse_status(chosen)
    except OutcomeError:
        preselected = None
    partner = registry.partners.get(claim.partner)
    firm = partner.name if partner else claim.partner
    current = state([o for o in outcomes if o.partner == claim.partner])
    now_text = (
        f"{current.status.label} (recorded {current.at:%Y-%m-%d})" if current else "nothing yet"
    )

    def button(status: OutcomeStatus) -> str:
        chosen = ' class="chosen" autofocus' if status is preselected else ""
        value = escape(status.value, quote=True)
        return f'<button type="submit" name="status" value="{value}"{chosen}>{escape(status.label)}</button>'

    others = "\n".join(button(s) for s in OutcomeStatus if s is not OutcomeStatus.WON)
    hint = (
        f"<p>You chose <strong>{escape(preselected.label)}</strong>: confirm it below, "
        "or pick another.</p>"
        if preselected
        else "<p>Pick what happened; nothing is recorded until you press a button.</p>"
    )
    return f"""<dl>
<dt>Lead</dt><dd><code>{escape(lead.id)}</code>, received {lead.created_at:%Y-%m-%d}</dd>
<dt>For</dt><dd>{escape(firm)}</dd>
<dt>Reported so far</dt><dd>{escape(now_text)}</dd>
</dl>
{hint}
<form method="post" action="outcome">
<input type="hidden" name="token" value="{escape(token, quote=True)}">
<fieldset>
<legend>Became a client</legend>
<p><label for="value">Value of the client (optional, e.g. 1200)</label><br>
<input id="value" name="value" inputmode="decimal" maxlength="20" autocomplete="off">
{button(OutcomeStatus.WON)}</p>
</fieldset>
<p>Or, not (yet) a client:</p>
<p class="buttons">
{others}
</p>
</form>
<p>The hub shares only that the referral became a client with the partner who referred it,
never who the client is or the value.</p>"""


def done_body(registry: Registry, outcome: Outcome, recorded: Recorded) -> str:
    what = escape(outcome.status.label)
    if not recorded.recorded:
        return f"<p>{what} was already recorded for this lead; nothing changed.</p>"
    value = f" (value {escape(format(outcome.value, 'f'))})" if outcome.value is not None else ""
    thanks = (
        "<p>The partner who referred this client will be thanked (without any client details).</p>"
        if recorded.thanked
        else ""
    )
    return (
        f"<p>Recorded: <strong>{what}</strong>{value} for lead "
        f"<code>{escape(outcome.lead_id)}</code>. Thank you for telling the network.</p>{thanks}"
    )


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(standalone_page(title, STYLE, body), status, headers=PAGE_HEADERS)


def _refusal(status: int, message: str) -> HTMLResponse:
    body = f"<p>{escape(message)}</p>\n<p>Nothing was recorded.</p>"
    return _page(TITLES.get(status, "This link cannot be used"), body, status)


def _json_ok(status: int, **data: Any) -> JSONResponse:
    return JSONResponse({"ok": True, **data}, status, headers={"Cache-Control": "no-store"})


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status)


def _record_or_none(outcome: Outcome | None) -> dict[str, Any] | None:
    return outcome_record(outcome) if outcome else None
