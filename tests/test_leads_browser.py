"""End to end in Debian's chromium against a real receiver process: a visitor arrives through
partners' links and sends a form, with JavaScript (posted in place) and without (a plain POST
answered with the thank-you page); the stored lead names the referring, authoring and
recipient partners."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hubkit import HubDir, static_server
from leadkit import ReceiverProcess, free_port

from hubgen.cli import main
from hubgen.leads.store import open_store


@contextmanager
def hub_with_receiver(minihub: HubDir, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The fixture hub built with its forms posting to a live `hubgen leads serve`."""
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
        receiver = ReceiverProcess(
            db, site / "hub.json", port, "--allow-origin", base.rstrip("/"), "--no-worker"
        )
        receiver.start()
        try:
            yield base, db
        finally:
            receiver.stop()


def stored_leads(db: str) -> list[Any]:
    store = open_store(db)
    leads = store.leads()
    store.close()
    return list(leads)


def test_with_javascript_a_referred_visitor_sends_the_article_form_in_place(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        context = browser.new_context()
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
        page.locator(".hg-form__done", has_text="Thank you").wait_for()
        assert page.url == base + "articles/cash/"  # answered in place
        assert page.input_value("#hg-form-name") == ""  # the form is reset (and hidden)
        context.close()
        [lead] = stored_leads(db)
    assert (
        lead.page == "articles/cash/" and lead.recipients == ("acme",) and lead.authors == ("acme",)
    )
    assert (lead.first_partner, lead.last_partner, lead.credited_partner) == (
        "acme", "brightside", "brightside"
    )  # fmt: skip
    assert lead.fields["name"] == "Robin Reader" and lead.consent_version


def test_with_javascript_the_servers_field_errors_appear_next_to_the_fields(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "articles/cash/")
        page.fill("#hg-form-name", "Robin Reader")
        page.fill("#hg-form-email", "robin@reader.example")
        # The browser would stop at maxlength; a modified page must still meet the server's limit.
        page.evaluate("document.querySelector('#hg-form-message').removeAttribute('maxlength')")
        page.fill("#hg-form-message", "x" * 2100)  # over the 2 KiB per-field limit
        page.check("#hg-form-consent")
        page.click("form[data-hubgen-form] button[type=submit]")
        error = page.locator("#hg-form-message-error")
        error.wait_for()
        assert error.inner_text()
        assert page.get_attribute("#hg-form-message", "aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == "hg-form-message"
        context.close()
        assert stored_leads(db) == []


def test_without_javascript_a_short_link_visitor_sends_the_partner_form(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as (base, db):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "r/acme-ref/")
        page.wait_for_url("**/partners/acme/?ref=acme-ref*")  # <meta http-equiv=refresh>
        page.fill("#hg-form-name", "Sam Visitor")
        page.fill("#hg-form-email", "sam@visitor.example")
        page.fill("#hg-form-message", "Please call me about bookkeeping.")
        page.check("#hg-form-consent")
        page.click("form[data-hubgen-form] button[type=submit]")
        page.wait_for_url(base + "thanks/")
        context.close()
        [lead] = stored_leads(db)
    assert lead.page == "partners/acme/" and lead.recipients == ("acme",)
    assert (lead.first_partner, lead.last_partner) == (None, None)  # no script, no stored touch
    # No touch reached the receiver: the lead is direct to acme, which still receives it; a
    # partner is never credited with referring a lead to itself.
    assert lead.credited_partner is None
