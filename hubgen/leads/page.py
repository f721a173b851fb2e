"""The receiver's own small HTML pages (form errors, the leads report): one self-contained shell."""

from __future__ import annotations

import base64
import hashlib
from html import escape


def style_only_policy(style: str) -> str:
    """A Content-Security-Policy allowing this page's own style element (by its hash), images
    beside it, and nothing else: the page can neither run nor fetch anything."""
    digest = base64.b64encode(hashlib.sha256(_style_text(style).encode("utf-8")).digest())
    return f"default-src 'none'; img-src 'self'; style-src 'sha256-{digest.decode('ascii')}'"


def _style_text(style: str) -> str:
    """The style element's content exactly as written, which its hash must cover."""
    return f"\n{style}\n"


def standalone_page(title: str, style: str, body: str, *, policy: str = "") -> str:
    """A noindex page with inline styles and no external requests; ``body`` is trusted HTML.

    ``policy``: a Content-Security-Policy for the page itself (files opened from a disk or a
    mail attachment get no header), such as :func:`style_only_policy`.
    """
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
{meta if policy else ""}<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)}</title>
<style>{_style_text(style)}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
{body}
</main>
</body>
</html>
"""
