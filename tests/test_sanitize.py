"""The safe-content policy on hostile input, in isolation and in a built site."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hubkit import HubDir

from hubgen.cli import main
from hubgen.core.sanitize import ContentPolicy, removed_by_policy, sanitize

POLICY = ContentPolicy(site_host="mini.example")


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav&#10;ascript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "java\0script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_script_urls_in_every_spelling_are_removed(href: str) -> None:
    link = BeautifulSoup(sanitize(f'<a href="{href}">x</a>', POLICY), "html.parser").a
    assert link is not None
    kept = str(link.get("href", ""))
    # Either gone, or something a browser cannot run (a NUL becomes U+FFFD: a relative URL).
    assert kept == "" or not re.match(r"\s*(javascript|vbscript|data):", kept, re.IGNORECASE), kept


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<img src=x onerror=alert(1)>", '<img src="x">'),
        ("<script>alert(1)</script>ok", "ok"),
        ('<svg onload="alert(1)"><script>alert(1)</script></svg>', ""),
        ('<iframe src="https://evil.example"></iframe>', ""),
        ('<form action="https://evil.example"><input name="pw"></form>', ""),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ""),
        ('<base href="https://evil.example/">', ""),
        ('<p style="position:fixed;inset:0">x</p>', "<p>x</p>"),
        ('<p onclick="steal()">x</p>', "<p>x</p>"),
        (
            '<img src="data:image/png;base64,iVBORw0KGgo=">',
            '<img src="data:image/png;base64,iVBORw0KGgo=">',
        ),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    ],
)
def test_hostile_html(html: str, expected: str) -> None:
    assert sanitize(html, POLICY) == expected


def test_links_get_noopener_outbound_and_sponsored_with_a_referral_code() -> None:
    html = (
        '<a href="https://other.example/">a</a><a href="../x/">b</a>'
        '<a href="https://mini.example/?ref=ll">c</a><a href="https://other.example/?ref=ll&amp;x=1">d</a>'
    )
    assert sanitize(html, POLICY) == (
        '<a href="https://other.example/" rel="noopener">a</a><a href="../x/">b</a>'
        '<a href="https://mini.example/?ref=ll" rel="sponsored">c</a>'
        '<a href="https://other.example/?ref=ll&amp;x=1" rel="noopener sponsored">d</a>'
    )


def test_material_markup_survives() -> None:
    html = (
        '<h2 id="tip">Tip<a class="headerlink" href="#tip" title="Permanent link">¶</a></h2>'
        '<div class="admonition tip"><p class="admonition-title">Tip</p><p>x</p></div>'
        '<table><thead><tr><th align="left">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
        '<div class="highlight"><pre><span></span><code><span class="k">if</span></code></pre></div>'
    )
    assert sanitize(html, POLICY) == html


def test_policy_is_configurable_both_ways() -> None:
    looser = ContentPolicy(
        extra_tags=frozenset({"iframe"}), extra_attributes={"iframe": frozenset({"src"})}
    )
    assert sanitize('<iframe src="https://video.example/1"></iframe>', looser) == (
        '<iframe src="https://video.example/1"></iframe>'
    )
    stricter = ContentPolicy(removed_tags=frozenset({"img"}), data_images=False)
    assert sanitize('<p><img src="a.png" alt="x">hi</p>', stricter) == "<p>hi</p>"
    styled = ContentPolicy(style_properties=frozenset({"color"}))
    assert (
        sanitize('<p style="color:red;position:fixed">x</p>', styled)
        == '<p style="color:red">x</p>'
    )


def test_removed_by_policy_names_what_goes() -> None:
    assert removed_by_policy('<p onclick="x()">a</p><script>1</script><b>ok</b>', POLICY) == [
        "<script>",
        "onclick= on <p>",
    ]


def test_built_article_has_no_script_even_with_hostile_markdown(minihub: HubDir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    minihub.write(
        "mkdocs.yml", minihub.read("mkdocs.yml") + "markdown_extensions:\n  - attr_list\n"
    )
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "Plan ahead.",
        "Plan ahead.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '[click](javascript:alert(1)) [there](https://x.example){ onclick="steal()" }\n\n'
        '<svg><script>alert(2)</script></svg>\n',
    )  # fmt: skip
    minihub.edit(
        "partners/acme.yml", "We keep the books", '<img src=x onerror="alert(3)"> We keep the books'
    )
    assert (
        main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(tmp_path / "s")])
        == 0
    )
    for url in ("articles/cash/index.html", "partners/acme/index.html"):
        soup = BeautifulSoup((tmp_path / "s" / url).read_text(), "html.parser")
        body = soup.select_one(".hg-body")
        assert body is not None
        assert body.select("script, svg, iframe") == []
        for element in body.find_all(True):
            assert not any(name.startswith("on") for name in element.attrs), element
            assert "javascript" not in str(element.get("href", "")).lower()


def test_file_reading_extensions_are_refused(minihub: HubDir, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    minihub.write(
        "mkdocs.yml", minihub.read("mkdocs.yml") + "markdown_extensions:\n  - pymdownx.snippets\n"
    )
    assert (
        main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(tmp_path / "s")])
        == 1
    )
    assert "pymdownx.snippets can read files from the build machine" in capsys.readouterr().err
