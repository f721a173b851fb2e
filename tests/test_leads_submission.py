"""Parsing, validation and routing of form posts: pure functions, checked against the fixture
hub's real hub.json (acme: active, code acme-ref; brightside: active; oldco: retired)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from leadkit import article_post, encode, mini_registry

from hubgen.leads.models import AUTO_KEY_SECONDS, idempotency_keys, new_lead
from hubgen.leads.routing import route
from hubgen.leads.submission import (
    MAX_BODY,
    FormError,
    normalize_page,
    parse_urlencoded,
    validate,
)

REGISTRY = mini_registry()


def submit(**overrides: str):  # type: ignore[no-untyped-def]
    return validate(parse_urlencoded(encode(article_post(**overrides))), REGISTRY)


def errors_of(**overrides: str) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        sub = submit(**overrides)
        route(sub, REGISTRY)
    return caught.value.errors


def test_a_valid_article_post_becomes_a_submission() -> None:
    sub = submit(idempotency_key="key-0123456789", utm_source="acme-ref", last_ref="ACME-REF")
    assert sub.form_id == "article" and sub.page == "articles/cash/"
    assert sub.fields["name"] == "Dana Visitor" and sub.fields["consent"] == "yes"
    assert sub.idempotency_key == "key-0123456789"
    assert sub.last_ref == "acme-ref" and sub.utm == {"utm_source": "acme-ref"}
    assert not sub.spam


def test_limits_name_the_limit() -> None:
    with pytest.raises(FormError) as too_big:
        parse_urlencoded(b"a=" + b"x" * MAX_BODY)
    assert too_big.value.status == 413 and "16 KiB" in too_big.value.errors["_form"]
    with pytest.raises(FormError) as many:
        parse_urlencoded(b"&".join(f"f{n}=1".encode() for n in range(21)))
    assert (
        many.value.status == 400
        and many.value.errors["_form"] == "Too many fields: 21 sent, 20 at most."
    )
    with pytest.raises(FormError) as long_field:
        parse_urlencoded(b"message=" + b"x" * 2049)
    assert "2 KiB (2048 bytes) at most per field" in long_field.value.errors["message"]
    assert "200 characters at most (you wrote 201)" in errors_of(name="n" * 201)["name"]


def test_unknown_and_repeated_fields_are_refused_by_name() -> None:
    with pytest.raises(FormError) as caught:
        validate(
            parse_urlencoded(encode(article_post()) + b"&favourite_colour=red&company=x"), REGISTRY
        )
    assert caught.value.errors == {
        "favourite_colour": "This form has no field called 'favourite_colour'.",
        "company": "This form has no field called 'company'.",  # the fixture hub's forms have none
    }
    with pytest.raises(FormError) as twice:
        validate(parse_urlencoded(encode(article_post()) + b"&name=again"), REGISTRY)
    assert "sent more than once" in twice.value.errors["name"]


def test_required_fields_email_and_consent_are_explained() -> None:
    errors = errors_of(name="", email="not-an-address", consent="", message="  ")
    assert errors == {
        "name": "Please enter your name.",
        "email": "Please enter a valid e-mail address, like name@example.com.",
        "consent": "Please tick the box to agree to be contacted.",
        "message": "Please write your message.",
    }
    assert "consent" in errors_of(consent="no")


@pytest.mark.parametrize("field", ["name", "email", "phone", "first_ref", "utm_source", "page"])
def test_line_breaks_are_refused_outside_the_message(field: str) -> None:
    errors = errors_of(**{field: "evil\r\nBcc: victim@example.com"})
    assert "line breaks" in errors[field]


def test_the_message_keeps_its_line_breaks() -> None:
    assert submit(message="Line one\r\nLine two").fields["message"] == "Line one\nLine two"


def test_unknown_form_and_page_are_refused() -> None:
    assert "Unknown form 'quote'" in errors_of(form_id="quote")["form_id"]
    assert (
        "takes no enquiries from the page 'articles/nope/'"
        in errors_of(page="articles/nope/")["page"]
    )
    # A retired partner's article has no one to answer it.
    assert "No partner" in errors_of(page="articles/leases/")["page"]
    assert errors_of(page="https://evil.example/articles/cash/")["page"]


def test_pages_are_normalized_to_the_hub_spelling() -> None:
    for spelling in ("articles/cash/", "/articles/cash/", "https://mini.example/articles/cash/",
                     "/articles/cash/index.html", "articles/cash/?ref=x#top"):  # fmt: skip
        assert normalize_page(spelling, REGISTRY) == "articles/cash/"
    assert normalize_page("../../etc/passwd", REGISTRY) is None


def test_honeypot_posts_are_spam_without_further_checks() -> None:
    sub = submit(website="http://spam.example", email="junk")
    assert sub.spam
    assert route(sub, REGISTRY).recipients == ()


def test_routing_never_trusts_the_posted_authors() -> None:
    sub = submit(page="articles/hiring-right/", authors="acme")  # the page says otherwise
    routed = route(sub, REGISTRY)
    assert routed.recipients == ("brightside", "acme") and routed.authors == ("brightside", "acme")


def test_partner_and_contact_forms_route_by_page_and_service() -> None:
    partner = validate(
        parse_urlencoded(encode(article_post(form_id="partner", page="partners/brightside/"))),
        REGISTRY,
    )
    assert route(partner, REGISTRY).recipients == ("brightside",)
    assert route(partner, REGISTRY).authors == ()
    contact = article_post(form_id="contact", page="contact/", service="Payroll")
    assert route(validate(parse_urlencoded(encode(contact)), REGISTRY), REGISTRY).recipients == (
        "acme",
        "brightside",
    )
    with pytest.raises(FormError) as caught:
        validate(parse_urlencoded(encode({**contact, "service": "Astrology"})), REGISTRY)
    assert caught.value.errors == {"service": "Please choose one of the services in the list."}
    with pytest.raises(FormError):
        validate(parse_urlencoded(encode({**contact, "service": ""})), REGISTRY)
    with pytest.raises(FormError) as unknown_partner:
        route(
            validate(
                parse_urlencoded(encode(article_post(form_id="partner", page="partners/newco/"))),
                REGISTRY,
            ),
            REGISTRY,
        )
    assert "page" in unknown_partner.value.errors


def test_two_touches_are_one_lead_credited_by_the_model() -> None:
    sub = submit(first_ref="acme-ref", last_ref="brightside")
    last = route(sub, REGISTRY)
    assert (last.first_partner, last.last_partner, last.credited) == (
        "acme",
        "brightside",
        "brightside",
    )
    first = route(sub, mini_registry(model="first"))
    assert first.credited == "acme"


def test_unknown_codes_are_kept_but_never_credited() -> None:
    sub = submit(first_ref="acme-ref", last_ref="made-up")
    routed = route(sub, REGISTRY)
    assert sub.last_ref == "made-up" and routed.last_partner is None
    assert routed.credited == "acme"  # the other touch is a real partner
    assert route(submit(last_ref="made-up"), REGISTRY).credited is None


def test_self_referral_is_flagged_by_email_or_website_domain() -> None:
    assert route(submit(last_ref="acme-ref", email="me@acme.example"), REGISTRY).self_referral
    assert route(submit(last_ref="acme-ref", email="Me@ACME.example"), REGISTRY).self_referral
    assert not route(submit(last_ref="acme-ref"), REGISTRY).self_referral
    assert not route(submit(email="me@acme.example"), REGISTRY).self_referral  # no referrer


def test_outbox_rows_follow_channels_and_referral_notices() -> None:
    sub = submit(last_ref="brightside")
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    lead = new_lead(sub, route(sub, REGISTRY), now, lambda slug: ("email", "webhook"),
                    referral_notices=lambda slug: True)  # fmt: skip
    kinds = sorted((d.kind, d.partner, d.channel) for d in lead.deliveries)
    assert kinds == [("lead", "acme", "email"), ("lead", "acme", "webhook"),
                     ("referral", "brightside", "email"), ("referral", "brightside", "webhook")]  # fmt: skip
    assert all(d.id.startswith(lead.lead.id + ".") for d in lead.deliveries)
    quiet = new_lead(
        sub, route(sub, REGISTRY), now, lambda slug: ("email",), referral_notices=lambda slug: False
    )
    assert [d.kind for d in quiet.deliveries] == ["lead"]
    spam = submit(website="x")
    assert (
        new_lead(
            spam, route(spam, REGISTRY), now, lambda s: ("email",), referral_notices=lambda s: True
        ).deliveries
        == ()
    )


def test_idempotency_keys_without_a_client_key_use_a_short_time_bucket() -> None:
    sub = submit()
    t = datetime(2026, 3, 1, 12, 0, 1, tzinfo=UTC)
    key, previous = idempotency_keys(sub, t)
    assert key.startswith("a:") and previous and previous.startswith("a:")
    _, later_previous = idempotency_keys(
        sub, datetime.fromtimestamp(t.timestamp() + AUTO_KEY_SECONDS, UTC)
    )
    assert later_previous == key  # a retry across the bucket boundary still matches
    assert idempotency_keys(submit(message="Another question"), t)[0] != key
    assert idempotency_keys(submit(idempotency_key="client-key-123"), t) == (
        "c:client-key-123",
        None,
    )
