"""The admin token that guards the receiver's JSON endpoints (``GET /leads``, outcomes)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from starlette.responses import JSONResponse


def admin_refusal(token: str, headers: Mapping[str, str]) -> JSONResponse | None:
    """None when the request bears the admin token; otherwise the answer to send.

    Without a configured token, lead data is never served over HTTP and the route looks absent.
    """
    if not token:
        return JSONResponse({"ok": False, "error": "not found"}, 404)
    scheme, _, given = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        return JSONResponse(
            {"ok": False, "error": "a valid admin token is required"},
            401,
            headers={"WWW-Authenticate": 'Bearer realm="hubgen-leads"'},
        )
    return None
