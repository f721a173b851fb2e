"""Make Material's page chrome valid, accessible HTML (Nu HTML Checker and axe-core clean).

Material's templates put ``autocomplete`` on checkbox toggles and the non-standard
``autocorrect`` on the search box, leave the search dialog without a name, and its
table-of-contents label points at a ``__toc`` toggle that is only rendered with the navigation
sidebar. These are exact-string fixes, cheaper and less brittle than copying Material's base
template into hubgen's theme: the first three on the templates' own text as it is compiled
(:func:`fixed_template_text`, by :class:`~hubgen.mkdocs_adapter.templatespace.CompactTemplates`),
the last on each page (:func:`valid_chrome`), as only the page shows whether the toggle is there.
"""

from __future__ import annotations

import re

_CHECKBOX_AUTOCOMPLETE_RE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?) autocomplete="off"')
_AUTOCORRECT = ' autocorrect="off"'
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def fixed_template_text(text: str) -> str:
    """``text``, literal text of a template, with Material's invalid attributes fixed."""
    if "autocomplete" in text:
        text = _CHECKBOX_AUTOCOMPLETE_RE.sub(r"\1", text)
    # axe-core: a dialog needs an accessible name.
    text = text.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">')
    return text.replace(_AUTOCORRECT, "")


def valid_chrome(html: str) -> str:
    """``html``, a whole page, without a table-of-contents label for a toggle it lacks."""
    if _TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return html
