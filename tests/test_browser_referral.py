"""What visitors do, in a real browser (Debian's chromium driven by Playwright): arrive through a
partner's link, see that partner, browse, and have the referral ride along in the lead form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def hidden(page: Any, name: str) -> str:
    return str(page.locator(f'form[data-hubgen-form] input[name="{name}"]').input_value())


def test_arrival_banner_survives_navigation_into_the_form(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "?ref=acme-ref&utm_source=acme-ref&utm_medium=referral&utm_campaign=x")
    banner = page.locator(".hg-shared")
    banner.wait_for()
    assert banner.inner_text().startswith("Shared with you by Acme Accounting")
    assert banner.locator("a").get_attribute("href").endswith("/partners/acme/")
    page.click("text=Hiring right & paying right")  # internal links carry no parameters
    page.wait_for_url("**/articles/hiring-right/")
    page.locator(".hg-shared").wait_for()
    assert hidden(page, "first_ref") == "acme-ref"
    assert hidden(page, "last_ref") == "acme-ref"
    assert hidden(page, "landing_page") == "/"
    assert hidden(page, "utm_medium") == "referral"
    assert hidden(page, "authors") == "brightside acme"  # server-rendered, not from the script


def test_short_link_lands_on_the_partners_page_with_the_code(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "r/acme-ref/")
    page.wait_for_url("**/partners/acme/?ref=acme-ref*")
    page.locator(".hg-shared").wait_for()
    assert hidden(page, "last_ref") == "acme-ref"
    assert hidden(page, "page") == "partners/acme/"


def test_unknown_code_shows_nothing_and_breaks_nothing(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "articles/cash/?ref=nobody")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hg-shared").count() == 0
    assert hidden(page, "last_ref") == ""
    assert page.evaluate("localStorage.getItem('hubgen:attribution')") is None


def test_second_partner_changes_last_touch_and_keeps_first(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "?ref=acme-ref")
    page.locator(".hg-shared").wait_for()
    page.goto(mini_url + "articles/?ref=brightside")
    page.locator(".hg-shared >> text=Brightside Law").wait_for()
    page.goto(mini_url + "articles/cash/")
    assert hidden(page, "first_ref") == "acme-ref"
    assert hidden(page, "last_ref") == "brightside"
    assert hidden(page, "utm_source") == ""  # the credited (last) touch came without UTM values


def test_dismissed_banner_stays_dismissed(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "?ref=acme-ref")
    page.locator(".hg-shared__close").click()
    assert page.locator(".hg-shared").count() == 0
    page.goto(mini_url + "articles/cash/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hg-shared").count() == 0
    assert hidden(page, "last_ref") == "acme-ref"  # dismissing the banner keeps the credit


def test_attribution_expires_after_the_window(page: Any, mini_url: str) -> None:
    page.clock.install()
    page.goto(mini_url + "?ref=acme-ref")
    page.locator(".hg-shared").wait_for()
    page.clock.fast_forward(89 * DAY_MS)
    page.goto(mini_url + "articles/cash/")
    assert hidden(page, "last_ref") == "acme-ref"
    page.clock.fast_forward(2 * DAY_MS)
    page.goto(mini_url + "articles/cash/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hg-shared").count() == 0
    assert hidden(page, "last_ref") == ""
    assert page.evaluate("localStorage.getItem('hubgen:attribution')") is None


def test_without_javascript_short_links_and_partner_forms_still_attribute(
    browser: Any, mini_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(mini_url + "r/acme-ref/")
    page.wait_for_url("**/partners/acme/?ref=acme-ref*")  # via <meta http-equiv=refresh>
    assert hidden(page, "page") == "partners/acme/"
    assert hidden(page, "form_id") == "partner"
    context.close()


def test_directory_filters_in_place_with_javascript(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "partners/")
    page.click("[data-hg-filter] >> text=Bookkeeping")
    page.wait_for_url("**/services/bookkeeping/")
    visible = page.locator(".hg-card--partner:visible")
    assert visible.count() == 1 and visible.get_attribute("data-partner") == "acme"
    assert "1 of 2 firms offer Bookkeeping" in page.inner_text("[data-hg-filter-status]")
    page.go_back()
    page.wait_for_url("**/partners/")
    assert page.locator(".hg-card--partner:visible").count() == 2


def test_share_kit_link_builder(page: Any, mini_url: str) -> None:
    page.goto(mini_url + "partners/acme/share/")
    page.fill("#hg-builder-url", "https://mini.example/articles/cash")
    assert page.inner_text("#hg-builder-out") == (
        "https://mini.example/articles/cash/?ref=acme-ref&utm_source=acme-ref"
        "&utm_medium=referral&utm_campaign=mini-hub"
    )
