"""browser_whitespace, the tests' oracle for "renders the same": each run of whitespace becomes
what a browser shows, and nothing a visitor sees is read differently."""

from __future__ import annotations

from browserspace import browser_whitespace
from bs4 import BeautifulSoup


def test_runs_of_whitespace_in_text_become_the_character_a_browser_shows() -> None:
    html = "<ul>\n    <li>One  two</li>\n\n    <li>\tthree</li>\n</ul>  <p>a \n b</p>"
    assert browser_whitespace(html) == "<ul>\n<li>One two</li>\n<li>\tthree</li>\n</ul> <p>a\nb</p>"


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
        assert browser_whitespace(html) == html.replace("</kbd>  +  <kbd>", "</kbd> + <kbd>")


def test_attribute_values_are_kept_and_the_space_between_attributes_is_one() -> None:
    html = '<img class="hg-logo" src="a.svg"\n       alt="two  spaces\n\n here >" loading="lazy">'
    out = browser_whitespace(html)
    assert out == '<img class="hg-logo" src="a.svg" alt="two  spaces\n\n here >" loading="lazy">'
    soup = BeautifulSoup(out, "html.parser")
    assert soup.img["alt"] == "two  spaces\n\n here >"


def test_no_break_spaces_are_text() -> None:
    assert (
        browser_whitespace("<p>1\u00a0\u00a0000 \u00a0 £</p>") == "<p>1\u00a0\u00a0000 \u00a0 £</p>"
    )


def test_text_after_a_preformatted_element_is_compacted_again() -> None:
    html = "<pre>a\n\n b</pre>\n\n  <p>c  d</p><code/>  x"
    assert browser_whitespace(html) == "<pre>a\n\n b</pre>\n<p>c d</p><code/> x"


def test_hostile_markup_is_read_as_a_browser_reads_it() -> None:
    cases = {
        # A quoted value may hold '>', '<' and newlines; the tag stays whole, its values untouched.
        '<a title="x >\n  <code>"\n   href="y">a  b</a>': '<a title="x >\n  <code>" href="y">a b</a>',
        '<a title=\'it"s  >\'\n data-x="1">  z': '<a title=\'it"s  >\' data-x="1"> z',
        # Between attributes any run is one space, in a script's start tag too.
        '<a  href="x"   class="y">a  b</a>': '<a href="x" class="y">a b</a>',
        '<script src="a"\n   defer>x  y</script>': '<script src="a" defer>x  y</script>',
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
        assert browser_whitespace(html) == expected, html
