"""Lead outcomes: signed one-click links, the CRM endpoint, the CLI, thanks to the referrer,
retention and erasure, and the upgrade of a version 1 database; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from leadkit import (
    BACKENDS,
    ReceiverProcess,
    SmtpSink,
    WebhookSink,
    article_post,
    database,
    encode,
    free_port,
    mini_hub_json,
    mini_manifest,
    mini_registry,
)
from starlette.testclient import TestClient
from webhookguide import documented_verify

from hubgen.cli import main
from hubgen.leads import store as store_module
from hubgen.leads import store_schema
from hubgen.leads.app import create_app
from hubgen.leads.deliveryconfig import Destinations, parse_delivery_config
from hubgen.leads.models import NewLead, Outcome, OutcomeSource, OutcomeStatus, new_lead
from hubgen.leads.outcomes import OutcomeError, new_outcome, parse_value, thanks_deliveries
from hubgen.leads.registry import Registry, parse_registry
from hubgen.leads.routing import route
from hubgen.leads.settings import Settings, SettingsError, SmtpSettings, from_env
from hubgen.leads.store import Store, open_store
from hubgen.leads.submission import parse_urlencoded, validate
from hubgen.leads.tokens import LinkSigner, TokenError, TokenProblem, make_token, read_token
from hubgen.leads.worker import Worker

REGISTRY = mini_registry()
SECRET = "outcome-secret-0123456789"
PUBLIC = "https://leads.mini.example"
ADMIN = "admin-token-with-entropy-123"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Origin": PUBLIC}
SIGNER = LinkSigner(SECRET, PUBLIC, timedelta(days=60))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


def destinations(**brightside: Any) -> Destinations:
    partners = {"brightside": {"email": "leads@brightside.example", **brightside}}
    config = parse_delivery_config({"partners": partners}, REGISTRY)
    return Destinations(config, REGISTRY, email_enabled=True)


def make(dest: Destinations | None = None, **overrides: str) -> NewLead:
    """A lead to Acme, credited to Brightside (who did not receive it) by default."""
    dest = dest or destinations()
    overrides.setdefault("last_ref", "brightside")
    sub = validate(parse_urlencoded(encode(article_post(**overrides))), REGISTRY)
    return new_lead(sub, route(sub, REGISTRY), START, dest.channels,
                    referral_notices=dest.referral_notices)  # fmt: skip


def seed(db_url: str, *items: NewLead) -> list[str]:
    store = open_store(db_url)
    try:
        return [saved.id for saved in store.save(list(items))]
    finally:
        store.close()


def outcomes_of(db_url: str, lead_id: str) -> list[Outcome]:
    store = open_store(db_url)
    try:
        return store.outcomes(lead_id)
    finally:
        store.close()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def app_client(
    db_url: str, clock: Clock, registry: Registry | None = None, **settings: Any
) -> Iterator[TestClient]:
    options: dict[str, Any] = {"outcome_secret": SECRET, "public_url": PUBLIC,
                               "admin_token": ADMIN, **settings}  # fmt: skip
    base = Settings(db=db_url, hub=str(mini_hub_json()), worker=False, rate_limit=1000)
    app = create_app(base.with_overrides(**options), registry=registry, clock=clock)
    with TestClient(app, base_url="http://127.0.0.1:8400", follow_redirects=False) as client:
        yield client


def token_for(lead_id: str, partner: str = "acme", at: datetime = START) -> str:
    return SIGNER.token(lead_id, partner, at)[0]


def link_path(token: str, status: str = "won") -> str:
    return "/leads/outcome?" + urlencode({"token": token, "status": status})


def post_outcome(
    client: TestClient, token: str, status: str, value: str = "", **headers: str
) -> Any:
    body = urlencode({"token": token, "status": status, "value": value})
    return client.post("/leads/outcome", content=body, headers={**FORM, **headers})


# -- tokens (pure) ------------------------------------------------------------------------------


def test_tokens_are_signed_expiring_and_bound_to_lead_and_partner() -> None:
    token = make_token(SECRET, "lead1", "acme", START + timedelta(days=1))
    claim = read_token(SECRET, token, START)
    assert (claim.lead_id, claim.partner) == ("lead1", "acme")
    with pytest.raises(TokenError) as expired:
        read_token(SECRET, token, START + timedelta(days=1))
    assert expired.value.problem is TokenProblem.EXPIRED
    with pytest.raises(TokenError) as wrong_secret:
        read_token("another-secret-0123456789", token, START)
    assert wrong_secret.value.problem is TokenProblem.FORGED
    # Another lead's payload under this signature is a forgery, not a claim on that lead.
    other = make_token(SECRET, "lead2", "acme", START + timedelta(days=1))
    spliced = other.split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(TokenError) as forged:
        read_token(SECRET, spliced, START)
    assert forged.value.problem is TokenProblem.FORGED
    for bad in ("", "abc", "a.b.c", "!!!.???", "x" * 700 + ".y"):
        with pytest.raises(TokenError):
            read_token(SECRET, bad, START)


def test_values_and_statuses_are_checked() -> None:
    assert parse_value("1200.00", OutcomeStatus.WON) == Decimal("1200")
    assert parse_value(" 99.5 ", OutcomeStatus.WON) == Decimal("99.5")
    assert parse_value("", OutcomeStatus.WON) is None
    for bad in ("1,200", "$1200", "-5", "1e20", "NaN", "1.234"):
        with pytest.raises(OutcomeError, match="value"):
            parse_value(bad, OutcomeStatus.WON)
    with pytest.raises(OutcomeError, match="Only a won lead has a value"):
        parse_value("10", OutcomeStatus.CONTACTED)
    lead = make().lead
    with pytest.raises(OutcomeError, match="Expected one of accepted, contacted, won, not_a_fit"):
        new_outcome(lead, "acme", "lost", None, OutcomeSource.CLI, START)
    with pytest.raises(OutcomeError, match="brightside did not receive lead"):
        new_outcome(lead, "brightside", "won", None, OutcomeSource.CLI, START)
    assert new_outcome(lead, "acme", "Not-A-Fit", None, OutcomeSource.CLI, START).status is (
        OutcomeStatus.NOT_A_FIT
    )


def test_settings_for_links() -> None:
    env = {"HUBGEN_LEADS_OUTCOME_SECRET": SECRET, "HUBGEN_LEADS_PUBLIC_URL": PUBLIC + "/",
           "HUBGEN_LEADS_OUTCOME_LINK_DAYS": "30"}  # fmt: skip
    settings = from_env(env).validate()
    assert (settings.outcome_secret, settings.public_url, settings.outcome_link_days) == (
        SECRET, PUBLIC, 30,
    )  # fmt: skip
    with pytest.raises(SettingsError, match="needs HUBGEN_LEADS_PUBLIC_URL"):
        from_env({"HUBGEN_LEADS_OUTCOME_SECRET": SECRET}).validate()
    with pytest.raises(SettingsError, match="OUTCOME_SECRET is too short"):
        Settings(outcome_secret="short", public_url=PUBLIC).validate()
    with pytest.raises(SettingsError, match="Expected an http\\(s\\) base URL"):
        Settings(public_url="leads.example").validate()
    with pytest.raises(SettingsError, match="not a whole number of days"):
        from_env({"HUBGEN_LEADS_OUTCOME_LINK_DAYS": "sixty"})


# -- the link pages -----------------------------------------------------------------------------


def test_get_shows_a_confirmation_form_and_records_nothing(db_url: str) -> None:
    [lead_id] = seed(db_url, make())
    with app_client(db_url, Clock(START + timedelta(hours=1))) as client:
        token = token_for(lead_id)
        for _ in range(3):  # a mail system's link scanner fetching the link, repeatedly
            page = client.get(link_path(token, "won"))
            assert page.status_code == 200
        head = client.head(link_path(token, "won"))
        assert head.status_code in (200, 405)
    assert outcomes_of(db_url, lead_id) == []
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "same-origin"
    soup = BeautifulSoup(page.text, "html.parser")
    form = soup.find("form")
    assert form is not None and form["method"] == "post" and form["action"] == "outcome"
    assert soup.find("input", attrs={"name": "token"})["value"] == token  # type: ignore[index]
    buttons = {b["value"]: b for b in soup.find_all("button")}
    # Won first: Enter in the value field submits the first button (see the browser test).
    assert list(buttons) == ["won", "accepted", "contacted", "not_a_fit"]
    assert "chosen" in buttons["won"].get("class", [])
    assert "chosen" not in buttons["accepted"].get("class", [])
    assert "Acme Accounting" in soup.text and lead_id in soup.text
    assert "Dana" not in page.text and "cash flow" not in page.text  # no client details
    assert not soup.find("script") and not soup.find(src=True)


def test_post_records_an_event_and_a_double_click_records_it_once(db_url: str) -> None:
    [lead_id] = seed(db_url, make())
    clock = Clock(START + timedelta(days=1))
    with app_client(db_url, clock) as client:
        token = token_for(lead_id)
        first = post_outcome(client, token, "accepted")
        assert first.status_code == 200 and "Recorded" in first.text
        again = post_outcome(client, token, "accepted")
        assert again.status_code == 200 and "already recorded" in again.text
        clock.now += timedelta(days=3)
        won = post_outcome(client, token, "won", "1200")
        assert won.status_code == 200 and "1200" in won.text
        page = client.get(link_path(token))
        assert "Won (recorded" in BeautifulSoup(page.text, "html.parser").text
    events = outcomes_of(db_url, lead_id)
    assert [(o.status, o.value, o.source, o.partner) for o in events] == [
        (OutcomeStatus.ACCEPTED, None, OutcomeSource.LINK, "acme"),
        (OutcomeStatus.WON, Decimal("1200"), OutcomeSource.LINK, "acme"),
    ]
    assert events[0].at == START + timedelta(days=1) and events[1].at == clock.now


def test_bad_tokens_are_refused_with_a_page_and_record_nothing(db_url: str) -> None:
    [lead_id, other_id] = seed(db_url, make(), make(idempotency_key="second-lead-01"))
    clock = Clock(START + timedelta(days=1))
    with app_client(db_url, clock) as client:
        good = token_for(lead_id)
        forged = make_token("not-the-receiver-secret-0", lead_id, "acme", START + timedelta(days=9))
        spliced = token_for(other_id).split(".")[0] + "." + good.split(".")[1]
        wrong_partner = token_for(lead_id, "brightside")  # genuine, but Brightside got no lead
        cases = {
            forged: (403, "not valid"),
            spliced: (403, "not valid"),
            good[:-4]: (403, "not valid"),  # cut short yet decodable: a wrong signature
            good[:-6]: (400, "incomplete"),
            "garbage": (400, "incomplete"),
            wrong_partner: (403, "did not receive this lead"),
        }
        for token, (status, words) in cases.items():
            for response in (client.get(link_path(token)), post_outcome(client, token, "won")):
                assert response.status_code == status, (token, response.text)
                assert words in response.text and "Nothing was recorded" in response.text
        # A real click today, replayed after the link expired (60 days), is refused.
        assert post_outcome(client, good, "contacted").status_code == 200
        clock.now = START + timedelta(days=60, seconds=1)
        for response in (client.get(link_path(good)), post_outcome(client, good, "won")):
            assert response.status_code == 410 and "expired" in response.text
        # A post from another site (a page that embeds the form) is refused before the token.
        clock.now = START + timedelta(days=2)
        evil = post_outcome(client, good, "won", Origin="https://evil.example")
        assert evil.status_code == 403
        cross = post_outcome(client, good, "won", Origin="", **{"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403
    assert [o.status for o in outcomes_of(db_url, lead_id)] == [OutcomeStatus.CONTACTED]
    assert outcomes_of(db_url, other_id) == []


def test_oversized_and_mistyped_posts_record_nothing(db_url: str) -> None:
    [lead_id] = seed(db_url, make())
    with app_client(db_url, Clock(START)) as client:
        token = token_for(lead_id)
        padded = urlencode({"token": token, "status": "won", "pad": "x" * 5000})
        assert client.post("/leads/outcome", content=padded, headers=FORM).status_code == 413
        as_json = json.dumps({"token": token, "status": "won"})
        typed = client.post("/leads/outcome", content=as_json,
                            headers={**FORM, "Content-Type": "application/json"})  # fmt: skip
        assert typed.status_code == 415
        bearer = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}
        big = client.post(f"/leads/{lead_id}/outcomes", headers=bearer,
                          content=json.dumps({"partner": "acme", "status": "won",
                                              "note": "x" * 5000}))  # fmt: skip
        assert big.status_code == 413
        assert post_outcome(client, token, "won", "12 000").status_code == 400
    assert outcomes_of(db_url, lead_id) == []


def test_links_are_off_without_a_secret(db_url: str) -> None:
    [lead_id] = seed(db_url, make())
    with app_client(db_url, Clock(START), outcome_secret="", public_url="") as client:
        assert client.get(link_path(token_for(lead_id))).status_code == 404
        assert post_outcome(client, token_for(lead_id), "won").status_code == 404
    assert outcomes_of(db_url, lead_id) == []


def test_hostile_names_are_escaped_on_the_confirmation_page(db_url: str) -> None:
    data = mini_manifest()
    for partner in data["partners"]:
        if partner["slug"] == "acme":
            partner["name"] = '<script>alert(1)</script> & "Acme"'
    hostile = parse_registry(data)
    [lead_id] = seed(db_url, make())
    with app_client(db_url, Clock(START), registry=hostile) as client:
        page = client.get(link_path(token_for(lead_id), '"><script>alert(2)</script>'))
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Acme&quot;" in page.text
    soup = BeautifulSoup(page.text, "html.parser")
    assert not soup.find("script")
    assert '<script>alert(1)</script> & "Acme"' in soup.text  # shown once, as text


# -- the CRM endpoint ---------------------------------------------------------------------------


def test_crm_endpoint_needs_the_admin_token_and_records(db_url: str) -> None:
    [lead_id] = seed(db_url, make())
    url = f"/leads/{lead_id}/outcomes"
    bearer = {"Authorization": f"Bearer {ADMIN}"}
    with app_client(db_url, Clock(START), admin_token="") as client:
        assert client.get(url).status_code == 404  # no token configured: the route looks absent
    with app_client(db_url, Clock(START + timedelta(days=2))) as client:
        assert client.get(url).status_code == 401
        wrong = client.post(url, json={"partner": "acme", "status": "won"},
                            headers={"Authorization": "Bearer not-the-admin-token-000"})  # fmt: skip
        assert wrong.status_code == 401
        assert client.get(url, headers=bearer).json() == {
            "ok": True, "lead_id": lead_id, "state": None, "outcomes": []
        }  # fmt: skip
        made = client.post(url, json={"partner": "acme", "status": "won", "value": 1200.5},
                           headers=bearer)  # fmt: skip
        assert made.status_code == 201, made.text
        assert made.json()["outcome"]["value"] == "1200.5"
        assert made.json()["thanked"] is False  # no SMTP here: Brightside has nowhere to be told
        same = client.post(url, json={"partner": "acme", "status": "won", "value": "1200.50"},
                           headers=bearer)  # fmt: skip
        assert same.status_code == 200 and same.json()["recorded"] is False
        bad = {
            "lead": client.post(f"/leads/{'0' * 32}/outcomes", json={"partner": "acme",
                                "status": "won"}, headers=bearer).status_code,
            "status": client.post(url, json={"partner": "acme", "status": "lost"},
                                  headers=bearer).status_code,
            "partner": client.post(url, json={"partner": "brightside", "status": "won"},
                                   headers=bearer).status_code,
            "shape": client.post(url, json=["won"], headers=bearer).status_code,
            "type": client.post(url, content=b"partner=acme", headers={
                **bearer, "Content-Type": "application/x-www-form-urlencoded"}).status_code,
        }  # fmt: skip
        assert bad == {"lead": 404, "status": 400, "partner": 403, "shape": 400, "type": 415}
        listed = client.get(url, headers=bearer).json()
    assert listed["state"]["status"] == "won" and listed["state"]["source"] == "api"
    assert [o["status"] for o in listed["outcomes"]] == ["won"]
    assert len(outcomes_of(db_url, lead_id)) == 1


# -- deliveries carry links; the first won thanks the referrer ----------------------------------


def worker(store: Store, dest: Destinations, smtp: SmtpSink, clock: Clock) -> Worker:
    from hubgen.leads.delivery import Sender

    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, security="none",
                            sender="Mini Hub <leads@mini.example>", timeout=5)  # fmt: skip
    sender = Sender(REGISTRY, dest, settings, webhook_timeout=5, links=SIGNER)
    return Worker(store, sender, retry_base=0.2, clock=clock)


def test_deliveries_carry_working_links_and_won_thanks_the_referrer_once(
    db_url: str, tmp_path: Path
) -> None:
    dest = destinations()
    delivery = tmp_path / "delivery.toml"
    delivery.write_text('[partners.brightside]\nemail = "leads@brightside.example"\n')
    [lead_id] = seed(db_url, make(dest, message="Private: our cash flow"))
    clock = Clock(START + timedelta(minutes=1))
    with SmtpSink() as smtp:
        store = open_store(db_url)
        assert worker(store, dest, smtp, clock).run_once().delivered == 2  # lead + referral
        to_acme = next(m for rcpts, m in smtp.messages if rcpts == ["hello@acme.example"])
        text = to_acme.get_content()
        assert "Tell the network what happened" in text
        links = dict(re.findall(r"^(Accepted|Contacted|Won|Not a fit): (\S+)\r?$", text, re.M))
        assert list(links) == ["Accepted", "Contacted", "Won", "Not a fit"]
        assert all(url.startswith(PUBLIC + "/leads/outcome?token=") for url in links.values())
        notice = next(m for rcpts, m in smtp.messages if rcpts == ["leads@brightside.example"])
        assert "/leads/outcome" not in notice.get_content()  # the referrer cannot report
        # The e-mailed link works on the receiver: the page, then the partner's click.
        won = urlsplit(links["Won"])
        token = parse_qs(won.query)["token"][0]
        app_smtp = SmtpSettings(host="127.0.0.1", port=smtp.port, security="none",
                                sender="Mini Hub <leads@mini.example>")  # fmt: skip
        with app_client(
            db_url, Clock(START + timedelta(days=5)), smtp=app_smtp, delivery_file=delivery
        ) as client:
            assert client.get(f"{won.path}?{won.query}").status_code == 200
            assert post_outcome(client, token, "won", "2500").status_code == 200
            # Marked won again (another value, then via the CRM): thanked only once.
            assert post_outcome(client, token, "won", "2600").status_code == 200
            crm = client.post(f"/leads/{lead_id}/outcomes", json={"partner": "acme",
                              "status": "contacted"}, headers={"Authorization": f"Bearer {ADMIN}"})  # fmt: skip
            assert crm.status_code == 201
        assert main(["leads", "outcome", lead_id, "--partner", "acme", "--status", "won",
                     "--db", db_url, "--hub", str(mini_hub_json())]) == 0  # fmt: skip
        thanks_rows = [row for row in store.outbox(lead_id) if row["partner"] == "brightside"
                       and ".thanks." in row["id"]]  # fmt: skip
        assert len(thanks_rows) == 1
        smtp.messages.clear()
        clock.now = START + timedelta(days=6)  # the thanks is due from the won
        assert worker(store, dest, smtp, clock).run_once().delivered == 1
        assert worker(store, dest, smtp, clock).run_once().delivered == 0
        [(rcpts, thanks)] = smtp.messages
        store.close()
    assert rcpts == ["leads@brightside.example"]
    assert thanks["Subject"] == "Your referral became a client (Mini Hub)"
    body = thanks.get_content()
    assert "Your referral became a client of Acme Accounting." in body
    for private in ("Dana", "dana@visitor.example", "cash flow", "2500", "2600", "articles/cash"):
        assert private not in body and private not in str(thanks["Subject"])
    assert thanks["Reply-To"] is None


def test_the_webhook_gets_outcome_links_and_a_thanks_without_details(db_url: str) -> None:
    from hubgen.leads.delivery import Sender

    with WebhookSink() as hook:
        partners = {"acme": {"webhook": hook.url, "webhook_secret": "hook-secret-0123456789"},
                    "brightside": {"webhook": hook.url,
                                   "webhook_secret": "hook-secret-0123456789"}}  # fmt: skip
        dest = Destinations(parse_delivery_config({"partners": partners}, REGISTRY), REGISTRY,
                            email_enabled=False)  # fmt: skip
        [lead_id] = seed(db_url, make(dest))
        store = open_store(db_url)
        sender = Sender(REGISTRY, dest, None, webhook_timeout=5, links=SIGNER)
        clock = Clock(START + timedelta(minutes=1))
        assert Worker(store, sender, clock=clock).run_once().delivered == 2
        lead = store.get(lead_id)
        assert lead is not None
        outcome = new_outcome(lead, "acme", "won", "10", OutcomeSource.API, clock.now)
        assert store.record_outcome(outcome, thanks_deliveries(lead, dest)).thanked
        assert Worker(store, sender, clock=clock).run_once().delivered == 1
        store.close()
        bodies = {}
        verify = documented_verify(clock=lambda: clock.now.timestamp())  # signed on the fake clock
        for request in hook.accepted():
            assert verify(b"hook-secret-0123456789", request["headers"], request["body"])
            payload = json.loads(request["body"])
            bodies[payload["type"]] = payload
    links = bodies["lead"]["outcome_links"]
    assert list(links) == ["accepted", "contacted", "won", "not_a_fit"]
    token = parse_qs(urlsplit(links["won"]).query)["token"][0]
    claim = read_token(SECRET, token, START + timedelta(days=59))
    assert (claim.lead_id, claim.partner) == (lead_id, "acme")
    assert bodies["lead"]["outcome_links_expire_at"] == claim.expires.isoformat()
    assert "outcome_links" not in bodies["referral"]
    thanks = bodies["thanks"]
    assert thanks["outcome"] == {"status": "won", "partner": "acme"}
    assert "fields" not in thanks["lead"] and "value" not in json.dumps(thanks["outcome"])
    assert "dana" not in json.dumps(thanks).lower()


def test_no_thanks_when_the_referrer_turned_notices_off_or_received_the_lead(db_url: str) -> None:
    quiet = destinations(referral_notices=False)
    [lead_id, own_id] = seed(
        db_url, make(quiet), make(quiet, last_ref="acme-ref", idempotency_key="own-referral-1")
    )
    store = open_store(db_url)
    try:
        lead = store.get(lead_id)
        assert lead is not None and lead.credited_partner == "brightside"
        assert thanks_deliveries(lead, quiet) == ()
        outcome = new_outcome(lead, "acme", "won", None, OutcomeSource.CLI, START)
        recorded = store.record_outcome(outcome, thanks_deliveries(lead, quiet))
        assert recorded.recorded and not recorded.thanked
        own = store.get(own_id)
        assert own is not None and thanks_deliveries(own, destinations()) == ()
        assert not [row for row in store.outbox() if ".thanks." in row["id"]]
    finally:
        store.close()


def test_concurrent_wons_thank_once(db_url: str) -> None:
    """Several receivers (or a receiver and the CLI) marking one lead won at the same moment."""
    dest = destinations()
    [lead_id] = seed(db_url, make(dest))
    stores = [open_store(db_url) for _ in range(4)]
    lead = stores[0].get(lead_id)
    assert lead is not None
    thanks = thanks_deliveries(lead, dest)
    assert [d.partner for d in thanks] == ["brightside"]
    barrier = threading.Barrier(len(stores))
    results: list[Any] = []

    def mark(store: Store, value: int) -> None:
        outcome = new_outcome(lead, "acme", "won", str(value), OutcomeSource.API, START)
        barrier.wait()
        results.append(store.record_outcome(outcome, thanks))

    threads = [threading.Thread(target=mark, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(r.thanked for r in results) == [False, False, False, True]
        assert len(stores[0].outcomes(lead_id)) == 4
        assert len([r for r in stores[0].outbox(lead_id) if ".thanks." in r["id"]]) == 1
    finally:
        for store in stores:
            store.close()


# -- the CLI ------------------------------------------------------------------------------------


def test_cli_records_outcomes_and_refuses_bad_ones(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    [lead_id] = seed(db_url, make())
    hub = str(mini_hub_json())

    def run(*args: str) -> int:
        return main(["leads", "outcome", *args, "--db", db_url, "--hub", hub])

    assert run(lead_id, "--partner", "acme", "--status", "won", "--value", "1200") == 0
    out = capsys.readouterr().out
    assert f"lead {lead_id}: recorded won (1200) by acme" in out
    assert "queued a thanks to brightside" not in out  # no e-mail set up: nowhere to send it
    assert run(lead_id, "--partner", "acme", "--status", "won", "--value", "1200.00") == 0
    assert "already recorded" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad_status:
        run(lead_id, "--partner", "acme", "--status", "lost")
    assert bad_status.value.code == 2
    assert "Expected one of accepted, contacted, won, not_a_fit" in capsys.readouterr().err
    usage = {
        "value": run(lead_id, "--partner", "acme", "--status", "contacted", "--value", "5"),
        "partner": run(lead_id, "--partner", "brightside", "--status", "won"),
        "lead": run("0" * 32, "--partner", "acme", "--status", "won"),
    }
    assert usage == {"value": 2, "partner": 2, "lead": 2}
    err = capsys.readouterr().err
    assert "Only a won lead has a value" in err and "brightside did not receive lead" in err
    assert f"no lead {'0' * 32} in the database" in err and db_url not in err
    events = outcomes_of(db_url, lead_id)
    assert [(o.status, o.value, o.source) for o in events] == [
        (OutcomeStatus.WON, Decimal("1200"), OutcomeSource.CLI)
    ]


def test_cli_queues_the_thanks_when_the_referrer_takes_deliveries(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    [lead_id] = seed(db_url, make())
    delivery = tmp_path / "delivery.toml"
    delivery.write_text('[partners.brightside]\nemail = "leads@brightside.example"\n')
    monkeypatch.setenv("HUBGEN_LEADS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HUBGEN_LEADS_SMTP_FROM", "Mini Hub <leads@mini.example>")
    code = main(["leads", "outcome", lead_id, "--partner", "acme", "--status", "won", "--db",
                 db_url, "--hub", str(mini_hub_json()), "--delivery", str(delivery)])  # fmt: skip
    assert code == 0
    assert "queued a thanks to brightside" in capsys.readouterr().out
    store = open_store(db_url)
    try:
        thanks = [row for row in store.outbox(lead_id) if ".thanks." in row["id"]]
    finally:
        store.close()
    assert [(r["partner"], r["channel"], r["status"]) for r in thanks] == [
        ("brightside", "email", "pending")
    ]


# -- retention and erasure ----------------------------------------------------------------------


def count_outcomes(db_url: str) -> int:
    store: Any = open_store(db_url)
    try:
        with store._transaction() as tx:
            row = store._run(tx, "SELECT COUNT(*) FROM hubgen_outcomes").fetchone()
        return int(row[0])
    finally:
        store.close()


def test_purge_and_erase_remove_outcomes(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    old = make(idempotency_key="old-lead-0001", email="old@visitor.example")
    new = make(idempotency_key="new-lead-0001")
    kept = make(idempotency_key="kept-lead-001", email="kept@visitor.example")
    old_lead = old.lead.__class__(
        **{**old.lead.__dict__, "created_at": START - timedelta(days=400)}
    )
    old = NewLead(old_lead, old.idempotency_key, None, old.deliveries)
    ids = seed(db_url, old, new, kept)
    store = open_store(db_url)
    try:
        for lead_id in ids:
            lead = store.get(lead_id)
            assert lead is not None
            outcome = new_outcome(lead, "acme", "won", "5", OutcomeSource.CLI, START)
            store.record_outcome(outcome, thanks_deliveries(lead, destinations()))
    finally:
        store.close()
    assert count_outcomes(db_url) == 3
    assert main(["leads", "purge", "--older-than", "365", "--db", db_url]) == 0
    assert count_outcomes(db_url) == 2 and outcomes_of(db_url, ids[0]) == []
    assert main(["leads", "erase", "--email", "dana@visitor.example", "--db", db_url]) == 0
    assert count_outcomes(db_url) == 1 and outcomes_of(db_url, ids[1]) == []
    assert [o.lead_id for o in outcomes_of(db_url, ids[2])] == [ids[2]]
    capsys.readouterr()


# -- migration ----------------------------------------------------------------------------------


def test_a_version_1_database_is_upgraded_in_place(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database written by the previous hubgen (schema 1, no outcomes table) keeps its leads
    and takes outcomes after the upgrade; opening it again changes nothing."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    with monkeypatch.context() as v1:  # hubgen as it was: schema 1, no migrations
        v1.setattr(store_schema, "SCHEMA_VERSION", 1)
        v1.setattr(store_schema, "MIGRATIONS", {})
        [lead_id] = seed(db_url, make())
        assert "hubgen_outcomes" not in tables(db_url, backend)[0]
    for _ in range(2):  # the upgrade, then an open that finds nothing to do
        names, version = tables(db_url, backend)
        assert "hubgen_outcomes" in names and version == "2"
    store = open_store(db_url)
    try:
        stored = store.get(lead_id)
        assert stored is not None and stored.fields["name"] == "Dana Visitor"
        outcome = new_outcome(stored, "acme", "contacted", None, OutcomeSource.CLI, START)
        assert store.record_outcome(outcome).recorded
        assert [o.status for o in store.outcomes(lead_id)] == [OutcomeStatus.CONTACTED]
    finally:
        store.close()


def tables(db_url: str, backend: str) -> tuple[set[str], str]:
    """The database's tables and recorded schema version, after opening it."""
    query = ("SELECT name FROM sqlite_master WHERE type = 'table'" if backend == "sqlite"
             else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")  # fmt: skip
    store: Any = open_store(db_url)
    try:
        with store._transaction() as tx:
            names = {row[0] for row in store._run(tx, query).fetchall()}
            version = store._run(tx, "SELECT value FROM hubgen_meta WHERE key = 'schema'")
            return names, str(version.fetchone()[0])
    finally:
        store.close()


def test_a_newer_database_is_refused(db_url: str) -> None:
    store: Any = open_store(db_url)
    with store._transaction() as tx:
        store._run(tx, "UPDATE hubgen_meta SET value = '99' WHERE key = 'schema'")
    store.close()
    with pytest.raises(store_module.StoreError, match="schema version 99, newer"):
        open_store(db_url)


# -- a real receiver over loopback --------------------------------------------------------------


def test_links_over_a_real_receiver(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    [lead_id] = seed(db_url, make())
    monkeypatch.setenv("HUBGEN_LEADS_OUTCOME_SECRET", SECRET)
    monkeypatch.setenv("HUBGEN_LEADS_PUBLIC_URL", PUBLIC)
    receiver = ReceiverProcess(db_url, mini_hub_json(), None, "--no-worker")
    receiver.start()
    try:
        assert f"outcome links point at {PUBLIC}/leads/outcome" in receiver.output()
        token = SIGNER.token(lead_id, "acme", datetime.now(UTC))[0]

        def fetch(path: str, data: bytes | None = None, **headers: str) -> tuple[int, str]:
            request = urllib.request.Request(receiver.url + path, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()

        status, page = fetch(link_path(token, "won"))
        assert status == 200 and 'value="won"' in page
        assert outcomes_of(db_url, lead_id) == []
        body = urlencode({"token": token, "status": "won", "value": "300"}).encode()
        status, done = fetch("/leads/outcome", body, **FORM)
        assert status == 200 and "Recorded" in done
        status, _ = fetch("/leads/outcome", body.replace(b"token=", b"token=x"), **FORM)
        assert status in (400, 403)
    finally:
        receiver.stop()
    assert [(o.status, o.value) for o in outcomes_of(db_url, lead_id)] == [
        (OutcomeStatus.WON, Decimal("300"))
    ]


def test_a_partner_in_a_real_browser_confirms_with_enter_and_with_a_click(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium, against a real receiver: the page's CSP, Referrer-Policy and the cross-site
    check let its own form through; Enter in the value field records won with the value."""
    db = f"sqlite:///{tmp_path / 'leads.sqlite3'}"
    [lead_id] = seed(db, make())
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("HUBGEN_LEADS_OUTCOME_SECRET", SECRET)
    monkeypatch.setenv("HUBGEN_LEADS_PUBLIC_URL", public)
    receiver = ReceiverProcess(db, mini_hub_json(), port, "--no-worker")
    receiver.start()
    try:
        signer = LinkSigner(SECRET, public, timedelta(days=60))
        urls, _ = signer.links(lead_id, "acme", ("accepted", "won"), datetime.now(UTC))
        page = browser.new_page()
        page.goto(urls["accepted"])
        assert outcomes_of(db, lead_id) == []  # opening the link recorded nothing
        page.get_by_role("button", name="Accepted").click()
        page.get_by_text("Recorded: Accepted").wait_for()
        page.goto(urls["won"])
        page.get_by_label("Value of the client").fill("1200")
        page.get_by_label("Value of the client").press("Enter")
        page.get_by_text("Recorded: Won (value 1200)").wait_for()
        page.close()
    finally:
        receiver.stop()
    assert [(o.status, o.value) for o in outcomes_of(db, lead_id)] == [
        (OutcomeStatus.ACCEPTED, None),
        (OutcomeStatus.WON, Decimal("1200")),
    ]
