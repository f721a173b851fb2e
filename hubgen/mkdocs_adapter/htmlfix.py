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


_TAG_BODY = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""
"""The rest of a tag after its name's first letter, up to the first ``>`` outside quotes."""

_TAG_RE = re.compile(
    rf"""(<(?i:script|style)\b{_TAG_BODY}.*?</(?i:script|style)\s*>|<!--.*?-->|</?(?i:[a-zA-Z]){_TAG_BODY})""",
    re.S,
)
"""A ``<script>`` or ``<style>`` element whole (the policy hashes its text), a comment, or a tag:
what :func:`compact_whitespace` keeps as it is."""

_SPECIAL_RE = re.compile(
    r"(<(?:"
    rf"""(?i:script|style)\b{_TAG_BODY}.*?</(?i:script|style)\s*>"""
    r"|!--.*?-->"
    rf"|(?=/?[pPtTcCkK\u212a])(?=(?i:/?(?:pre|textarea|code|kbd))[\s>/])/?(?i:[a-zA-Z]){_TAG_BODY}"
    rf"""|/?(?i:[a-zA-Z])[^>"'\n<]*+(?:(?:"[^"\n<]*+"|'[^'\n<]*+')[^>"'\n<]*+)*+(?!>){_TAG_BODY}"""
    r"))",
    re.S,
)
"""The :data:`_TAG_RE` matches that :func:`compact_whitespace` looks at one by one: scripts,
styles, comments, the tags that open or close an element whose whitespace shows and the tags
holding a newline or a ``<``. The other tags hold no ``<``, so no match starts inside one, and
nothing in them changes unless they hold a run of spaces (see :func:`_compact_plain`)."""

_PRESERVING_RE = re.compile(r"<(/?)(?:pre|textarea|code|kbd)[\s>/]", re.I)
"""Elements whose whitespace shows: ``pre`` and ``textarea`` always, ``code`` and ``kbd`` because
Material styles them ``white-space: pre-wrap``."""

_TAG_SPACE_RE = re.compile(r"""("[^"]*"|'[^']*')|[ \t\r\n\f]+""")
"""In a tag: a quoted attribute value (kept) or the whitespace between attributes."""

_AFTER_NEWLINE_RE = re.compile(r"\n[ \t\r\n\f]+")
_BEFORE_NEWLINE_RE = re.compile(r"\n(?<=[ \t\r\f]\n)")
_SPACES_BEFORE_NEWLINE_RE = re.compile(r"[ \t\r\f]+\n")
_SPACE_RUN_RE = re.compile(r"[ \t\r\f]{2,}")
"""ASCII whitespace only: a no-break space is text, not whitespace. The first two patterns start
with a newline, rare in a page, so that searching for them is quick."""


_RAW_TEXT_RE = re.compile(r"<(?:script|style)\b", re.I)


def _attribute_space(match: re.Match[str]) -> str:
    return match.group(1) or " "


def _compact_newlines(text: str) -> str:
    """``text`` with each run of whitespace holding a newline made one newline."""
    if "\n" in text:
        text = _AFTER_NEWLINE_RE.sub("\n", text)  # a run from its first newline on
        if _BEFORE_NEWLINE_RE.search(text):  # rare: spaces before a run's first newline
            text = _SPACES_BEFORE_NEWLINE_RE.sub("\n", text)
    return text


def _compact_spaces(text: str) -> str:
    """``text`` with each run of two or more spaces or tabs made one space."""
    return _SPACE_RUN_RE.sub(" ", text)


def _compact_plain(plain: str) -> str:
    """``plain`` (text, and tags holding no newline) with the runs of whitespace in its text
    shortened: the newlines all at once, and the rare runs of spaces with a look at where the
    tags are, as a tag may hold one."""
    plain = _compact_newlines(plain)
    if "  " in plain or "\t" in plain or "\r" in plain or "\f" in plain:
        pieces = _TAG_RE.split(plain)  # text, tag, text, tag, …, text
        pieces[::2] = map(_compact_spaces, pieces[::2])
        return "".join(pieces)
    return plain


def compact_whitespace(html: str) -> str:
    """``html`` with each run of whitespace in its text shortened to the one character a browser
    shows it as: a newline if the run holds one, else a space. The page renders exactly as
    before (``white-space: normal`` or ``nowrap``); the text of a ``pre``, ``textarea``, ``code``
    or ``kbd``, scripts, styles, comments and attribute values stay as they are; the
    whitespace between a tag's attributes becomes one space.

    A tag is what a ``<`` and a letter start and the first ``>`` outside quotes ends; a ``<``
    that starts no tag, comment or script is text. Preformatted elements are counted, not
    matched: text is kept while more of their start tags than end tags precede it."""
    pieces = _SPECIAL_RE.split(html)  # plain, special, plain, special, …, plain
    depth = 0  # how many preserving elements the text is inside
    for index in range(0, len(pieces), 2):
        if not depth:
            pieces[index] = _compact_plain(pieces[index])
        if index + 1 < len(pieces):
            tag = pieces[index + 1]
            if "\n" in tag and tag[1] != "!" and not _RAW_TEXT_RE.match(tag):
                tag = pieces[index + 1] = _TAG_SPACE_RE.sub(_attribute_space, tag)
            if (found := _PRESERVING_RE.match(tag)) and not tag.endswith("/>"):
                depth = max(0, depth - 1) if found.group(1) else depth + 1
    return "".join(pieces)
