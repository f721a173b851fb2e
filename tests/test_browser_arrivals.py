"""Arrivals in Debian's chromium against a real receiver process: the referral script's beacon
(once per arrival, never under Do-Not-Track or Global Privacy Control) and the short link,
counted by the receiver without JavaScript, by the beacon with it, and once either way."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hubkit import HubDir
from test_leads_browser import hub_with_receiver

from hubgen.leads.store import open_store


def counts(db: str) -> list[tuple[str, str, str, int]]:
    store = open_store(db)
    try:
        return [(a.partner, a.landing, a.channel, a.count) for a in store.arrivals()]
    finally:
        store.close()


def wait_for_counts(db: str, expected: list[tuple[str, str, str, int]]) -> None:
    """A beacon is asynchronous: poll the store until it shows ``expected`` (or fail)."""
    deadline = time.monotonic() + 20
    while counts(db) != expected:
        assert time.monotonic() < deadline, counts(db)
        time.sleep(0.05)


def beacons(page: Any) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/arrivals") else None)
    return sent


def test_the_beacon_counts_an_arrival_once_per_tab(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        context = browser.new_context()
        page = context.new_page()
        sent = beacons(page)
        page.goto(base + "articles/cash/?ref=acme-ref&utm_source=acme-ref&utm_medium=qr")
        page.locator(".hg-shared", has_text="Acme Accounting").wait_for()
        wait_for_counts(db, [("acme", "articles/cash/", "qr", 1)])
        page.reload()  # not a new arrival
        page.locator(".hg-shared").wait_for()
        page.goto(base + "articles/")  # browsing on, without a code
        page.wait_for_load_state("networkidle")
        assert len(sent) == 1 and sent[0].startswith("http://127.0.0.1:")
        page.goto(base + "?ref=brightside&utm_medium=e-mail")  # another partner's link
        page.locator(".hg-shared", has_text="Brightside Law").wait_for()
        page.goto(base + "?ref=nobody")  # unknown codes send nothing
        page.wait_for_load_state("networkidle")
        context.close()
        wait_for_counts(db, [("acme", "articles/cash/", "qr", 1), ("brightside", "", "email", 1)])
        assert len(sent) == 2


def test_no_beacon_under_do_not_track_or_global_privacy_control(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    opt_outs = (
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})",
        "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})",
    )
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        for script in opt_outs:
            context = browser.new_context()
            context.add_init_script(script)
            page = context.new_page()
            sent = beacons(page)
            page.goto(base + "articles/cash/?ref=acme-ref")
            # Attribution still works in the visitor's own browser; only the count is skipped.
            page.locator(".hg-shared", has_text="Acme Accounting").wait_for()
            page.wait_for_load_state("networkidle")
            context.close()
            assert sent == []
        assert counts(db) == []


def test_a_short_link_counts_without_javascript_and_once_with_it(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "r/acme-ref/")
        # <noscript> refresh → the receiver counts → 303 to the partner page
        page.wait_for_url(base + "partners/acme/?ref=acme-ref*")
        context.close()
        assert counts(db) == [("acme", "partners/acme/", "link", 1)]

        context = browser.new_context()
        page = context.new_page()
        sent = beacons(page)
        page.goto(base + "r/acme-ref/")
        page.wait_for_url(base + "partners/acme/?ref=acme-ref*")
        page.locator(".hg-shared", has_text="Acme Accounting").wait_for()
        page.wait_for_load_state("networkidle")
        context.close()
        assert len(sent) == 1  # straight to the partner page, whose beacon counts it
        wait_for_counts(db, [("acme", "partners/acme/", "link", 2)])

        context = browser.new_context(java_script_enabled=False, extra_http_headers={"DNT": "1"})
        page = context.new_page()
        page.goto(base + "r/acme-ref/")
        page.wait_for_url(base + "partners/acme/?ref=acme-ref*")
        context.close()
        assert counts(db) == [("acme", "partners/acme/", "link", 2)]
