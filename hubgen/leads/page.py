"""The receiver's own small HTML pages (form errors, the leads report): one self-contained shell."""

from __future__ import annotations

from html import escape


def standalone_page(title: str, style: str, body: str) -> str:
    """A noindex page with inline styles and no external requests; ``body`` is trusted HTML."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)}</title>
<style>
{style}
</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
{body}
</main>
</body>
</html>
"""
