"""The store contract, run unchanged on SQLite and on PostgreSQL (.ci/run starts a server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit import BACKENDS, article_post, database, encode, mini_registry

from hubgen.leads.models import NewLead, new_lead
from hubgen.leads.routing import route
from hubgen.leads.store import Store, StoreUrlError, open_store
from hubgen.leads.submission import parse_urlencoded, validate

REGISTRY = mini_registry()
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def make(at: datetime = T0, channels: tuple[str, ...] = ("email",), **overrides: str) -> NewLead:
    sub = validate(parse_urlencoded(encode(article_post(**overrides))), REGISTRY)
    return new_lead(
        sub, route(sub, REGISTRY), at, lambda slug: channels, referral_notices=lambda s: True
    )


def test_a_saved_lead_reads_back_whole(store: Store) -> None:
    item = make(first_ref="acme-ref", last_ref="brightside", utm_source="brightside",
                idempotency_key="k-000000001", email="boss@acme.example")  # fmt: skip
    [saved] = store.save([item])
    assert saved.created and saved.id == item.lead.id
    lead = store.get(saved.id)
    assert lead == item.lead
    assert lead is not None and lead.created_at == T0 and lead.created_at.tzinfo is not None
    assert lead.recipients == ("acme",) and lead.first_partner == "acme"
    assert lead.credited_partner == "brightside"
    assert lead.self_referral and lead.consent_version == "abc123def456"
    assert [row["kind"] for row in store.outbox(saved.id)] == ["lead", "referral"]


def test_the_same_key_is_stored_once_within_and_across_batches(store: Store) -> None:
    first, again = make(idempotency_key="same-key-1"), make(idempotency_key="same-key-1")
    a, b = store.save([first, again])
    assert a.created and not b.created and a.id == b.id
    [c] = store.save([make(idempotency_key="same-key-1", message="edited")])
    assert not c.created and c.id == a.id
    assert len(store.leads()) == 1 and len(store.outbox()) == 1


def test_keyless_posts_match_the_previous_time_bucket(store: Store) -> None:
    [a] = store.save([make(at=T0)])
    [b] = store.save([make(at=T0 + timedelta(seconds=299))])  # the next bucket, maybe
    [c] = store.save([make(at=T0 + timedelta(hours=1))])
    assert not b.created and b.id == a.id
    assert c.created


def test_concurrent_writers_store_a_key_once(db_url: str) -> None:
    stores = [open_store(db_url) for _ in range(4)]
    results: list[bool] = []
    lock = threading.Lock()

    def write(s: Store) -> None:
        for _ in range(5):
            [saved] = s.save([make(idempotency_key="raced-key-1")])
            with lock:
                results.append(saved.created)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert len(stores[0].leads()) == 1
    for s in stores:
        s.close()


def test_claims_lease_rows_and_outcomes_update_the_lead(store: Store) -> None:
    [saved] = store.save([make(channels=("email", "webhook"))])
    now = T0 + timedelta(seconds=1)
    claimed = store.claim("w1", now, now + timedelta(minutes=5), 10)
    assert [d.channel for d in claimed] == ["email", "webhook"]
    assert store.claim("w2", now, now + timedelta(minutes=5), 10) == []  # leased
    email, webhook = claimed
    store.mark_delivered(email, now)
    assert store.get(saved.id).status == "new"  # type: ignore[union-attr]
    store.mark_failed(webhook, now, "HTTP 503", now + timedelta(minutes=1))
    assert store.claim("w2", now + timedelta(seconds=30), now + timedelta(minutes=5), 10) == []
    [retry] = store.claim("w2", now + timedelta(minutes=2), now + timedelta(minutes=7), 10)
    assert retry.id == webhook.id and retry.attempts == 1
    store.mark_delivered(retry, now + timedelta(minutes=2))
    lead = store.get(saved.id)
    assert lead is not None and lead.status == "delivered" and lead.delivery_attempts == 3
    assert lead.delivered_at == now + timedelta(minutes=2)
    assert {row["status"] for row in store.outbox()} == {"delivered"}


def test_an_expired_lease_is_taken_over(store: Store) -> None:
    store.save([make()])
    now = T0 + timedelta(seconds=1)
    [first] = store.claim("crashed", now, now + timedelta(seconds=10), 10)
    [again] = store.claim("w2", now + timedelta(seconds=11), now + timedelta(minutes=5), 10)
    assert again.id == first.id


def test_two_workers_never_lease_the_same_row(db_url: str) -> None:
    setup = open_store(db_url)
    setup.save([make(idempotency_key=f"many-keys-{n:03}") for n in range(40)])
    setup.close()
    stores = [open_store(db_url) for _ in range(3)]
    leased: list[str] = []
    lock = threading.Lock()
    now = T0 + timedelta(seconds=1)

    def work(s: Store, owner: str) -> None:
        while batch := s.claim(owner, now, now + timedelta(minutes=5), 3):
            with lock:
                leased.extend(d.id for d in batch)

    threads = [threading.Thread(target=work, args=(s, f"w{n}")) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(leased) == 40 and len(set(leased)) == 40
    for s in stores:
        s.close()


def test_purge_erase_and_partner_filter(store: Store) -> None:
    store.save([make(at=T0 - timedelta(days=400), idempotency_key="old-lead-1"),
                make(at=T0, idempotency_key="new-lead-1", email="Keep@Visitor.example"),
                make(at=T0, idempotency_key="spam-lead-1", website="http://spam")])  # fmt: skip
    assert sorted(lead.status for lead in store.leads()) == ["new", "new", "spam"]
    assert len(store.leads(include_spam=False)) == 2
    assert len(store.leads(partner="acme", include_spam=False)) == 2
    assert store.leads(partner="brightside") == []
    assert store.purge(T0 - timedelta(days=365)) == 1
    assert store.erase("KEEP@visitor.example") == 1
    assert [lead.status for lead in store.leads()] == ["spam"]
    assert all(row["lead_id"] == store.leads()[0].id for row in store.outbox())


def test_reopening_keeps_data_and_schema(db_url: str) -> None:
    s = open_store(db_url)
    s.save([make()])
    s.close()
    again = open_store(db_url)
    assert len(again.leads()) == 1
    again.ping()
    again.close()


def test_database_urls_are_checked() -> None:
    with pytest.raises(
        StoreUrlError, match="Expected a database URL starting with sqlite:// or postgresql://"
    ):
        open_store("mysql://x/y")
    with pytest.raises(StoreUrlError):
        open_store("sqlite://relative.db")


def test_postgres_reconnects_after_losing_its_connection(tmp_path: Path) -> None:
    import psycopg

    with database("postgresql", tmp_path) as db_url:
        _drop_and_reconnect(db_url, psycopg)


def _drop_and_reconnect(db_url: str, psycopg: Any) -> None:
    s = open_store(db_url)
    s.save([make(idempotency_key="before-drop-1")])
    with psycopg.connect(db_url, autocommit=True) as admin:  # e.g. a server restart or failover
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(psycopg.OperationalError):
        s.save([make(idempotency_key="during-drop-1")])  # not acknowledged: the client retries
    [saved] = s.save([make(idempotency_key="during-drop-1")])
    assert saved.created and len(s.leads()) == 2
    s.close()
