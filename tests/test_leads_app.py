"""The receiver over HTTP with Starlette's TestClient: every rule of the site ↔ receiver contract.

The app runs on SQLite and on PostgreSQL; assertions read the store directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from leadkit import BACKENDS, ORIGIN, article_post, database, encode, mini_hub_json
from starlette.testclient import TestClient

from hubgen.leads.app import create_app
from hubgen.leads.settings import Settings
from hubgen.leads.store import Store, open_store

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {**FORM, "Accept": "application/json", "Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"}
BROWSER = {
    **FORM,
    "Accept": "text/html,*/*",
    "Origin": ORIGIN,
    "Referer": ORIGIN + "/articles/cash/",
}
TOKEN = "t0ken-with-enough-entropy-123"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


Client = Callable[..., Any]


@pytest.fixture
def client_for(db_url: str) -> Iterator[Callable[..., Any]]:
    @contextmanager
    def make(**settings: Any) -> Iterator[TestClient]:
        peer = settings.pop("peer", "203.0.113.7")
        base = Settings(db=db_url, hub=str(mini_hub_json()), worker=False, rate_limit=1000)
        app = create_app(base.with_overrides(**settings))
        with TestClient(
            app, base_url="http://127.0.0.1:8400", client=(peer, 40000), follow_redirects=False
        ) as client:
            yield client

    yield make


@pytest.fixture
def client(client_for: Callable[..., Any]) -> Iterator[TestClient]:
    with client_for() as c:
        yield c


@pytest.fixture
def store(db_url: str, client: TestClient) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.close()


def post(client: TestClient, headers: dict[str, str] = JSON, **overrides: str) -> Any:
    return client.post("/leads", content=encode(article_post(**overrides)), headers=headers)


# -- success ------------------------------------------------------------------------------------


def test_json_post_is_stored_and_answered_201(client: TestClient, store: Store) -> None:
    response = post(client, idempotency_key="js-key-000001", last_ref="acme-ref")
    assert response.status_code == 201
    body = response.json()
    assert body["ok"] is True
    lead = store.get(body["id"])
    assert lead is not None and lead.status == "new" and lead.recipients == ("acme",)
    assert lead.credited_partner == "acme" and lead.consent_version == "abc123def456"
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_a_retry_with_the_same_key_answers_200_with_the_same_id(
    client: TestClient, store: Store
) -> None:
    first = post(client, idempotency_key="retry-key-0001")
    again = post(client, idempotency_key="retry-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(store.leads()) == 1


def test_a_plain_form_post_redirects_to_the_thank_you_page(
    client: TestClient, store: Store
) -> None:
    response = post(client, BROWSER, utm_source="news")
    assert response.status_code == 303
    assert response.headers["location"] == "https://mini.example/thanks/"
    # A double click (no key without JavaScript) is still one lead.
    assert post(client, BROWSER, utm_source="news").status_code == 303
    [lead] = store.leads()
    assert lead.utm == {"utm_source": "news"}


def test_a_preview_origin_gets_its_own_thank_you_page(client_for: Callable[..., Any]) -> None:
    preview = "http://127.0.0.1:8000"
    with client_for(allowed_origins=(preview,)) as c:
        response = post(c, {**BROWSER, "Origin": preview})
    assert response.headers["location"] == "http://127.0.0.1:8000/thanks/"


def test_contact_and_partner_forms(client: TestClient, store: Store) -> None:
    contact = post(client, form_id="contact", page="contact/", service="Payroll")
    partner = post(client, form_id="partner", page="/partners/brightside/")
    assert contact.status_code == partner.status_code == 201
    assert store.get(contact.json()["id"]).recipients == ("acme", "brightside")  # type: ignore[union-attr]
    assert store.get(partner.json()["id"]).recipients == ("brightside",)  # type: ignore[union-attr]


def test_two_partners_touches_make_one_lead_with_both(
    client_for: Callable[..., Any], db_url: str
) -> None:
    with client_for() as c:
        lead_id = post(
            c, first_ref="acme-ref", last_ref="brightside", idempotency_key="touch-key-001"
        ).json()["id"]
    s = open_store(db_url)
    lead = s.get(lead_id)
    assert lead is not None
    assert (lead.first_ref, lead.last_ref) == ("acme-ref", "brightside")
    assert (lead.first_partner, lead.last_partner, lead.credited_partner) == (
        "acme",
        "brightside",
        "brightside",
    )
    assert len(s.leads()) == 1
    s.close()


def test_unknown_codes_are_stored_not_credited_and_self_referrals_flagged(
    client: TestClient, store: Store
) -> None:
    unknown = post(client, last_ref="nobody", idempotency_key="unknown-key-01").json()["id"]
    own = post(
        client, last_ref="acme-ref", email="owner@acme.example", idempotency_key="self-key-0001"
    ).json()["id"]
    lead = store.get(unknown)
    assert lead is not None and lead.last_ref == "nobody" and lead.credited_partner is None
    assert store.get(own).self_referral  # type: ignore[union-attr]


def test_honeypot_posts_look_accepted_but_are_spam(client: TestClient, store: Store) -> None:
    response = post(client, website="http://cheap-pills.example", idempotency_key="spam-key-0001")
    assert response.status_code == 201 and response.json()["ok"] is True
    lead = store.get(response.json()["id"])
    assert lead is not None and lead.status == "spam"
    assert store.outbox() == []


# -- refusals -----------------------------------------------------------------------------------


def test_validation_errors_as_json(client: TestClient, store: Store) -> None:
    response = post(client, name="", email="nope", extra_field="x")
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "errors": {"extra_field": "This form has no field called 'extra_field'."},
    }
    response = post(client, name="", email="nope")
    assert response.json()["errors"] == {
        "name": "Please enter your name.",
        "email": "Please enter a valid e-mail address, like name@example.com.",
    }
    assert store.leads() == []


def test_validation_errors_as_a_page_that_links_back(client: TestClient) -> None:
    response = post(client, BROWSER, name="", message="x" * 2001)
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(response.text, "html.parser")
    problems = [li.get_text() for li in page.select("ul.errors li")]
    assert problems == [
        "Your name: Please enter your name.",
        "Your message: Your message is too long: 2000 characters at most (you wrote 2001).",
    ]
    assert page.select_one("a")["href"] == ORIGIN + "/articles/cash/"
    hostile = post(client, {**BROWSER, "Referer": "https://evil.example/x"}, name="")
    assert (
        BeautifulSoup(hostile.text, "html.parser").select_one("a")["href"]
        == "https://mini.example/articles/cash/"
    )


def test_unknown_page_or_service_is_400(client: TestClient) -> None:
    assert (
        post(client, page="articles/not-here/")
        .json()["errors"]["page"]
        .startswith("This hub takes no enquiries")
    )
    assert post(client, form_id="contact", page="contact/", service="Tarot").status_code == 400
    assert (
        post(client, form_id="nope").json()["errors"]["form_id"].startswith("Unknown form 'nope'")
    )


def test_size_limits(client: TestClient) -> None:
    huge = client.post("/leads", content=b"message=" + b"x" * 17000, headers=JSON)
    assert huge.status_code == 413
    assert huge.json()["errors"]["_form"] == "The form is too large: 16 KiB at most."

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b"x" * 1000

    streamed = client.post("/leads", content=chunks(), headers=JSON)
    assert streamed.status_code == 413
    many = "&".join(f"f{n}=1" for n in range(21))
    assert (
        client.post("/leads", content=many, headers=JSON).json()["errors"]["_form"]
        == "Too many fields: 21 sent, 20 at most."
    )
    long_value = post(client, phone="1" * 2100)
    assert long_value.status_code == 400
    assert "2 KiB (2048 bytes) at most per field" in long_value.json()["errors"]["phone"]
    wrong_type = client.post(
        "/leads", content=b"{}", headers={**JSON, "Content-Type": "application/json"}
    )
    assert wrong_type.status_code == 415


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Origin": ORIGIN}, True),
        ({"Origin": "https://evil.example"}, False),
        ({"Origin": "null"}, False),
        ({"Origin": "http://mini.example"}, False),  # another scheme is another origin
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, True),
        ({}, True),  # not a browser: curl, a partner's server
    ],
)
def test_origin_policy(client: TestClient, headers: dict[str, str], allowed: bool) -> None:
    response = post(client, {**FORM, "Accept": "application/json", **headers})
    assert response.status_code == (201 if allowed else 403)
    if not allowed:
        assert (
            response.json()["errors"]["_form"]
            == "Enquiries can only be sent from https://mini.example/."
        )


def test_cors_preflight_only_for_the_hubs_origin(client: TestClient) -> None:
    ask = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    ok = client.options("/leads", headers={**ask, "Origin": ORIGIN})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
    refused = client.options("/leads", headers={**ask, "Origin": "https://evil.example"})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


def test_rate_limit_answers_429_with_retry_after(client_for: Callable[..., Any]) -> None:
    with client_for(rate_limit=3, rate_period=60.0) as c:
        codes = [post(c, idempotency_key=f"rate-key-{n:04}").status_code for n in range(4)]
        assert codes == [201, 201, 201, 429]
        limited = post(c, idempotency_key="rate-key-9999")
        assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 20
        assert "try again in" in limited.json()["errors"]["_form"]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    client_for: Callable[..., Any],
) -> None:
    def burst(c: TestClient, addresses: list[str]) -> list[int]:
        return [post(c, {**JSON, "X-Forwarded-For": f"{a}, 127.0.0.1"}, idempotency_key=uuid.uuid4().hex).status_code
                for a in addresses]  # fmt: skip

    visitors = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    with client_for(rate_limit=1, peer="127.0.0.1", trusted_proxies=("127.0.0.1",)) as behind_proxy:
        assert burst(behind_proxy, visitors) == [201, 201, 201]  # three visitors, one each
    with client_for(rate_limit=1, peer="127.0.0.1") as direct:
        assert burst(direct, visitors) == [201, 429, 429]  # the header is ignored: one address


def test_leads_are_not_served_without_an_admin_token(client_for: Callable[..., Any]) -> None:
    with client_for() as c:
        post(c)
        assert c.get("/leads").status_code == 404
    with client_for(admin_token=TOKEN) as c:
        assert c.get("/leads").status_code == 401
        assert (
            c.get("/leads", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code
            == 401
        )
        response = c.get("/leads", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
        [lead] = response.json()["leads"]
        assert lead["fields"]["email"] == "dana@visitor.example" and lead["recipients"] == ["acme"]


def test_short_admin_tokens_are_refused(db_url: str) -> None:
    from hubgen.leads.settings import SettingsError

    with pytest.raises(SettingsError, match="16 characters at least"):
        create_app(Settings(db=db_url, hub=str(mini_hub_json()), admin_token="short"))


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"ok": True}
