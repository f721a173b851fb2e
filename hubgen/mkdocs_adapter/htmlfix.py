"""Make Material's page chrome valid, accessible HTML (Nu HTML Checker and axe-core clean).

Material's templates put ``autocomplete`` on checkbox toggles and the non-standard
``autocorrect`` on the search box, and its table-of-contents label points at a ``__toc`` toggle
that is only rendered with the navigation sidebar. These are exact-string fixes on the final
page, cheaper and less brittle than copying Material's base template into hubgen's theme.

:func:`compact_whitespace` then drops the indentation Material's templates leave between tags
(a tenth of every page's bytes), which a browser collapses anyway.
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
    return compact_whitespace(html)


_TAG_RE = re.compile(
    r"""(<(?:script|style)\b[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>.*?</(?:script|style)\s*>"""
    r"|<!--.*?-->"
    r"""|</?[a-zA-Z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)""",
    re.S | re.I,
)
"""A ``<script>`` or ``<style>`` element whole (the policy hashes its text), a comment, or a tag
(a quoted attribute value may hold ``>``): what :func:`compact_whitespace` keeps as it is."""

_PRESERVING_RE = re.compile(r"<(/?)(?:pre|textarea|code|kbd)[\s>/]", re.I)
"""Elements whose whitespace shows: ``pre`` and ``textarea`` always, ``code`` and ``kbd`` because
Material styles them ``white-space: pre-wrap``."""

_TAG_SPACE_RE = re.compile(r"""("[^"]*"|'[^']*')|[ \t\r\n\f]+""")
"""In a tag: a quoted attribute value (kept) or the whitespace between attributes."""

_NEWLINE_RUN_RE = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_SPACE_RUN_RE = re.compile(r"[ \t\r\f]{2,}")
"""ASCII whitespace only: a no-break space is text, not whitespace."""


_RAW_TEXT_RE = re.compile(r"<(?:script|style)\b", re.I)


def _attribute_space(match: re.Match[str]) -> str:
    return match.group(1) or " "


def compact_whitespace(html: str) -> str:
    """``html`` with each run of whitespace in its text shortened to the one character a browser
    shows it as: a newline if the run holds one, else a space. The page renders exactly as
    before (``white-space: normal`` or ``nowrap``); the text of a ``pre``, ``textarea``, ``code``
    or ``kbd``, scripts, styles, comments and attribute values stay as they are; the
    whitespace between a tag's attributes becomes one space."""
    pieces = _TAG_RE.split(html)  # text, tag, text, tag, …, text
    depth = 0  # how many preserving elements the text is inside
    for index in range(0, len(pieces), 2):
        if not depth:
            pieces[index] = _SPACE_RUN_RE.sub(" ", _NEWLINE_RUN_RE.sub("\n", pieces[index]))
        if index + 1 < len(pieces):
            tag = pieces[index + 1]
            if "\n" in tag and tag[1] != "!" and not _RAW_TEXT_RE.match(tag):
                tag = pieces[index + 1] = _TAG_SPACE_RE.sub(_attribute_space, tag)
            if (found := _PRESERVING_RE.match(tag)) and not tag.endswith("/>"):
                depth = max(0, depth - 1) if found.group(1) else depth + 1
    return "".join(pieces)
