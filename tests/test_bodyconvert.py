"""One Markdown instance converts a build's article bodies: each body comes out as MkDocs'
``Page.render`` converts it alone, whatever was converted before it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.pages import Page

from hubgen.cache import bodyconvert

ROOT = Path(__file__).resolve().parent.parent

EXTENSIONS = """\
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - sane_lists
  - smarty
  - meta
  - pymdownx.details
  - pymdownx.superfences
"""

# Documents that leave state behind in an extension that did not reset: footnotes with the
# same labels, metadata, headings whose ids the toc makes unique, definitions, fences.
DOCUMENTS = {
    "one.md": """Title: One
Summary: the first

# Cash flow

Text with a note.[^a] And [a link](two.md#tax-year) and [another](two.md#missing).

## Cash flow

[^a]: The first document's note.

<div id="raw-anchor" markdown>A **raw** block.</div>
""",
    "two.md": """# Tax year

Another note[^a] and a second[^b]. "Smart" quotes -- and dashes.

Term
:   Its definition.

!!! note "Careful"
    An admonition.

??? tip "Details"
    Hidden text.

```python
print("fenced")
```

| a | b |
|---|---|
| 1 | 2 |

[^a]: The second document's note.
[^b]: Another.
""",
    "three.md": """No heading at all, no note: [^a] stays as written.

1. one
* two
{: .lead }
""",
}


def _site(tmp_path: Path, extensions: str = EXTENSIONS) -> tuple[MkDocsConfig, Files]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\n{extensions}", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    return config, get_files(config)


def _rendered(page: Page) -> tuple[object, ...]:
    toc = [(item.id, item.title, [(c.id, c.title) for c in item.children]) for item in page.toc]
    links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
    return (page.content, toc, page._title_from_render, page.present_anchor_ids, links)


def _alone(config: MkDocsConfig, files: Files, name: str) -> tuple[object, ...]:
    page = Page(None, files.get_file_from_path(name), config)  # type: ignore[arg-type]
    page.read_source(config)
    page.render(config, files)
    return _rendered(page)


def _in_turn(config: MkDocsConfig, files: Files, names: list[str]) -> dict[str, tuple[object, ...]]:
    found = {}
    for name in names:
        page = Page(None, files.get_file_from_path(name), config)  # type: ignore[arg-type]
        page.read_source(config)
        bodyconvert.render(page, config, files)
        found[name] = _rendered(page)
    return found


@pytest.mark.parametrize(
    "order", [["one.md", "two.md", "three.md"], ["three.md", "two.md", "one.md", "two.md"]]
)
def test_bodies_converted_in_turn_are_the_bodies_converted_alone(
    tmp_path: Path, order: list[str]
) -> None:
    config, files = _site(tmp_path)
    assert bodyconvert.reusable(config)
    alone = {name: _alone(config, files, name) for name in DOCUMENTS}
    assert _in_turn(config, files, order) == alone
    # The documents do what they are here for: notes, anchors, links to anchors.
    assert "The second document" in str(alone["two.md"][0])
    assert "first document" not in str(alone["two.md"][0])
    assert "raw-anchor" in alone["one.md"][3]  # type: ignore[operator]
    assert alone["one.md"][4]["two.md"] == {  # type: ignore[index]
        "tax-year": "two.md#tax-year",
        "missing": "two.md#missing",
    }


def test_the_demo_hubs_articles_convert_as_page_render_converts_them() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    files = get_files(config)
    assert bodyconvert.reusable(config)
    names = sorted(
        f.src_uri for f in files.documentation_pages() if f.src_uri.startswith("articles/")
    )
    assert len(names) >= 10
    alone = {name: _alone(config, files, name) for name in names}
    assert _in_turn(config, files, names[::-1]) == alone


def test_an_extension_not_known_to_reset_gets_page_render(tmp_path: Path) -> None:
    config, files = _site(tmp_path, EXTENSIONS + "  - abbr\n")
    assert not bodyconvert.reusable(config)
    alone = {name: _alone(config, files, name) for name in DOCUMENTS}
    assert _in_turn(config, files, list(DOCUMENTS)) == alone
    assert bodyconvert._held == (config, None)


def test_anchor_links_are_kept_only_when_mkdocs_keeps_them(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    logger = logging.getLogger("mkdocs.structure.pages")
    before = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        page = Page(None, files.get_file_from_path("one.md"), config)  # type: ignore[arg-type]
        page.read_source(config)
        bodyconvert.render(page, config, files)
    finally:
        logger.setLevel(before)
    assert page.links_to_anchors is None
