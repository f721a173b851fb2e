"""Arrivals: aggregated counters of the visitors partners' links bring (hubgen/leads/arrivals.py).

The counting rules are pure; the store and the HTTP routes run on SQLite and on PostgreSQL;
slow request bodies are tested over real sockets against uvicorn on loopback.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from hubkit import HubDir
from leadkit import (
    BACKENDS,
    ORIGIN,
    article_post,
    database,
    encode,
    mini_hub_json,
    mini_manifest,
    mini_registry,
)
from starlette.testclient import TestClient

from hubgen.cli import main
from hubgen.core.formsettings import FormSettings
from hubgen.leads.app import create_app
from hubgen.leads.arrivals import (
    CHANNELS,
    Arrival,
    ArrivalCount,
    ArrivalError,
    arrival,
    channel,
    landing_page,
    parse_beacon,
    receiver_url,
    short_link_target,
    short_link_via_receiver,
)
from hubgen.leads.headerguard import header_guard
from hubgen.leads.registry import parse_registry
from hubgen.leads.settings import Settings
from hubgen.leads.store import Store, open_store
from hubgen.load.loader import load_hub
from hubgen.site.catalog import Catalog
from hubgen.site.sharekit import qr_codes, share_kit
from hubgen.site.shortlinks import short_link_pages

REGISTRY = mini_registry()
# 23:30 UTC on 1 July is already 2 July in the hub's time zone (Europe/London, BST).
LATE = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
BEACON = {"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN}


# -- the rules (pure) -----------------------------------------------------------------------------


def test_utm_medium_maps_onto_a_fixed_set_of_channels() -> None:
    assert [channel(m) for m in ("", "referral", "QR", "e-mail", "rss", "social", "link")] == [
        "link", "link", "qr", "email", "feed", "social", "link",
    ]  # fmt: skip
    assert channel("<script>anything-at-all") == "other"
    assert {channel(m) for m in ("x", "qr", "feed", "email", "social", "")} <= set(CHANNELS)


def test_landing_pages_are_the_hubs_own_pages_or_other() -> None:
    assert landing_page("/articles/cash/", REGISTRY) == "articles/cash/"
    assert landing_page("/articles/cash/index.html", REGISTRY) == "articles/cash/"
    assert landing_page("/partners/acme", REGISTRY) == "partners/acme/"
    assert landing_page("/", REGISTRY) == ""
    assert landing_page("/wp-admin/made-up-" + "x" * 5000, REGISTRY) == "(other)"
    project = replace(REGISTRY, site_url="https://example.org/hub/")  # a site below a path
    assert landing_page("/hub/articles/cash/", project) == "articles/cash/"
    assert landing_page("/articles/cash/", project) == "(other)"


def test_an_arrival_names_the_partner_day_page_and_channel() -> None:
    fields = {"ref": "ACME-REF", "landing": "/articles/cash/", "medium": "qr"}
    assert arrival(fields, REGISTRY, LATE) == Arrival(
        date(2026, 7, 2), "acme", "articles/cash/", "qr"
    )
    assert arrival({"ref": "nobody", "landing": "/"}, REGISTRY, LATE) is None
    with pytest.raises(ArrivalError):
        arrival({"landing": "/"}, REGISTRY, LATE)


def test_beacon_bodies_form_encoded_or_json() -> None:
    assert parse_beacon(b"ref=acme-ref&landing=%2F", "application/x-www-form-urlencoded") == {
        "ref": "acme-ref", "landing": "/",
    }  # fmt: skip
    assert parse_beacon(b'{"ref": "acme-ref", "n": 1}', "application/json") == {"ref": "acme-ref"}
    many = "&".join(f"f{n}=x" for n in range(20)).encode()
    cases = ((b"[1]", "application/json"), (b"\xff", "text/plain"), (many, "text/plain"))
    for body, kind in cases:
        with pytest.raises(ArrivalError) as error:
            parse_beacon(body, kind)
        assert error.value.status == 400
    with pytest.raises(ArrivalError) as error:
        parse_beacon(b"ref=x", "multipart/form-data")
    assert error.value.status == 415


def test_receiver_urls_sit_beside_the_lead_endpoint() -> None:
    assert (
        receiver_url("https://leads.example/leads", "arrivals") == "https://leads.example/arrivals"
    )
    assert receiver_url("https://hub.example/api/leads", "arrivals") == (
        "https://hub.example/api/arrivals"
    )
    assert short_link_via_receiver("https://leads.example/leads", "a&b") == (
        "https://leads.example/r/a%26b"
    )


# -- the store ------------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def test_counts_add_up_per_day_partner_page_and_channel(store: Store) -> None:
    day1, day2 = date(2026, 7, 1), date(2026, 7, 2)
    cash = Arrival(day1, "acme", "articles/cash/", "link")
    store.count_arrivals([cash, cash, Arrival(day1, "acme", "articles/cash/", "qr")])
    store.count_arrivals([cash, Arrival(day2, "brightside", "", "email")])
    assert store.arrivals() == [
        ArrivalCount(day1, "acme", "articles/cash/", "link", 3),
        ArrivalCount(day1, "acme", "articles/cash/", "qr", 1),
        ArrivalCount(day2, "brightside", "", "email", 1),
    ]
    assert [a.partner for a in store.arrivals(since=day2)] == ["brightside"]
    assert store.purge_arrivals(day2) == 2
    assert [a.day for a in store.arrivals()] == [day2]


def test_the_table_holds_only_aggregated_columns(db_url: str, store: Store) -> None:
    store.count_arrivals([Arrival(date(2026, 7, 1), "acme", "", "link")])
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(hubgen_arrivals)")]
    else:
        import psycopg

        with psycopg.connect(db_url) as conn:
            rows = conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'hubgen_arrivals' ORDER BY ordinal_position"
            ).fetchall()
        columns = [row[0] for row in rows]
    assert columns == ["day", "partner", "landing", "channel", "count"]


def test_concurrent_receivers_add_to_the_same_counter(db_url: str) -> None:
    stores = [open_store(db_url) for _ in range(3)]
    key = Arrival(date(2026, 7, 1), "acme", "", "link")

    def write(s: Store) -> None:
        for _ in range(10):
            s.count_arrivals([key, key])

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.count for a in stores[0].arrivals()] == [60]
    for s in stores:
        s.close()


def test_purge_removes_old_arrival_counts_too(
    db_url: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date()
    store.count_arrivals(
        [Arrival(today - timedelta(days=40), "acme", "", "qr"), Arrival(today, "acme", "", "qr")]
    )
    assert main(["leads", "purge", "--db", db_url, "--older-than", "30"]) == 0
    assert "purged 1 arrival count older than 30 days" in capsys.readouterr().out
    assert [a.day for a in store.arrivals()] == [today]


def test_the_counts_read_back_as_csv_or_json(
    db_url: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date()
    old = today - timedelta(days=10)
    store.count_arrivals(
        [Arrival(old, "acme", "articles/cash/", "qr"), Arrival(today, "brightside", "", "link")]
    )
    assert main(["leads", "arrivals", "--db", db_url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "day,partner,landing,channel,count",
        f"{old.isoformat()},acme,articles/cash/,qr,1",
        f"{today.isoformat()},brightside,,link,1",
    ]
    assert main(["leads", "arrivals", "--db", db_url, "--days", "7", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"day": today.isoformat(), "partner": "brightside", "landing": "", "channel": "link",
         "count": 1}
    ]  # fmt: skip
    assert main(["leads", "arrivals", "--db", db_url, "--days", "0"]) == 2


# -- over HTTP ------------------------------------------------------------------------------------


@pytest.fixture
def client_for(db_url: str) -> Iterator[Callable[..., Any]]:
    @contextmanager
    def make(**settings: Any) -> Iterator[TestClient]:
        peer = settings.pop("peer", "203.0.113.7")
        base = Settings(db=db_url, hub=str(mini_hub_json()), worker=False, rate_limit=1000)
        app = create_app(base.with_overrides(**settings), clock=lambda: LATE)
        with TestClient(
            app, base_url="http://127.0.0.1:8400", client=(peer, 40000), follow_redirects=False
        ) as client:
            yield client

    yield make


@pytest.fixture
def client(client_for: Callable[..., Any]) -> Iterator[TestClient]:
    with client_for() as c:
        yield c


def beacon(client: TestClient, headers: dict[str, str] = BEACON, **fields: str) -> Any:
    body = {"ref": "acme-ref", "landing": "/articles/cash/", "medium": "referral", **fields}
    return client.post("/arrivals", content=urlencode(body), headers=headers)


def counts(db_url: str) -> list[tuple[str, str, str, int]]:
    s = open_store(db_url)
    try:
        return [(a.partner, a.landing, a.channel, a.count) for a in s.arrivals()]
    finally:
        s.close()


def test_a_beacon_is_counted_once_its_counter_is_durable(client: TestClient, db_url: str) -> None:
    assert beacon(client).status_code == 204
    assert beacon(client, medium="qr").status_code == 204
    json_beacon = {"Content-Type": "application/json", "Origin": ORIGIN}
    answer = client.post(
        "/arrivals", json={"ref": "brightside", "landing": "/", "medium": "e-mail"},
        headers=json_beacon,
    )  # fmt: skip
    assert answer.status_code == 204 and answer.headers["cache-control"] == "no-store"
    assert beacon(client).status_code == 204
    assert counts(db_url) == [
        ("acme", "articles/cash/", "link", 2),
        ("acme", "articles/cash/", "qr", 1),
        ("brightside", "", "email", 1),
    ]
    s = open_store(db_url)
    assert {a.day for a in s.arrivals()} == {date(2026, 7, 2)}  # the hub's own calendar day
    s.close()


def test_unknown_codes_and_opted_out_visitors_are_not_counted(
    client: TestClient, db_url: str
) -> None:
    assert beacon(client, ref="nobody").status_code == 204
    assert beacon(client, {**BEACON, "DNT": "1"}).status_code == 204
    assert beacon(client, {**BEACON, "Sec-GPC": "1"}).status_code == 204
    assert counts(db_url) == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
    ],
)
def test_the_beacon_has_the_lead_posts_origin_and_type_defences(
    client: TestClient, db_url: str, headers: dict[str, str], status: int
) -> None:
    base = {k: v for k, v in BEACON.items() if k != "Origin" or "Sec-Fetch-Site" not in headers}
    assert beacon(client, {**base, **headers}).status_code == status
    assert counts(db_url) == []


def test_oversized_beacons_are_refused_announced_or_streamed(
    client: TestClient, db_url: str
) -> None:
    assert beacon(client, landing="/" + "x" * 2000).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked, read until the limit
        yield b"ref=acme-ref&landing="
        for _ in range(20):
            yield b"y" * 100

    answer = client.post("/arrivals", content=chunks(), headers=BEACON)
    assert answer.status_code == 413
    assert counts(db_url) == []


def test_arrivals_have_their_own_rate_limit(client_for: Callable[..., Any], db_url: str) -> None:
    with client_for(arrival_rate_limit=2, rate_limit=3) as c:
        codes = [beacon(c).status_code for _ in range(3)]
        assert codes == [204, 204, 429]
        # A visitor's arrival does not use up their enquiry's allowance.
        lead = c.post(
            "/leads", content=encode(article_post(idempotency_key="after-arrivals-1")),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept":
                     "application/json", "Origin": ORIGIN},
        )  # fmt: skip
        assert lead.status_code == 201
    assert counts(db_url) == [("acme", "articles/cash/", "link", 2)]


def test_a_short_link_counts_and_redirects_to_the_partners_page(
    client: TestClient, db_url: str
) -> None:
    navigation = {"Sec-Fetch-Dest": "document", "Referer": ORIGIN + "/r/acme-ref/"}
    answer = client.get("/r/acme-ref", headers=navigation)
    assert answer.status_code == 303 and answer.headers["cache-control"] == "no-store"
    target = urlsplit(answer.headers["location"])
    assert (target.netloc, target.path) == ("mini.example", "/partners/acme/")
    assert dict(parse_qsl(target.query))["ref"] == "acme-ref"
    assert client.get("/r/ACME-REF").status_code == 303  # no browser headers: a plain client
    assert counts(db_url) == [("acme", "partners/acme/", "link", 2)]


def test_a_short_link_redirects_without_counting_what_is_not_a_visit(
    client: TestClient, db_url: str
) -> None:
    not_counted = [
        {"DNT": "1"},
        {"Sec-GPC": "1"},
        {"Sec-Fetch-Dest": "image"},  # another site embedding the URL as an image
        {"Referer": "https://evil.example/page"},
    ]
    for headers in not_counted:
        answer = client.get("/r/acme-ref", headers=headers)
        assert answer.status_code == 303 and "/partners/acme/" in answer.headers["location"]
    unknown = client.get("/r/no-such-code")
    assert unknown.status_code == 303 and unknown.headers["location"] == "https://mini.example/"
    assert counts(db_url) == []


def test_a_preview_copys_short_link_leads_back_to_the_preview(
    client_for: Callable[..., Any],
) -> None:
    preview = "http://127.0.0.1:8000"
    with client_for(allowed_origins=(preview,)) as c:
        answer = c.get("/r/brightside", headers={"Referer": preview + "/r/brightside/"})
    assert answer.headers["location"].startswith(preview + "/partners/brightside/?ref=brightside")


def test_a_version_1_database_gains_the_arrivals_table(tmp_path: Path) -> None:
    from hubgen.leads import store as store_module

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        for statement in store_module.SCHEMA:
            conn.execute(statement.format(ts="TEXT", bool="INTEGER"))
        conn.execute("INSERT INTO hubgen_meta (key, value) VALUES ('schema', '1')")
    upgraded = open_store(f"sqlite:///{path}")
    upgraded.count_arrivals([Arrival(date(2026, 7, 1), "acme", "", "qr")])
    assert [a.count for a in upgraded.arrivals()] == [1]
    upgraded.close()


def test_a_hub_json_from_before_short_link_targets_sends_to_the_partners_page() -> None:
    data = mini_manifest()
    assert data["partners"][0]["short_link_target"].startswith("partners/acme/?ref=acme-ref&")
    for partner in data["partners"]:
        del partner["short_link_target"]
    old = parse_registry(data)
    assert short_link_target(old.partners["acme"], old) == "https://mini.example/partners/acme/"


# -- slow bodies over real sockets ----------------------------------------------------------------


@contextmanager
def live_receiver(db_url: str, **settings: Any) -> Iterator[tuple[int, Any]]:
    """The app under uvicorn in a thread on 127.0.0.1, so its in-flight state can be read."""
    import uvicorn

    base = Settings(db=db_url, hub=str(mini_hub_json()), worker=False, rate_limit=0)
    final = base.with_overrides(arrival_rate_limit=0, **settings)
    app = create_app(final)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    http = header_guard(final.body_timeout)  # as `leads serve` runs it
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", http=http))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield port, app.state.receiver
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def drip(port: int, path: str, declared: int = 200) -> socket.socket:
    """Headers, then one byte of a body announced as ``declared`` bytes, and nothing more."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {declared}\r\n\r\nr".encode()
    )
    return conn


def status_of(conn: socket.socket) -> int:
    """The status of the answer on ``conn`` (the 30 s socket timeout only guards a hang)."""
    head = b""
    while b"\r\n" not in head:
        data = conn.recv(1024)
        if not data:
            break
        head += data
    conn.close()
    return int(head.split(b" ", 2)[1])


def get_status(port: int, path: str) -> int:
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    return status_of(conn)


def test_slow_bodies_get_408_and_a_full_house_gets_503_while_the_receiver_answers(
    db_url: str,
) -> None:
    with live_receiver(db_url, body_timeout=2.0, body_slots=2) as (port, receiver):
        slow = [drip(port, "/leads"), drip(port, "/arrivals")]
        deadline = time.monotonic() + 30
        while receiver.bodies.reading < 2:  # both are being read now
            assert time.monotonic() < deadline, "the slow bodies were never read"
            time.sleep(0.01)
        assert status_of(drip(port, "/leads")) == 503  # no free slot: answered at once
        assert get_status(port, "/healthz") == 200  # the receiver still answers meanwhile
        assert [status_of(conn) for conn in slow] == [408, 408]
        assert receiver.bodies.reading == 0
        body = urlencode({"ref": "acme-ref", "landing": "/", "medium": "qr"}).encode()
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn.sendall(
            f"POST /arrivals HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        assert status_of(conn) == 204  # the slots are free again
    assert counts(db_url) == [("acme", "", "qr", 1)]


# -- the site's side: short link pages and QR codes ------------------------------------------------


def site_catalog(minihub: HubDir, forms: FormSettings | None = None) -> Catalog:
    settings = replace(minihub.settings(), forms=forms or FormSettings())
    loaded, problems = load_hub(settings)
    assert not problems.errors
    return Catalog(loaded, datetime(2026, 1, 1, tzinfo=UTC))


def refreshes(catalog: Catalog) -> list[tuple[bool, str]]:
    """The acme short link's refreshes: (inside <noscript>, content)."""
    page = next(f for f in short_link_pages(catalog) if f.path == "r/acme-ref/index.html")
    soup = BeautifulSoup(page.content, "html.parser")
    found = []
    for meta in soup.select('meta[http-equiv="refresh"]'):
        found.append((meta.find_parent("noscript") is not None, str(meta["content"])))
    for noscript in soup.select("noscript"):  # html.parser keeps <noscript> contents as markup
        assert noscript.parent is not None and noscript.parent.name == "head"
    return found


DIRECT = "../../partners/acme/?ref=acme-ref&utm_source=acme-ref&utm_medium=referral&utm_campaign=mini-hub"


def test_short_links_go_through_hubgens_receiver_only_without_javascript(
    minihub: HubDir,
) -> None:
    forms = FormSettings(endpoint="https://leads.mini.example/leads")
    assert refreshes(site_catalog(minihub, forms)) == [
        (True, "0; url=https://leads.mini.example/r/acme-ref"),
        (False, f"1; url={DIRECT}"),  # a script that failed to load
    ]


@pytest.mark.parametrize(
    "forms",
    [FormSettings(), FormSettings(backend="formspree", endpoint="https://formspree.io/f/a")],
)
def test_short_links_without_hubgens_receiver_go_straight_to_the_partner(
    minihub: HubDir, forms: FormSettings
) -> None:
    assert refreshes(site_catalog(minihub, forms)) == [(False, f"0; url={DIRECT}")]


def test_share_kit_qr_codes_link_through_the_qr_channel(minihub: HubDir) -> None:
    catalog = site_catalog(minihub)
    encoded = {f.path: f.content for f in qr_codes(catalog, lambda text, title: text)}
    qr = urlsplit(encoded["partners/acme/share/qr.svg"])
    assert (qr.netloc, qr.path) == ("mini.example", "/partners/acme/")
    assert dict(parse_qsl(qr.query)) == {
        "ref": "acme-ref", "utm_source": "acme-ref", "utm_medium": "qr",
        "utm_campaign": "mini-hub",
    }  # fmt: skip
    acme = next(p for p in catalog.partners if p.slug == "acme")
    assert "utm_medium=referral" in share_kit(catalog, acme).home_link  # the copyable link


def test_only_hubgens_receiver_gets_a_beacon_address(minihub: HubDir, tmp_path: Path) -> None:
    def receiver_attribute(forms: str) -> str | None:
        config = minihub.root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        marker = "      tagline: A tiny hub for tests\n"
        edited = text.replace(marker, f"{marker}      forms:\n{forms}", 1)
        config.write_text(edited, encoding="utf-8")
        site = tmp_path / f"site-{len(forms)}"
        assert main(["build", "-q", "-f", str(config), "-d", str(site)]) == 0
        config.write_text(text, encoding="utf-8")
        page = (site / "articles/cash/index.html").read_text(encoding="utf-8")
        script = BeautifulSoup(page, "html.parser").select_one('script[src$="referral.js"]')
        assert script is not None
        value = script.get("data-receiver")
        return None if value is None else str(value)

    hubgen = "        endpoint: https://leads.mini.example/leads\n"
    formspree = "        backend: formspree\n        endpoint: https://formspree.io/f/abc\n"
    assert receiver_attribute(hubgen) == "https://leads.mini.example/leads"
    assert receiver_attribute(formspree) is None


def test_a_request_head_that_never_ends_is_closed_while_others_are_answered(
    db_url: str,
) -> None:
    with live_receiver(db_url, body_timeout=1.0) as (port, _):
        slow = socket.create_connection(("127.0.0.1", port), timeout=30)
        slow.sendall(b"POST /arrivals HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no more
        idle = socket.create_connection(("127.0.0.1", port), timeout=30)  # not a byte
        assert get_status(port, "/healthz") == 200
        assert slow.recv(1024) == b"" and idle.recv(1024) == b""  # closed by the receiver
        slow.close()
        idle.close()
        # A keep-alive connection gets the same limit for its next request's head.
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while not answer.endswith(b'{"ok":true}'):  # the whole answer, head and body
            chunk = conn.recv(1024)
            assert chunk, answer
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET /healthz HTTP/1.1\r\n")
        assert conn.recv(1024) == b""
        conn.close()
