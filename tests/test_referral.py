from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hubgen.core.referral import ReferralSettings, tracked_url


def test_tracked_url_carries_ref_and_utm_on_a_canonical_url() -> None:
    url = tracked_url(
        "https://hub.example/",
        "articles/tax",
        "acme",
        ReferralSettings(),
        "mini-hub",
        content="tax",
    )
    parts = urlsplit(url)
    assert parts.path == "/articles/tax/"
    assert parse_qsl(parts.query) == [
        ("ref", "acme"),
        ("utm_source", "acme"),
        ("utm_medium", "referral"),
        ("utm_campaign", "mini-hub"),
        ("utm_content", "tax"),
    ]


def test_parameter_names_and_values_are_configurable() -> None:
    settings = ReferralSettings(
        param="via", utm_source="hub-{code}", utm_medium="partner", utm_campaign="spring"
    )
    url = tracked_url("https://hub.example/sub/", "", "ll", settings, "x")
    assert (
        url
        == "https://hub.example/sub/?via=ll&utm_source=hub-ll&utm_medium=partner&utm_campaign=spring"
    )


def test_utm_can_be_turned_off() -> None:
    url = tracked_url(
        "https://hub.example", "partners/acme/", "acme", ReferralSettings(utm=False), "h"
    )
    assert url == "https://hub.example/partners/acme/?ref=acme"


def test_codes_with_unsafe_characters_are_escaped() -> None:
    url = tracked_url("https://hub.example/", "", "a&b c", ReferralSettings(utm=False), "h")
    assert url == "https://hub.example/?ref=a%26b+c"
