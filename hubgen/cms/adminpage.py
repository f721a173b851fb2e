"""``/admin/index.html``: the page that loads the CMS, its own Content-Security-Policy, and the
``_headers`` rule that gives ``/admin/`` that policy instead of the public pages' one.

Only this page loads the CMS: the public pages and their policy are unchanged. The CMS needs
more than a public page may have (``'unsafe-eval'``: Decap compiles its config schema with
``new Function``; inline ``<style>`` elements: its CSS-in-JS; GitHub's API), so /admin/ gets a
policy of its own, still with no third-party script and no inline script.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from hubgen.cms import ADMIN_DIR
from hubgen.cms.bundle import SCRIPT, SCRIPT_INTEGRITY
from hubgen.cms.decapconfig import ARTICLES
from hubgen.cms.settings import CmsSettings
from hubgen.site.csp import Policy

ADMIN_SCRIPT = "hubgen-admin.js"
MANUAL_INIT_SCRIPT = "hubgen-manual-init.js"
FORMATS_SCRIPT = "hubgen-formats.js"
"""An ES module: registers the formats that keep a file's comments, then starts Decap."""
STATIC_SCRIPTS = (MANUAL_INIT_SCRIPT, ADMIN_SCRIPT, FORMATS_SCRIPT)
GITHUB_API = "https://api.github.com"

COVER_ALT_MESSAGE = (
    "cover: a cover image needs 'cover_alt' (describe the image for people who cannot see it)"
)
"""The loader's message and hint (hubgen.load.articles._cover_alt), as the form shows it."""
_NETLOC_RE = re.compile(r"^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
"""A host and port that can be spelled in a policy as they are (no ';', space or quote)."""

UPDATED_EARLY_MESSAGE = "updated: is earlier than 'date' (use the date of the last real change)"


@dataclass(frozen=True)
class AdminPage:
    hub_name: str
    preview_styles: tuple[str, ...]
    """Stylesheets of the built site, relative to /admin/ (``../assets/…``)."""
    cms: CmsSettings

    def policy(self) -> Policy:
        return admin_policy(self.cms)

    def html(self) -> str:
        settings = {
            "previewStyles": list(self.preview_styles),
            "articles": ARTICLES,
            "messages": {"coverAlt": COVER_ALT_MESSAGE, "updatedEarly": UPDATED_EARLY_MESSAGE},
        }
        # JSON in a data block: '<' is escaped so no value can close the element.
        data = json.dumps(settings, ensure_ascii=True).replace("<", "\\u003c")
        policy = escape(self.policy().text(), quote=False).replace('"', "&quot;")
        return (
            "<!doctype html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            '<meta name="robots" content="noindex, nofollow">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Edit {escape(self.hub_name)}</title>\n"
            '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
            f'<script type="application/json" id="hubgen-cms">{data}</script>\n'
            "</head>\n"
            # Pagefind (and any indexer that honours it) leaves the editor out of search.
            '<body data-pagefind-ignore="all">\n'
            f'<script src="{MANUAL_INIT_SCRIPT}"></script>\n'
            f'<script src="{SCRIPT}" integrity="{SCRIPT_INTEGRITY}"></script>\n'
            f'<script src="{ADMIN_SCRIPT}"></script>\n'
            f'<script type="module" src="{FORMATS_SCRIPT}"></script>\n'
            "</body>\n</html>\n"
        )


def admin_policy(cms: CmsSettings) -> Policy:
    # blob: is the uploaded image in the browser's memory, read back when the entry is saved.
    connect = ["'self'", "blob:", GITHUB_API]
    for url in (cms.auth_url, cms.local_backend):
        if origin := _origin(url):
            connect.append(origin)
    directives: list[tuple[str, tuple[str, ...]]] = [
        ("default-src", ("'self'",)),
        ("script-src", ("'self'", "'unsafe-eval'")),
        ("style-src", ("'self'", "'unsafe-inline'")),
        ("img-src", ("'self'", "data:", "blob:", "https:")),
        ("font-src", ("'self'", "data:")),
        ("connect-src", tuple(dict.fromkeys(connect))),
        ("frame-src", ("'self'", "blob:")),
        ("worker-src", ("'self'", "blob:")),
        ("media-src", ("'self'", "blob:")),
        ("form-action", ("'self'",)),
        ("object-src", ("'none'",)),
        ("base-uri", ("'self'",)),
    ]
    return Policy(tuple(directives))


def headers_rule(policy: Policy) -> str:
    """The ``_headers`` rule for /admin/, written after the public pages' ``/*`` rule, which
    gives /admin/ exactly its own policy on both hosts that read the file.

    Cloudflare Pages applies every matching rule in order and joins a header set by two rules
    with ", " (two policies, both enforced: the public one would block the editor); a
    ``! Name`` line detaches the header set by earlier rules, then this rule sets its own.
    Netlify ignores a line without a colon, and a later matching rule's header replaces the
    earlier one. The editor is never indexed."""
    return (
        f"/{ADMIN_DIR}/*\n"
        "  ! Content-Security-Policy\n"
        f"  Content-Security-Policy: {policy.header()}\n"
        "  X-Robots-Tag: noindex, nofollow\n"
    )


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not _NETLOC_RE.match(parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"
