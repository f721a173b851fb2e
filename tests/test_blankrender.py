"""A page with a blank body skips MkDocs' Markdown set-up and ends up exactly as MkDocs leaves it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hubgen.mkdocs_adapter import blankrender

STATE = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


def page_state(page: Page) -> dict[str, object]:
    state = {name: getattr(page, name) for name in STATE}
    state["toc"] = [(item.title, item.url, item.level) for item in page.toc]
    if page.links_to_anchors is not None:  # keyed by File, new in each render
        links = page.links_to_anchors.items()
        state["links_to_anchors"] = {file.src_uri: anchors for file, anchors in links}
    return state


def rendered(tmp_path: Path, markdown: str, *, quickly: bool) -> tuple[Page, dict[str, object]]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs/page.md").write_text("x", "utf-8")
    config = load_config(
        config_file=None,
        site_name="Hub",
        docs_dir=str(tmp_path / "docs"),
        markdown_extensions=["toc", "attr_list", "md_in_html", "pymdownx.superfences"],
    )
    file = File("page.md", config.docs_dir, str(tmp_path / "site"), use_directory_urls=True)
    page = Page(None, file, config)
    page.markdown = markdown
    if quickly:
        blankrender.render_blank_quickly(page)
    calls: list[str] = []
    original = blankrender.Page.render

    def counting(self: Page, *args: object) -> None:
        calls.append(self.file.src_uri)
        original(self, *args)  # type: ignore[arg-type]

    blankrender.Page.render = counting  # type: ignore[method-assign]
    try:
        page.render(config, Files([file]))
    finally:
        blankrender.Page.render = original  # type: ignore[method-assign]
    return page, {**page_state(page), "markdown_ran": bool(calls)}


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
@pytest.mark.parametrize("markdown", ["", "  \n\t\n"])
def test_a_blank_body_ends_as_mkdocs_leaves_it_without_markdown(
    tmp_path: Path, markdown: str, level: int
) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    before = logger.level
    logger.setLevel(level)
    try:
        _, quick = rendered(tmp_path, markdown, quickly=True)
        _, mkdocs = rendered(tmp_path, markdown, quickly=False)
    finally:
        logger.setLevel(before)
    assert quick.pop("markdown_ran") is False  # skipped
    assert mkdocs.pop("markdown_ran") is True
    assert quick == mkdocs


def test_a_body_given_after_hubgen_is_converted_by_mkdocs(tmp_path: Path) -> None:
    page, quick = rendered(tmp_path, "# Title {#top}\n\nText [link](#top)", quickly=True)
    _, mkdocs = rendered(tmp_path, "# Title {#top}\n\nText [link](#top)", quickly=False)
    assert quick.pop("markdown_ran") is True and mkdocs.pop("markdown_ran") is True
    assert quick == mkdocs
    assert '<h1 id="top">Title</h1>' in str(page.content) and page.title == "Title"
