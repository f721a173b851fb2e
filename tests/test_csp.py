"""The Content-Security-Policy: the policy builder, and built sites whose every inline script and
style is allowed by the policy its page carries (and nothing a page's content adds)."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from hubkit import HubDir
from mkdocs.commands.build import build
from mkdocs.config import load_config

from hubgen.cli import main
from hubgen.core.formsettings import FormSettings
from hubgen.core.models import HubSettings
from hubgen.core.sanitize import ContentPolicy
from hubgen.site.csp import Extra, build_policy, headers_file, inline_hashes, source_of


def settings(**changes: Any) -> HubSettings:
    base = HubSettings(
        name="Hub", root=Path("/hub"), docs_dir=Path("/hub/content"),
        partners_dir=Path("/hub/partners"), site_url="https://hub.example/",
        timezone=ZoneInfo("UTC"),
    )  # fmt: skip
    return replace(base, **changes)


def directives(text: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in text.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice"
        parsed[name] = sources
    return parsed


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# -- the builder -----------------------------------------------------------------------------


def test_default_policy_allows_only_the_sites_own_scripts() -> None:
    policy = directives(build_policy(settings()).text())
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https:"]
    # Style attributes (partner accents, table alignment) but no inline <style> elements.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src-elem"] == ["'self'"]
    assert "frame-ancestors" not in policy  # a meta tag cannot carry it
    assert "frame-src" not in policy


def test_lead_endpoint_origin_may_receive_forms_and_fetches() -> None:
    forms = FormSettings(endpoint="https://leads.example.org:8443/leads?x=1")
    policy = directives(build_policy(settings(forms=forms)).text())
    assert policy["form-action"] == ["'self'", "https://leads.example.org:8443"]
    assert policy["connect-src"] == ["'self'", "https://leads.example.org:8443"]
    netlify = FormSettings(backend="netlify", endpoint="https://elsewhere.example/")
    assert directives(build_policy(settings(forms=netlify)).text())["form-action"] == ["'self'"]


def test_header_adds_frame_ancestors_and_the_file_adds_the_other_headers() -> None:
    policy = build_policy(settings())
    assert policy.header() == policy.text() + "; frame-ancestors 'none'"
    text = headers_file(policy)
    lines = text.splitlines()
    assert lines[1] == "/*"
    assert f"  Content-Security-Policy: {policy.header()}" in lines
    assert "  X-Content-Type-Options: nosniff" in lines
    assert "  Referrer-Policy: strict-origin-when-cross-origin" in lines


def test_preview_allows_inline_scripts_and_drops_hashes() -> None:
    extra = Extra((("script-src", (sha("a()"), "https://cdn.example/x.js")),))
    assert directives(build_policy(settings(), extra).text())["script-src"] == [
        "'self'", sha("a()"), "https://cdn.example/x.js",
    ]  # fmt: skip
    # A hash would switch 'unsafe-inline' off, and live reload's script changes every request.
    previewed = directives(build_policy(settings(), extra, preview=True).text())["script-src"]
    assert previewed == ["'self'", "'unsafe-inline'", "https://cdn.example/x.js"]


def test_site_search_may_compile_webassembly_and_nothing_more() -> None:
    extra = Extra((("script-src", (sha("a()"),)),))
    policy = directives(build_policy(settings(), extra, wasm=True).text())
    # Pagefind compiles its WebAssembly module: 'wasm-unsafe-eval' allows that and no eval().
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", sha("a()")]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["worker-src"] == ["'self'"]  # its worker is a file of the site
    previewed = directives(build_policy(settings(), extra, preview=True, wasm=True).text())
    assert previewed["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"]
    assert (
        "'wasm-unsafe-eval'" not in directives(build_policy(settings(), extra).text())["script-src"]
    )


def test_embeds_allowed_by_the_content_policy_get_frame_and_media_sources() -> None:
    content = ContentPolicy(extra_tags=frozenset({"iframe", "video"}))
    policy = directives(build_policy(settings(content_policy=content)).text())
    assert policy["frame-src"] == ["'self'", "https:"]
    assert policy["media-src"] == ["'self'", "https:"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://cdn.example/lib/x.min.js", "https://cdn.example/lib/x.min.js"),
        ("https://cdn.example/x.js?v=1", "https://cdn.example/x.js"),
        ("http://127.0.0.1:8400/leads", "http://127.0.0.1:8400/leads"),
        ("https://cdn.example/a;script-src *", "https://cdn.example"),  # cannot end the source
        ("https://cdn.example/a b,c", "https://cdn.example"),
        ("https://bad;host.example/x.js", None),
        ("javascript:alert(1)", None),
        ("assets/local.js", None),
        ("//cdn.example/x.js", None),
    ],
)
def test_urls_become_sources_that_cannot_break_out(url: str, source: str | None) -> None:
    assert source_of(url) == source


def test_inline_hashes_cover_running_scripts_and_styles_only() -> None:
    html = (
        "<script>var a=1</script><script src='x.js'></script>"
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script type="module">b()</script><style>:root{--x:1}</style>'
    )
    assert inline_hashes(html) == ([sha("var a=1"), sha("b()")], [sha(":root{--x:1}")])


# -- built sites -----------------------------------------------------------------------------

EVERYTHING = """theme:
  name: material
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
  features: [navigation.tabs, content.tabs.link, announce.dismiss]
  icon:
    admonition:
      note: octicons/tag-16
extra:
  analytics:
    provider: google
    property: G-TEST123
  consent:
    title: Cookie consent
    description: We use cookies.
extra_javascript:
  - https://cdn.example/widget.js
"""

_CSP_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def page_policy(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    return directives(str(meta["content"]))


def assert_every_inline_script_is_allowed(site: Path) -> int:
    """Each page's inline scripts and styles are allowed by its own meta policy; the policy is
    the first thing after the charset. Returns the number of pages checked."""
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        html = path.read_text("utf-8")
        head = html.split("<head>", 1)[1].lstrip()
        assert head.startswith('<meta charset="utf-8">'), path
        assert (
            head.split(">", 1)[1].lstrip().startswith('<meta http-equiv="Content-Security-Policy"')
        ), path
        assert html.count('<meta charset="utf-8">') == 1, path
        policy = page_policy(html)
        scripts, styles = inline_hashes(html)
        missing = [s for s in scripts if s not in policy["script-src"]]
        missing += [s for s in styles if s not in policy["style-src-elem"]]
        assert missing == [], path
    return len(pages)


def test_every_inline_script_of_the_fixture_hub_is_allowed(minihub: HubDir, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    assert assert_every_inline_script_is_allowed(site) > 30
    # No palette in mkdocs.yml: no script restoring a palette choice there is no toggle for.
    assert '__md_get("__palette")' not in (site / "index.html").read_text("utf-8")
    header = next(
        line.split(": ", 1)[1]
        for line in (site / "_headers").read_text("utf-8").splitlines()
        if line.startswith("  Content-Security-Policy: ")
    )
    # The header allows every page's scripts: it is the union of the pages' policies.
    for path in site.rglob("*.html"):
        page = page_policy(path.read_text("utf-8"))
        assert set(page["script-src"]) <= set(directives(header)["script-src"]), path
    assert directives(header)["frame-ancestors"] == ["'none'"]


def test_every_inline_script_is_allowed_with_materials_optional_features(
    minihub: HubDir, tmp_path: Path
) -> None:
    """Analytics, cookie consent, the palette, custom icons (a <style>), Google fonts."""
    text = minihub.read("mkdocs.yml")
    text = text.replace("theme:\n  name: material\n  font: false\n", EVERYTHING)
    minihub.write("mkdocs.yml", text)
    site = tmp_path / "site"
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    assert assert_every_inline_script_is_allowed(site) > 30
    home = site / "index.html"
    html = home.read_text("utf-8")
    assert 'id="__analytics"' in html and 'data-md-component="consent"' in html
    assert '__md_get("__palette")' in html  # palette toggles: the choice is restored
    assert "<style>" in html  # the admonition icon and the font names
    policy = page_policy(html)
    assert "https://www.googletagmanager.com" in policy["script-src"]
    assert "https://*.google-analytics.com" in policy["connect-src"]
    assert "https://cdn.example/widget.js" in policy["script-src"]
    assert policy["font-src"] == ["'self'", "https://fonts.gstatic.com"]
    assert "https://fonts.googleapis.com" in policy["style-src-elem"]


def test_a_script_in_an_article_gets_no_hash(minihub: HubDir, tmp_path: Path) -> None:
    """The sanitizer removes it; and with sanitizing bypassed (a hand-written page is not
    sanitized) the policy still does not allow it."""
    minihub.write("content/notes.md", "# Notes\n\n<script>window.__pwned=1</script>\n")
    site = tmp_path / "site"
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    html = (site / "notes" / "index.html").read_text("utf-8")
    assert "<script>window.__pwned=1</script>" in html
    assert sha("window.__pwned=1") not in page_policy(html)["script-src"]
    assert sha("window.__pwned=1") not in (site / "_headers").read_text("utf-8")


def test_headers_file_can_be_turned_off(minihub: HubDir, tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = str(minihub.root / "mkdocs.yml")
    assert main(["build", "-q", "-f", config, "-d", str(site)]) == 0
    assert (site / "_headers").is_file()
    minihub.edit(
        "mkdocs.yml", "      page_size: 2\n", "      page_size: 2\n      headers_file: false\n"
    )
    assert main(["build", "-q", "-f", config, "-d", str(site)]) == 0
    assert not (site / "_headers").exists()
    assert "Content-Security-Policy" in (site / "index.html").read_text("utf-8")


def test_short_links_carry_the_policy(minihub: HubDir, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    html = (site / "r" / "acme-ref" / "index.html").read_text("utf-8")
    assert html.index("Content-Security-Policy") < html.index("<script")
    policy = page_policy(html)
    assert policy["script-src"] == ["'self'"]
    assert inline_hashes(html) == ([], [])  # the forwarding script is a file


def test_serve_allows_the_live_reload_script(minihub: HubDir, tmp_path: Path) -> None:
    config = load_config(str(minihub.root / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    policy = page_policy((tmp_path / "s" / "index.html").read_text("utf-8"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
