"""Make Material's page chrome valid, accessible HTML (Nu HTML Checker and axe-core clean).

Material's templates put ``autocomplete`` on checkbox toggles and the non-standard
``autocorrect`` on the search box, and its table-of-contents label points at a ``__toc`` toggle
that is only rendered with the navigation sidebar. These are exact-string fixes on the final
page, cheaper and less brittle than copying Material's base template into hubgen's theme.
"""

from __future__ import annotations

import re

_CHECKBOX_AUTOCOMPLETE_RE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?) autocomplete="off"')
_AUTOCORRECT = ' autocorrect="off"'
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def valid_chrome(html: str) -> str:
    html = _CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", html)
    # axe-core: a dialog needs an accessible name.
    html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">')
    html = html.replace(_AUTOCORRECT, "")
    if _TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return html
