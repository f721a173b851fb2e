"""Delivery to partners: a real SMTP server (aiosmtpd) and a webhook endpoint on 127.0.0.1,
with outages. Nothing is lost, nothing is sent twice, and the worker runs on both databases."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit import BACKENDS, SmtpSink, WebhookSink, article_post, database, encode, mini_registry
from webhookguide import documented_verify

from hubgen.leads.delivery import DeliveryError, Sender, email_message, sign, webhook_payload
from hubgen.leads.deliveryconfig import DeliveryConfig, Destinations, parse_delivery_config
from hubgen.leads.models import Delivery, NewLead, new_lead
from hubgen.leads.routing import route
from hubgen.leads.settings import SettingsError, SmtpSettings
from hubgen.leads.store import Store, open_store
from hubgen.leads.submission import parse_urlencoded, validate
from hubgen.leads.worker import Worker, backoff

REGISTRY = mini_registry()
SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


def destinations(webhook: str | None = None, email: bool = True) -> Destinations:
    partners: dict[str, Any] = {"brightside": {"email": "leads@brightside.example"}}
    if webhook:
        partners["acme"] = {"webhook": webhook, "webhook_secret": SECRET}
    return Destinations(
        parse_delivery_config({"partners": partners}, REGISTRY), REGISTRY, email_enabled=email
    )


def make(dest: Destinations, **overrides: str) -> NewLead:
    sub = validate(parse_urlencoded(encode(article_post(**overrides))), REGISTRY)
    return new_lead(sub, route(sub, REGISTRY), datetime.now(UTC), dest.channels,
                    referral_notices=dest.referral_notices)  # fmt: skip


def worker(
    store: Store, dest: Destinations, smtp: SmtpSink | None = None, **options: Any
) -> Worker:
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, security="none",
                            sender="Mini Hub <leads@mini.example>", timeout=5) if smtp else None  # fmt: skip
    options.setdefault("retry_base", 0.2)
    return Worker(store, Sender(REGISTRY, dest, settings, webhook_timeout=5), **options)


def test_the_guides_verify_recipe_refuses_forged_stale_and_altered_posts() -> None:
    verify = documented_verify()
    body = b'{"type": "lead"}'

    def headers(timestamp: int, secret: str = SECRET, signed: bytes = body) -> dict[str, str]:
        return {"X-Hubgen-Timestamp": str(timestamp),
                "X-Hubgen-Signature": sign(secret, str(timestamp), signed)}  # fmt: skip

    now = int(time.time())
    assert verify(SECRET.encode(), headers(now), body)
    assert not verify(SECRET.encode(), headers(now, secret="another-secret-0123"), body)
    assert not verify(SECRET.encode(), headers(now, signed=b'{"type": "thanks"}'), body)
    assert not verify(SECRET.encode(), headers(now - 3600), body)  # a replay an hour later


def test_destinations_default_to_hub_json_and_follow_the_file() -> None:
    dest = destinations("http://127.0.0.1:9/hook")
    assert dest.email("acme") == "hello@acme.example"  # from hub.json
    assert dest.email("brightside") == "leads@brightside.example"  # override
    assert dest.channels("acme") == ("email", "webhook")
    assert destinations(email=False).channels("acme") == ()
    off = parse_delivery_config({"partners": {"acme": {"email": ""}}}, REGISTRY)
    assert Destinations(off, REGISTRY, email_enabled=True).channels("acme") == ()


def test_the_delivery_file_is_checked() -> None:
    with pytest.raises(SettingsError, match="needs webhook_secret"):
        parse_delivery_config({"partners": {"acme": {"webhook": "https://x.example/h"}}}, REGISTRY)
    with pytest.raises(SettingsError, match="one e-mail address"):
        parse_delivery_config(
            {"partners": {"acme": {"email": "a@x.example\r\nBcc: b@y"}}}, REGISTRY
        )
    with pytest.raises(SettingsError, match="unknown setting"):
        parse_delivery_config({"partners": {"acme": {"webhok": "x"}}}, REGISTRY)
    env = {"ACME_SECRET": SECRET}
    config = parse_delivery_config(
        {"partners": {"acme": {"webhook": "https://x.example/h", "webhook_secret_env": "ACME_SECRET"},
                      "gone": {"email": "x@y.example"}}}, REGISTRY, environ=env)  # fmt: skip
    assert config.partners["acme"].webhook_secret == SECRET
    assert config.warnings == (
        "delivery file: partners.gone: no active partner 'gone' in hub.json; ignored",
    )


def test_emails_reply_to_the_visitor_and_notices_hide_the_message() -> None:
    dest = destinations()
    item = make(dest, last_ref="brightside", message="Private details")
    lead = item.lead
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    to_acme = Delivery(f"{lead.id}.lead.acme.email", lead.id, "acme", "lead", "email", 0)
    message = email_message(
        to_acme, lead, REGISTRY, "Hub <leads@mini.example>", "hello@acme.example", now
    )
    assert message["Reply-To"] == "Dana Visitor <dana@visitor.example>"
    assert message["Subject"] == "New enquiry from Dana Visitor via Mini Hub"
    assert "Private details" in message.get_content()
    assert "Referred by: Brightside Law" in message.get_content()
    again = email_message(
        to_acme, lead, REGISTRY, "Hub <leads@mini.example>", "hello@acme.example", now
    )
    assert message["Message-ID"] == again["Message-ID"]  # stable across retries
    notice = Delivery(
        f"{lead.id}.referral.brightside.email", lead.id, "brightside", "referral", "email", 0
    )
    text = email_message(
        notice, lead, REGISTRY, "Hub <leads@mini.example>", "x@brightside.example", now
    )
    body = text.get_content()
    assert text["Subject"] == "Your referral just asked for help (Mini Hub)"
    assert "Private details" not in body and "dana" not in body.lower() and text["Reply-To"] is None
    payload = webhook_payload(notice, lead, REGISTRY)
    assert "fields" not in payload["lead"] and "utm" not in payload["lead"]


def test_line_breaks_never_reach_a_header() -> None:
    dest = destinations()
    lead = make(dest).lead
    bad = lead.__class__(
        **{**lead.__dict__, "fields": {**lead.fields, "name": "X\r\nBcc: all@example.com"}}
    )
    delivery = Delivery(f"{lead.id}.lead.acme.email", lead.id, "acme", "lead", "email", 0)
    with pytest.raises(DeliveryError, match="line break"):
        email_message(
            delivery,
            bad,
            REGISTRY,
            "Hub <leads@mini.example>",
            "hello@acme.example",
            datetime.now(UTC),
        )


def test_email_and_signed_webhook_end_to_end_with_outages(db_url: str) -> None:
    with SmtpSink() as smtp, WebhookSink() as hook:
        dest = destinations(hook.url)
        store = open_store(db_url)
        [saved] = store.save([make(dest, last_ref="brightside")])
        hook.down = True
        smtp.stop()  # both partners' servers are down
        w = worker(store, dest, smtp)
        first = w.run_once()
        assert (
            first.delivered == 0 and first.failed == 3
        )  # acme e-mail + webhook, brightside notice
        assert store.get(saved.id).status == "new"  # type: ignore[union-attr]
        assert {row["status"] for row in store.outbox()} == {"pending"}
        # Back up: the retry (after the backoff) delivers everything once.
        hook.down = False
        smtp.start()
        deadline = time.monotonic() + 10
        while store.get(saved.id).status != "delivered" or any(  # type: ignore[union-attr]
            row["status"] == "pending" for row in store.outbox()
        ):
            assert time.monotonic() < deadline, store.outbox()
            w.run_once()
            time.sleep(0.05)
        lead = store.get(saved.id)
        assert (
            lead is not None and lead.delivery_attempts == 4
        )  # 2 lead rows x (1 failure + 1 success)
        accepted = hook.accepted()
        assert len(accepted) == 1
        request = accepted[0]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        # The recipe partners copy from the webhooks guide accepts the real delivery.
        assert documented_verify()(SECRET.encode(), request["headers"], request["body"])
        assert headers["x-hubgen-delivery"] == f"{saved.id}.lead.acme.webhook"
        assert json.loads(request["body"])["lead"]["fields"]["email"] == "dana@visitor.example"
        rejected_ids = {
            r["headers"]["X-Hubgen-Delivery"] for r in hook.requests if not r["accepted"]
        }
        assert rejected_ids == {headers["x-hubgen-delivery"]}  # the retry reused the delivery id
        recipients = sorted(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts)
        assert recipients == ["hello@acme.example", "leads@brightside.example"]
        notice = next(m for rcpts, m in smtp.messages if rcpts == ["leads@brightside.example"])
        assert "Can you help" not in notice.get_content()
        store.close()


def test_a_failure_waits_for_a_later_run_even_when_sending_outlasts_the_backoff(
    db_url: str,
) -> None:
    with WebhookSink() as hook:
        hook.down = True
        dest = destinations(hook.url, email=False)
        store = open_store(db_url)
        store.save([make(dest)])
        # A clock that moves 1 s per reading, from now (the lead is due): every send "takes"
        # longer than the 0.2 s backoff, as on a slow host or against a server that times out.
        start, ticks = datetime.now(UTC), iter(range(10_000))

        def clock() -> datetime:
            return start + timedelta(seconds=next(ticks))

        report = worker(store, dest, clock=clock).run_once()
        assert (report.delivered, report.failed) == (0, 1)
        assert [row["attempts"] for row in store.outbox()] == [1]
        assert len(hook.requests) == 1
        store.close()


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n, 60, 600) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_concurrent_workers_send_each_delivery_once(db_url: str) -> None:
    with WebhookSink() as hook:
        dest = destinations(hook.url, email=False)
        setup = open_store(db_url)
        setup.save([make(dest, idempotency_key=f"many-{n:06}") for n in range(30)])
        setup.close()
        stores = [open_store(db_url) for _ in range(3)]
        workers = [worker(s, dest) for s in stores]
        threads = [threading.Thread(target=w.run_once) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ids = [r["headers"]["X-Hubgen-Delivery"] for r in hook.accepted()]
        assert len(ids) == 30 and len(set(ids)) == 30
        assert {lead.status for lead in stores[0].leads()} == {"delivered"}
        for s in stores:
            s.close()


def test_a_worker_that_dies_mid_send_is_taken_over_with_the_same_delivery_id(db_url: str) -> None:
    with WebhookSink() as hook:
        dest = destinations(hook.url, email=False)
        store = open_store(db_url)
        [saved] = store.save([make(dest)])
        now = datetime.now(UTC)
        # A worker leased the row, sent it, and died before recording the outcome.
        lease_end = now + timedelta(minutes=5)
        [leased] = store.claim("dead-worker", now, lease_end, 10)
        Sender(REGISTRY, dest, None).send(leased, store.get(saved.id), now)  # type: ignore[arg-type]
        # Clocks, not sleeps: the outcome must not depend on how fast the host runs.
        before, after = lease_end - timedelta(seconds=1), lease_end + timedelta(seconds=1)
        assert worker(store, dest, clock=lambda: before).run_once().delivered == 0  # still leased
        assert worker(store, dest, clock=lambda: after).run_once().delivered == 1  # taken over
        ids = [r["headers"]["X-Hubgen-Delivery"] for r in hook.accepted()]
        assert ids == [leased.id, leased.id]  # at least once; the receiver de-duplicates by id
        store.close()


def test_delivery_config_without_channels_leaves_leads_new(db_url: str) -> None:
    dest = Destinations(DeliveryConfig(), REGISTRY, email_enabled=False)
    store = open_store(db_url)
    [saved] = store.save([make(dest)])
    assert worker(store, dest).run_once().delivered == 0
    assert store.get(saved.id).status == "new"  # type: ignore[union-attr]
    store.close()


def test_the_worker_inside_the_app_delivers_right_after_the_commit(
    db_url: str, tmp_path: Path
) -> None:
    from leadkit import ORIGIN, mini_hub_json
    from starlette.testclient import TestClient

    from hubgen.leads.app import create_app
    from hubgen.leads.settings import Settings

    with WebhookSink() as hook:
        config = tmp_path / "delivery.toml"
        config.write_text(f'[partners.acme]\nwebhook = "{hook.url}"\nwebhook_secret = "{SECRET}"\n')
        settings = Settings(
            db=db_url, hub=str(mini_hub_json()), delivery_file=config, poll_seconds=30
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": ORIGIN,
        }
        with TestClient(create_app(settings)) as client:
            lead_id = client.post("/leads", content=encode(article_post()), headers=headers).json()[
                "id"
            ]
            deadline = (
                time.monotonic() + 10
            )  # far less than the 30 s poll: the commit wakes the worker
            while not hook.accepted():
                assert time.monotonic() < deadline, "the worker was not woken"
                time.sleep(0.02)
        assert json.loads(hook.accepted()[0]["body"])["lead"]["id"] == lead_id
        store = open_store(db_url)
        assert store.get(lead_id).status == "delivered"  # type: ignore[union-attr]
        store.close()


def test_settings_from_the_environment() -> None:
    from hubgen.leads.settings import from_env, parse_rate

    env = {
        "HUBGEN_LEADS_DB": "postgresql://h/db",
        "HUBGEN_LEADS_SMTP_HOST": "smtp.example.net",
        "HUBGEN_LEADS_SMTP_FROM": "Hub <leads@hub.example>",
        "HUBGEN_LEADS_SMTP_SECURITY": "ssl",
        "HUBGEN_LEADS_RATE_LIMIT": "5/30",
        "HUBGEN_LEADS_TRUSTED_PROXY": "10.0.0.0/8, 127.0.0.1",
    }
    settings = from_env(env).validate()
    assert (
        settings.db == "postgresql://h/db"
        and settings.smtp is not None
        and settings.smtp.port == 465
    )
    assert (settings.rate_limit, settings.rate_period) == (5, 30.0)
    assert settings.trusted_proxies == ("10.0.0.0/8", "127.0.0.1")
    assert parse_rate("0") == (0, 60.0)
    with pytest.raises(SettingsError, match="HUBGEN_LEADS_SMTP_FROM is required"):
        from_env({"HUBGEN_LEADS_SMTP_HOST": "x"})
    with pytest.raises(SettingsError, match="Expected an IP address or network"):
        from_env({"HUBGEN_LEADS_TRUSTED_PROXY": "proxy.local"}).validate()
