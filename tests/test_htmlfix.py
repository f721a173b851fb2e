"""compact_whitespace: every page's indentation goes, and nothing a visitor sees changes."""

from __future__ import annotations

import random
import re

from bs4 import BeautifulSoup
from hubkit import Site

from hubgen.mkdocs_adapter.htmlfix import compact_whitespace


def test_runs_of_whitespace_in_text_become_the_character_a_browser_shows() -> None:
    html = "<ul>\n    <li>One  two</li>\n\n    <li>\tthree</li>\n</ul>  <p>a \n b</p>"
    assert compact_whitespace(html) == "<ul>\n<li>One two</li>\n<li>\tthree</li>\n</ul> <p>a\nb</p>"


def test_preformatted_text_scripts_and_comments_are_kept() -> None:
    kept = [
        "<pre><code>def f():\n\n    return  1\n</code></pre>",
        '<textarea rows="4">Hello,\n\n  Best wishes</textarea>',
        "<p>Run <code>a  &amp;&amp;  b</code> and <kbd>Ctrl</kbd>  +  <kbd>C</kbd></p>",
        '<script>var s = "  two\\n\\n  lines";\n\n  go(s)</script>',
        '<script type="application/ld+json">{"a":  "b"}</script>',
        "<style>\n  a  { color: red }\n</style>",
        "<!--  a comment\n\n  -->",
    ]
    for html in kept:
        assert compact_whitespace(html) == html.replace("</kbd>  +  <kbd>", "</kbd> + <kbd>")


def test_attribute_values_are_kept_and_the_space_between_attributes_is_one() -> None:
    html = '<img class="hg-logo" src="a.svg"\n       alt="two  spaces\n\n here >" loading="lazy">'
    out = compact_whitespace(html)
    assert out == '<img class="hg-logo" src="a.svg" alt="two  spaces\n\n here >" loading="lazy">'
    soup = BeautifulSoup(out, "html.parser")
    assert soup.img["alt"] == "two  spaces\n\n here >"


def test_no_break_spaces_are_text() -> None:
    assert (
        compact_whitespace("<p>1\u00a0\u00a0000 \u00a0 £</p>") == "<p>1\u00a0\u00a0000 \u00a0 £</p>"
    )


def test_text_after_a_preformatted_element_is_compacted_again() -> None:
    html = "<pre>a\n\n b</pre>\n\n  <p>c  d</p><code/>  x"
    assert compact_whitespace(html) == "<pre>a\n\n b</pre>\n<p>c d</p><code/> x"


def test_built_pages_keep_textarea_text_and_lose_indentation(mini_site: Site) -> None:
    kit = mini_site.root / "partners" / "acme" / "share" / "index.html"
    html = kit.read_text("utf-8")
    assert "\n  " not in html.split("<textarea", 1)[0]  # no indentation before the first textarea
    email = BeautifulSoup(html, "html.parser").select_one("textarea[id^=hg-email]")
    assert email is not None and "\n\n" in email.get_text()  # the e-mail keeps its paragraphs


def test_hostile_markup_is_read_as_a_browser_reads_it() -> None:
    cases = {
        # A quoted value may hold '>', '<' and newlines; the tag stays whole, its values untouched.
        '<a title="x >\n  <code>"\n   href="y">a  b</a>': '<a title="x >\n  <code>" href="y">a b</a>',
        '<a title=\'it"s  >\'\n data-x="1">  z': '<a title=\'it"s  >\' data-x="1"> z',
        # A run of spaces inside a one-line tag is the tag's, not text.
        '<a  href="x"   class="y">a  b</a>': '<a  href="x"   class="y">a b</a>',
        # Nested preformatted elements: text is kept until the last one closes.
        "<pre><code>a  b\n\n  c</code>  d\n </pre>  e": "<pre><code>a  b\n\n  c</code>  d\n </pre> e",
        "<PRE>a  b</PRE>  <Code>c  d</CODE>  e": "<PRE>a  b</PRE> <Code>c  d</CODE> e",
        "<textarea>\n  x  \n</textarea>\n  y": "<textarea>\n  x  \n</textarea>\ny",
        # A tag inside a preformatted element still loses its newline between attributes.
        '<pre><span\n   class="k">a  b</span></pre>': '<pre><span class="k">a  b</span></pre>',
        # Scripts and styles are raw text, '<' and all; so is a comment.
        "<script>if (a <b && c>  d) {\n  x()\n}</script>  y": "<script>if (a <b && c>  d) {\n  x()\n}</script> y",
        "<STYLE>a  >  b { }</STYLE>\n\n z": "<STYLE>a  >  b { }</STYLE>\nz",
        "<!-- <pre>  -->  a  <!--x\n\n-->": "<!-- <pre>  --> a <!--x\n\n-->",
        # A '<' that starts no tag is text.
        "a  <  b\n\n <3  c": "a < b\n<3 c",
        "<!DOCTYPE  html>\n  <html>": "<!DOCTYPE html>\n<html>",
        # CRLF, form feeds and tabs are whitespace; a no-break space is text.
        "<p>\r\n  a\t\tb\f c \u00a0 d</p>\r\n": "<p>\na b c \u00a0 d</p>\n",
        "a   \n  b \t\n c": "a\nb\nc",
        # Self-closing preformatted tags open nothing; a stray end tag closes nothing.
        "<code/>  a</code>  b<pre>  c</pre>": "<code/> a</code> b<pre>  c</pre>",
        # An unterminated tag or comment is text.
        '<a title="x>  y': '<a title="x> y',
        "<!--  a": "<!-- a",
    }
    for html, expected in cases.items():
        assert compact_whitespace(html) == expected, html
        assert compact_whitespace(html) == _reference(html), html


_REFERENCE_TAG_RE = re.compile(
    r"""(<(?:script|style)\b[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>.*?</(?:script|style)\s*>"""
    r"|<!--.*?-->"
    r"""|</?[a-zA-Z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)""",
    re.S | re.I,
)


def _reference(html: str) -> str:
    """compact_whitespace as first written: a loop over every tag."""
    pieces = _REFERENCE_TAG_RE.split(html)
    depth = 0
    for index in range(0, len(pieces), 2):
        if not depth:
            text = re.sub(r"[ \t\r\f]*\n[ \t\r\n\f]*", "\n", pieces[index])
            pieces[index] = re.sub(r"[ \t\r\f]{2,}", " ", text)
        if index + 1 < len(pieces):
            tag = pieces[index + 1]
            if "\n" in tag and tag[1] != "!" and not re.match(r"<(?:script|style)\b", tag, re.I):
                tag = pieces[index + 1] = re.sub(
                    r"""("[^"]*"|'[^']*')|[ \t\r\n\f]+""", lambda m: m.group(1) or " ", tag
                )
            if (found := re.match(r"<(/?)(?:pre|textarea|code|kbd)[\s>/]", tag, re.I)) and not (
                tag.endswith("/>")
            ):
                depth = max(0, depth - 1) if found.group(1) else depth + 1
    return "".join(pieces)


_FRAGMENTS = [
    *("<pre>", "</pre>", "<PRE\n>", "<code>", "</code >", "<code/>", "<kbd>", "</kbd>"),
    *("<textarea rows=2>", "</TEXTAREA>", "<script>", "</script>", "<style x='>'>", "</style>"),
    *("<!--", "-->", "<!DOCTYPE html>", "<a", "<b", "</a>", "</", "<", ">", "/>", "=", '"', "'"),
    *(' href="', ' title="a >', " x='", '<i\n  class="a  b">', "<\u212abd>", "<\u017fcript>"),
    *(" ", "  ", "\n", "\n  ", "\t", "\r\n", "\f", "\v", "\u00a0", "x", "yz", "&lt;", "\u2026"),
]


def test_agrees_with_the_reference_on_random_markup() -> None:
    rng = random.Random(20261203)
    for _ in range(4000):
        html = "".join(rng.choices(_FRAGMENTS, k=rng.randrange(40)))
        assert compact_whitespace(html) == _reference(html), repr(html)
