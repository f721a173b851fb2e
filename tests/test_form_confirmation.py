"""After sending a form, in Chromium at 375 px against a real `hubgen leads serve`: the form is
replaced by a confirmation (who replies, by when) that is focused and fully visible, with
nothing over it; the "shared with you" card never covers the page, and on the referring
partner's own page it says the partner recommends the network."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hubkit import HubDir, static_server
from leadkit import ReceiverProcess, free_port

from hubgen.cli import main

PHONE = {"width": 375, "height": 667}


@contextmanager
def hub_with_receiver(minihub: HubDir, tmp_path: Path) -> Iterator[str]:
    """The fixture hub built with its forms posting to a live `hubgen leads serve`."""
    port = free_port()
    minihub.edit(
        "mkdocs.yml",
        "      tagline: A tiny hub for tests\n",
        "      tagline: A tiny hub for tests\n      forms:\n"
        f"        endpoint: http://127.0.0.1:{port}/leads\n",
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
            yield base
        finally:
            receiver.stop()


# Whether an element is fully inside the viewport, below Material's sticky header, and the
# topmost element at its corners and centre (nothing covers any of it).
UNCOVERED = """(selector) => {
  const el = document.querySelector(selector);
  const r = el.getBoundingClientRect();
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const inside = r.top >= header && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  // Inside the rounded corners: hit testing follows border-radius.
  const d = parseFloat(getComputedStyle(el).borderTopLeftRadius) + 2;
  const points = [[r.left + d, r.top + d], [r.right - d, r.top + d], [r.left + d, r.bottom - d],
                  [r.right - d, r.bottom - d], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
  const covered = points.map(([x, y]) => document.elementFromPoint(x, y))
    .filter((top) => !el.contains(top))
    .map((top) => top ? top.nodeName + '.' + top.className : 'nothing');
  return {inside, covered, rect: [r.top, r.bottom, innerHeight, header]};
}"""


def test_the_confirmation_replaces_the_form_focused_and_fully_visible_at_375px(
    browser: Any, minihub: HubDir, tmp_path: Path
) -> None:
    with hub_with_receiver(minihub, tmp_path) as base:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(base + "?ref=brightside")  # the shared card shows from here on
        page.locator(".hg-shared", has_text="Brightside Law").wait_for()
        page.goto(base + "articles/cash/")
        page.locator(".hg-shared").wait_for()
        page.fill("#hg-form-name", "Robin Reader")
        page.fill("#hg-form-email", "robin@reader.example")
        page.fill("#hg-form-message", "Could you look at our cash flow forecast?")
        page.check("#hg-form-consent")
        page.click("form[data-hubgen-form] button[type=submit]")
        done = page.locator(".hg-form__done")
        done.wait_for(state="visible")
        assert page.locator("form[data-hubgen-form]").is_hidden()
        text = done.inner_text()
        assert "Acme Accounting will reply" in text and "within one working day" in text
        assert page.evaluate("document.activeElement.classList.contains('hg-form__done')")
        assert done.get_attribute("role") == "status"
        seen = page.evaluate(UNCOVERED, ".hg-form__done")
        assert seen["inside"] and seen["covered"] == [], seen
        assert page.locator(".hg-shared").is_hidden()  # stepped aside for the confirmation
        page.screenshot(path=_artifact("form-confirmation-375.png"))
        context.close()


def test_the_shared_card_never_covers_the_page_on_a_phone(mini_url: str, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(mini_url + "articles/cash/?ref=brightside")
    card = page.locator(".hg-shared")
    card.wait_for()
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    layout = page.evaluate(
        """() => {
          const card = document.querySelector('.hg-shared').getBoundingClientRect();
          const footer = document.querySelector('.md-footer').getBoundingClientRect();
          return {cardTop: card.top, cardLeft: card.left, cardRight: card.right,
                  footerBottom: footer.bottom, width: innerWidth};
        }"""
    )
    # Scrolled to the end, the whole page (its footer last) ends above the card.
    assert layout["footerBottom"] <= layout["cardTop"] + 0.5, layout
    assert layout["cardLeft"] == 0 and layout["cardRight"] == layout["width"]  # a bottom bar
    context.close()


def test_on_the_referrers_own_page_the_card_recommends_the_network(
    mini_url: str, browser: Any
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(mini_url + "partners/acme/?ref=acme-ref")
    card = page.locator(".hg-shared")
    card.wait_for()
    assert card.inner_text().strip().startswith("Acme Accounting recommends the firms of Mini Hub")
    assert "Shared with you" not in card.inner_text()
    page.goto(mini_url + "topics/")
    assert page.locator(".hg-shared").inner_text().startswith("Shared with you by Acme Accounting")
    context.close()


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parent.parent / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
