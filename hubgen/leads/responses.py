"""Answers to a post: JSON for the site's script, a redirect or a small HTML page without it."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hubgen.leads.page import standalone_page
from hubgen.leads.registry import Registry, origin_of
from hubgen.leads.submission import FORM_ERROR, label

TITLES = {
    400: "Please check the form",
    403: "This form cannot be sent from here",
    404: "Not found",
    413: "The form is too large",
    415: "The form was sent in a format this receiver does not read",
    429: "Too many enquiries",
    500: "Something went wrong",
    503: "Please try again in a moment",
}


def wants_json(accept: str) -> bool:
    return "application/json" in accept.lower()


def success(
    lead_id: str, created: bool, *, as_json: bool, thanks: str, headers: dict[str, str]
) -> Response:
    if as_json:
        return JSONResponse({"ok": True, "id": lead_id}, 201 if created else 200, headers=headers)
    # 303 so the browser follows with a GET: reloading the thank-you page cannot re-post.
    return RedirectResponse(thanks, status_code=303, headers=headers)


def failure(
    status: int,
    errors: dict[str, str],
    *,
    as_json: bool,
    back: str,
    headers: dict[str, str] | None = None,
) -> Response:
    headers = dict(headers or {})
    if as_json:
        return JSONResponse({"ok": False, "errors": errors}, status, headers=headers)
    return HTMLResponse(error_page(status, errors, back), status, headers=headers)


def error_page(status: int, errors: dict[str, str], back: str) -> str:
    """Self-contained (no assets, no script) so it works wherever the receiver is deployed."""
    title = TITLES.get(status, "The form was not sent")
    items = "\n".join(
        f"<li>{escape(message)}</li>"
        if name == FORM_ERROR
        else f"<li><strong>{escape(label(name).capitalize())}:</strong> {escape(message)}</li>"
        for name, message in errors.items()
    )
    link = f'<a href="{escape(back, quote=True)}">Go back to the form</a>'
    style = """body { font: 1.05rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto;
  padding: 0 1rem; color: #1f2937; }
h1 { font-size: 1.5rem; } li { margin: .4rem 0; } a { color: #1d4ed8; }"""
    body = f"""<p>Your enquiry has not been sent yet.</p>
<ul class="errors">
{items}
</ul>
<p>{link} (your browser's Back button keeps what you typed).</p>"""
    return standalone_page(title, style, body)


def thanks_url(registry: Registry, origin: str | None, allowed_extra: tuple[str, ...]) -> str:
    """The hub's thank-you page; on an allowed preview origin, that origin's copy of it."""
    if origin and origin.rstrip("/") in {o.rstrip("/") for o in allowed_extra}:
        return origin.rstrip("/") + registry.site_path + registry.thank_you.lstrip("/")
    return registry.absolute(registry.thank_you)


def back_url(
    registry: Registry, referer: str | None, page: str | None, allowed: tuple[str, ...]
) -> str:
    """Where "go back" points: the form's page on one of our sites, never anywhere else.

    A cross-origin Referer is usually cut to the bare origin by browsers' default policy, so a
    Referer with a path wins, then the posted page, then whatever Referer we had.
    """
    ours = bool(referer) and origin_of(referer or "") in {o.rstrip("/") for o in allowed}
    if ours and referer and urlsplit(referer).path not in ("", "/"):
        return referer
    if page and not page.startswith(("http:", "https:", "//", "/")) and "\\" not in page:
        return registry.absolute(page)
    return referer if ours and referer else registry.site_url
