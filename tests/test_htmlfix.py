"""compact_whitespace: every page's indentation goes, and nothing a visitor sees changes."""

from __future__ import annotations

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
