"""A hub made by `hubgen init` looks like the demo: its cards, tiles and pills have the demo's
computed styles in Chromium, with the palette init writes and without any palette (Material then
sets no colour-scheme attribute, where hubgen's variables used to live). init's placeholders are
`hubgen check` warnings naming file, line and field until they are replaced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hubkit import static_server

from hubgen.cli import main

PROPERTIES = (
    "border-top-width", "border-top-style", "border-left-color", "border-left-width",
    "border-top-left-radius", "border-bottom-right-radius", "padding-top", "padding-left",
    "background-color", "box-shadow",
)  # fmt: skip
# Not border-top-color: a card's top edge is its partner's brand colour, and the hubs' differ.
# A card, a tile and a pill of each kind the home page and the directory show.
ELEMENTS = {
    "": (".hg-card--article", ".hg-strip a"),
    "partners/": (".hg-card--partner", ".hg-card--partner .hg-chips li"),
}

STYLES = """([selector, properties]) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const style = getComputedStyle(el);
  return Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
}"""


def styles(browser: Any, base: str) -> dict[str, dict[str, str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    found: dict[str, dict[str, str]] = {}
    for url, selectors in ELEMENTS.items():
        page.goto(base + url)
        for selector in selectors:
            value = page.evaluate(STYLES, [selector, list(PROPERTIES)])
            assert value is not None, f"{selector} not on /{url}"
            found[f"/{url} {selector}"] = value
    page.close()
    return found


def init_hub(root: Path, *, palette: bool) -> Path:
    assert (
        main(["init", str(root), "--organiser", "claire-h", "--site-url", "https://x.example/"])
        == 0
    )
    config = root / "mkdocs.yml"
    if not palette:
        text = config.read_text("utf-8")
        start = text.index("  # Light and dark")
        end = text.index("\nplugins:")
        config.write_text(text[:start] + text[end:], "utf-8")
    site = root.parent / f"site-{root.name}"
    # In a process of its own: this one runs Playwright's event loop, which a build that uses
    # asyncio itself must not share.
    args = ["build", "-q", "-f", str(config), "-d", str(site)]
    build = f"from hubgen.cli import main; raise SystemExit(main({args!r}))"
    result = subprocess.run(
        [sys.executable, "-c", build], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("palette", [True, False], ids=["init-palette", "no-palette"])
def test_an_init_hub_has_the_demos_cards_tiles_and_pills(
    tmp_path: Path, browser: Any, demo_url: str, palette: bool
) -> None:
    site = init_hub(tmp_path / "hub", palette=palette)
    demo = styles(browser, demo_url)
    with static_server(site) as base:
        fresh = styles(browser, base)
    assert fresh == demo
    card = demo["/ .hg-card--article"]
    assert card["border-left-width"] == "1px" and card["border-top-left-radius"] not in ("", "0px")


def test_init_placeholders_are_warnings_until_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "hub"
    assert main(["init", str(root)]) == 0  # the defaults: example.com, @your-github-name
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["check"]) == 0  # warnings: the hub still builds and checks
    out = capsys.readouterr().out.splitlines()
    site_url = [line for line in out if line.startswith("mkdocs.yml:")]
    assert len(site_url) == 1
    assert site_url[0].startswith("mkdocs.yml:5:12: warning: site_url: is still hubgen init's ")
    assert "'https://example.com/'" in site_url[0] and "set it to the address" in site_url[0]
    owners = [line for line in out if line.startswith(".github/CODEOWNERS:")]
    assert owners and all(": warning: owners: " in line for line in owners)
    assert owners[0].startswith(".github/CODEOWNERS:8:3: warning: owners: ")
    assert any(
        line.startswith("partners/example-accounting.yml:")
        and ": warning: maintainers[0]: " in line
        for line in out
    )
    # Replaced, every warning is gone.
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("https://example.com/", "https://firms.example/"),
        "utf-8",
    )
    profile = root / "partners/example-accounting.yml"
    profile.write_text(
        profile.read_text("utf-8").replace("[your-github-name]", "[claire-h]"), "utf-8"
    )
    assert main(["codeowners", "--organiser", "claire-h"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "0 warnings" in captured.err
