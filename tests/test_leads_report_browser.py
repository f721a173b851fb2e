"""The reports in Chromium: readable at 375 px (no sideways scrolling of the page), charts shown,
no Content-Security-Policy violation, nothing requested outside the report's folder; screenshots
at 375 and 1280 px, light and dark, go to test-artifacts/reports/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hubkit import static_server

from benchmarks.reports import generate
from hubgen.cli import main

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "reports"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("reports")
    db = f"sqlite:///{work / 'leads.sqlite3'}"
    data = generate(db, work, partners=12, months=6, events=6000, seed=3)
    out = work / "out"
    args = ["leads", "report", "--db", db, "--hub", str(data.hub), "--month", data.month]
    assert main([*args, "--out", str(out)]) == 0
    return out, data.month


def test_reports_in_a_browser(browser: Any, reports: tuple[Path, str]) -> None:
    out, month = reports
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = {"organiser": "index.html", "partner": f"{month}/partner-001.html"}
    with static_server(out) as url:
        for scheme in ("light", "dark"):
            for width in (375, 1280):
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page = context.new_page()
                problems: list[str] = []
                requests: list[str] = []
                page.on(
                    "console",
                    lambda m, seen=problems: seen.append(m.text) if m.type == "error" else None,
                )
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                for name, path in pages.items():
                    page.goto(f"{url}/{path}")
                    page.wait_for_load_state("load")
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                        name,
                        width,
                    )
                    images = page.evaluate(
                        "[...document.images].map(i => [i.getAttribute('src'), i.naturalWidth])"
                    )
                    assert all(w > 0 for _, w in images), images
                    page.screenshot(
                        path=str(ARTIFACTS / f"{name}-{scheme}-{width}.png"), full_page=True
                    )
                context.close()
                # The static server answers a favicon with 404; nothing else may fail or be refused.
                assert [p for p in problems if "favicon" not in p and "404" not in p] == []
                assert all(r.startswith(url) for r in requests), requests
    # The organiser's page draws its charts from its own folder; the partner's is one file.
    assert {p.name for p in out.glob("*.svg")} == {"partners.svg", "matrix.svg", "over-time.svg"}
