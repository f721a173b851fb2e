"""End to end in Debian's chromium: a visitor arrives through two partners' links, sends the
article form without any help from JavaScript, and the receiver stores one lead with both
touches, routed to the article's author and credited under the hub's model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import HubDir, static_server
from leadkit import ReceiverProcess, free_port

from hubgen.cli import main
from hubgen.leads.store import open_store


def test_a_referred_visitor_sends_the_article_form(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    port = free_port()
    minihub.edit(
        "mkdocs.yml",
        "      tagline: A tiny hub for tests\n",
        f"      tagline: A tiny hub for tests\n      forms:\n        endpoint: http://127.0.0.1:{port}/leads\n",
    )
    site = tmp_path / "site"
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    db = f"sqlite:///{tmp_path / 'leads.sqlite3'}"
    with static_server(site) as base:
        origin = base.rstrip("/")
        receiver = ReceiverProcess(
            db, site / "hub.json", port, "--allow-origin", origin, "--no-worker"
        )
        receiver.start()
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base + "?ref=acme-ref")
            page.locator(".hg-shared", has_text="Acme Accounting").wait_for()
            page.goto(base + "topics/?ref=brightside")
            page.locator(".hg-shared", has_text="Brightside Law").wait_for()
            page.goto(base + "articles/cash/")
            page.wait_for_function(
                "document.querySelector('form[data-hubgen-form] input[name=last_ref]').value === 'brightside'"
            )
            page.fill("#hg-form-name", "Robin Reader")
            page.fill("#hg-form-email", "robin@reader.example")
            page.fill("#hg-form-message", "Could you look at our cash flow forecast?")
            page.check("#hg-form-consent")
            page.click("form[data-hubgen-form] button[type=submit]")
            page.wait_for_url(base + "thanks/")
        finally:
            context.close()
            receiver.stop()
    store = open_store(db)
    [lead] = store.leads()
    store.close()
    assert (
        lead.page == "articles/cash/" and lead.recipients == ("acme",) and lead.authors == ("acme",)
    )
    assert (lead.first_partner, lead.last_partner, lead.credited_partner) == (
        "acme",
        "brightside",
        "brightside",
    )
    assert lead.fields["name"] == "Robin Reader" and lead.consent_version
