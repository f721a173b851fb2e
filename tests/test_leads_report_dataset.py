"""A scripted 90-day history through the real receiver, checked against the reports.

A seeded script plays 90 days of a small network over HTTP on 127.0.0.1 (uvicorn, a clock the
script moves): arrival beacons and short links (some from unknown codes, some with Do-Not-Track
or Global Privacy Control), leads from article, partner and contact forms with and without
referral codes (some spam), and outcomes by signed links and the CRM endpoint, among them
forged, expired, replayed and wrong-partner links that must record nothing. The expected
figures are counted from the script's own list of what it did (never from the store), and
compared with what ``hubgen leads report`` writes, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from leadkit import BACKENDS, ORIGIN, article_post, database, mini_hub_json

from hubgen.cli import main
from hubgen.leads.app import create_app
from hubgen.leads.headerguard import header_guard
from hubgen.leads.settings import Settings
from hubgen.leads.tokens import LinkSigner

SECRET = "dataset-outcome-secret-0123456789"
PUBLIC = "https://leads.mini.example"
ADMIN = "dataset-admin-token-0123456789"
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 5, 3, 8, 0, tzinfo=UTC)
DAYS = 90  # 3 May … 31 July 2026
AS_OF = datetime(2026, 8, 1, tzinfo=LONDON)  # the end of --month 2026-07
JULY = datetime(2026, 7, 1, tzinfo=LONDON)
END = AS_OF.astimezone(UTC) - timedelta(minutes=10)
"""Nothing the script does happens after this."""
CODES = {"acme-ref": "acme", "brightside": "brightside"}
PAGES = {
    ("article", "articles/cash/"): ("acme",),
    ("article", "articles/hiring-right/"): ("brightside", "acme"),
    ("article", "articles/tax-basics/"): ("acme",),
    ("partner", "partners/acme/"): ("acme",),
    ("partner", "partners/brightside/"): ("brightside",),
    ("contact", "contact/"): ("acme", "brightside"),  # Payroll: both offer it
}
AUTHORS = {"articles/cash/": ("acme",), "articles/hiring-right/": ("brightside", "acme"),
           "articles/tax-basics/": ("acme",)}  # fmt: skip
CRM = {"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN}"}
MEDIA = {"referral": "link", "qr": "qr", "email": "email", "feed": "feed", "social": "social"}


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Expected:
    """What the script did, as it did it: the only source of the expected figures."""

    arrivals: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(partner, channel, local day ISO) → counted arrivals."""
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    """lead id → created, recipients, credited, authors."""
    first: dict[tuple[str, str], datetime] = field(default_factory=dict)
    latest: dict[tuple[str, str], str] = field(default_factory=dict)
    won_at: dict[tuple[str, str], datetime] = field(default_factory=dict)
    spam: int = 0
    refused: Counter[str] = field(default_factory=Counter)

    def record(self, lead: str, partner: str, status: str, at: datetime) -> None:
        key = (lead, partner)
        self.first.setdefault(key, at)
        self.latest[key] = status
        if status == "won":
            self.won_at.setdefault(key, at)


@contextmanager
def receiver(db_url: str, clock: Clock) -> Iterator[int]:
    import uvicorn

    settings = Settings(
        db=db_url, hub=str(mini_hub_json()), worker=False, rate_limit=0, arrival_rate_limit=0,
        outcome_secret=SECRET, public_url=PUBLIC, admin_token=ADMIN,
    )  # fmt: skip
    app = create_app(settings.validate(), clock=clock)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    http = header_guard(settings.body_timeout)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", http=http))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


class Visitor:
    """One keep-alive HTTP connection to the receiver."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def send(self, method: str, path: str, body: str = "", **headers: str) -> tuple[int, bytes]:
        self.conn.request(method, path, body=body.encode() or None, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def play(port: int, clock: Clock, seed: int) -> Expected:
    """The script: 90 days, each with its arrivals and leads, then the outcomes as they fall due."""
    rng = random.Random(seed)
    signer = LinkSigner(SECRET, PUBLIC, timedelta(days=60))
    expected = Expected()
    web = Visitor(port)
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN}
    due: list[tuple[datetime, int, str, str, list[str]]] = []  # replies waiting for their time
    serial = 0

    def run_due(until: datetime) -> None:
        due.sort()
        while due and due[0][0] <= until:
            when, _, lead, partner, statuses = due.pop(0)
            clock.now = when
            reply(lead, partner, statuses)

    def reply(lead: str, partner: str, statuses: list[str]) -> None:
        for n, status in enumerate(statuses):
            if n:  # a later report comes days later, unless that is past the end of the script
                later = clock.now + timedelta(hours=rng.uniform(12, 200))
                if later >= END:
                    return
                clock.now = later
            via = rng.choice(("link", "crm"))
            if via == "link":
                token, _ = signer.token(lead, partner, expected.leads[lead]["created"])
                body = urlencode(
                    {"token": token, "status": status, "value": "900" if status == "won" else ""}
                )
                code, _ = web.send("POST", "/leads/outcome", body, **{**form, "Origin": PUBLIC})
                assert code == 200, code
                if rng.random() < 0.2:  # a double click / a replayed link: nothing new
                    assert (
                        web.send("POST", "/leads/outcome", body, **{**form, "Origin": PUBLIC})[0]
                        == 200
                    )
            else:
                payload = json.dumps({"partner": partner, "status": status})
                code, answer = web.send("POST", f"/leads/{lead}/outcomes", payload, **CRM)
                assert code == 201, (code, answer)
            expected.record(lead, partner, status, clock.now)

    for day in range(DAYS):
        morning = START + timedelta(days=day)
        run_due(morning)
        clock.now = morning
        local_day = morning.astimezone(LONDON).date().isoformat()
        for _ in range(rng.randrange(0, 6)):  # arrivals
            clock.now += timedelta(minutes=rng.randrange(1, 30))
            code = rng.choice((*CODES, *CODES, "nobody-123"))
            medium = rng.choice(tuple(MEDIA))
            opt_out = rng.choice(({}, {}, {}, {"DNT": "1"}, {"Sec-GPC": "1"}))
            if rng.random() < 0.25:
                status, _ = web.send("GET", f"/r/{code}", **opt_out)
                assert status == 303
                channel = "link"  # the short link's own target names utm_medium=referral
            else:
                body = urlencode({"ref": code, "landing": "/articles/cash/", "medium": medium})
                status, _ = web.send("POST", "/arrivals", body, **form, **opt_out)
                assert status == 204
                channel = MEDIA[medium]
            if code in CODES and not opt_out:
                expected.arrivals[(CODES[code], channel, local_day)] += 1
        for _ in range(rng.randrange(0, 3)):  # leads
            clock.now += timedelta(minutes=rng.randrange(1, 60))
            serial += 1
            (form_id, page), recipients = rng.choice(list(PAGES.items()))
            code = rng.choice(("", "", "acme-ref", "brightside", "nobody-123"))
            spam = rng.random() < 0.1
            fields = {"form_id": form_id, "page": page, "last_ref": code, "first_ref": code,
                      "idempotency_key": f"dataset-{seed}-{serial:06}", "website": "spam" if spam else "",
                      "email": f"visitor{serial}@client.example"}  # fmt: skip
            if form_id == "contact":
                fields["service"] = "Payroll"
            status, answer = web.send("POST", "/leads", urlencode(article_post(**fields)),
                                      **form, Accept="application/json")  # fmt: skip
            assert status == 201, (status, answer)
            lead = json.loads(answer)["id"]
            if spam:
                expected.spam += 1
                continue
            expected.leads[lead] = {"created": clock.now, "recipients": recipients,
                                    "credited": CODES.get(code), "authors": AUTHORS.get(page, ())}  # fmt: skip
            for partner in recipients:
                roll = rng.random()
                if roll < 0.25:
                    continue  # never answered
                statuses = (
                    ["accepted", "won"]
                    if roll < 0.5
                    else ["contacted"]
                    if roll < 0.7
                    else ["not_a_fit"]
                )
                at = clock.now + timedelta(hours=rng.uniform(0.5, 150))
                due.append((at, serial, lead, partner, statuses))
            if rng.random() < 0.3:  # attacks on the links: each must record nothing
                attack(web, signer, lead, recipients, clock, expected, rng)
    run_due(END)
    return expected


def attack(web: Visitor, signer: LinkSigner, lead: str, recipients: tuple[str, ...], clock: Clock,
           expected: Expected, rng: random.Random) -> None:  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": PUBLIC}
    outsider = (
        "brightside"
        if recipients == ("acme",)
        else "acme"
        if recipients == ("brightside",)
        else None
    )
    good, _ = signer.token(lead, recipients[0], clock.now)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    expired, _ = signer.token(lead, recipients[0], clock.now - timedelta(days=61))
    other = LinkSigner("someone-else-secret-0123456789", PUBLIC, timedelta(days=60)).token(
        lead, recipients[0], clock.now
    )[0]
    tries = {"forged": forged, "expired": expired, "other-secret": other}
    if outsider:
        tries["wrong-partner"] = signer.token(lead, outsider, clock.now)[0]
    kind = rng.choice(sorted(tries))
    status, _ = web.send(
        "POST", "/leads/outcome", urlencode({"token": tries[kind], "status": "won"}), **headers
    )
    assert status in (400, 403, 404, 410), (kind, status)
    expected.refused[kind] += 1
    body = json.dumps({"partner": recipients[0], "status": "won"})
    crm = web.send(
        "POST", f"/leads/{lead}/outcomes", body, **{**CRM, "Authorization": "Bearer wrong-0123"}
    )
    assert crm[0] == 401
    expected.refused["crm-token"] += 1


# -- what the reports must say, counted from the script --------------------------------------------


def referred(info: dict[str, Any]) -> tuple[str, ...]:
    credited = info["credited"]
    return tuple(r for r in info["recipients"] if credited and r != credited)


def funnel_of(expected: Expected) -> dict[str, dict[str, int]]:
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for (partner, _, _), n in expected.arrivals.items():
        rows[partner]["arrivals"] += n
    for lead, info in expected.leads.items():
        for partner in info["recipients"]:
            route = "referred" if partner in referred(info) else "direct"
            state = expected.latest.get((lead, partner))
            rows[partner][f"received-{route}"] += 1
            rows[partner][f"accepted-{route}"] += state in ("accepted", "contacted", "won")
            rows[partner][f"won-{route}"] += state == "won"
    return {p: dict(c) for p, c in rows.items()}


def read_row(page: BeautifulSoup, table: str, partner: str) -> dict[str, str]:
    tr = page.select_one(f'#{table} tr[data-partner="{partner}"]')
    assert tr is not None, (table, partner)
    return {str(td["data-count"]): td.get_text() for td in tr.select("td[data-count]")}


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


def test_ninety_days_land_on_the_right_partners_and_the_reports_agree(
    db_url: str, tmp_path: Path
) -> None:
    clock = Clock()
    with receiver(db_url, clock) as port:
        expected = play(port, clock, seed=13)
    assert len(expected.leads) > 60 and expected.spam and sum(expected.arrivals.values()) > 100
    assert set(expected.refused) >= {"forged", "expired", "crm-token"}
    out = tmp_path / "report"
    hub = str(mini_hub_json())
    assert (
        main(
            [
                "leads",
                "report",
                "--db",
                db_url,
                "--hub",
                hub,
                "--month",
                "2026-07",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")

    # The funnel, referred and direct apart: every lead and outcome on its partner and role.
    funnel = funnel_of(expected)
    for partner in ("acme", "brightside"):
        shown = read_row(page, "funnel", partner)
        for key, value in funnel[partner].items():
            assert int(shown[key]) == value, (partner, key)
    total = len(expected.leads)
    assert f"{total} leads" in page.select_one(".totals").get_text()
    assert f"{expected.spam} spam" in page.select_one(".totals").get_text()

    # Reciprocity over six months (the whole script is inside the window).
    sent: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for info in expected.leads.values():
        if referred(info):
            sent[info["credited"]] += 1
            taken.update(referred(info))
    for partner in ("acme", "brightside"):
        row = read_row(page, "reciprocity", partner)
        assert (int(row["sent"]), int(row["received"])) == (sent[partner], taken[partner])

    # Response times: answered leads and the median wait to the first answer.
    for partner in ("acme", "brightside"):
        waits = [
            (expected.first[(lead, partner)] - info["created"]).total_seconds() / 3600
            for lead, info in expected.leads.items()
            if partner in info["recipients"] and (lead, partner) in expected.first
        ]
        received = sum(partner in info["recipients"] for info in expected.leads.values())
        row = read_row(page, "responses", partner)
        assert (int(row["received"]), int(row["answered"])) == (received, len(waits))
        cell = page.select_one(f'#responses tr[data-partner="{partner}"] td[data-hours]')
        assert cell is not None and float(cell["data-hours"]) == pytest.approx(
            statistics.median(waits), abs=0.01
        )

    # Unanswered for more than three days at the end of July, named, oldest first.
    as_of = AS_OF.astimezone(UTC)
    unanswered = sorted(
        (info["created"], lead, partner)
        for lead, info in expected.leads.items()
        for partner in info["recipients"]
        if (lead, partner) not in expected.first and info["created"] <= as_of - timedelta(days=3)
    )
    assert 0 < len(unanswered) <= 200
    listed = [(str(tr["data-lead"]), str(tr["data-partner"]), int(tr.select_one('td[data-count="age"]').get_text()))
              for tr in page.select("#unanswered tbody tr")]  # fmt: skip
    assert listed == [
        (lead, partner, (as_of - created).days) for created, lead, partner in unanswered
    ]

    # Each partner's July: arrivals by channel, leads received and referred, thanks.
    for partner in ("acme", "brightside"):
        report = BeautifulSoup(
            (out / "2026-07" / f"{partner}.html").read_text(encoding="utf-8"), "html.parser"
        )
        channels: Counter[str] = Counter()
        for (slug, channel, day), n in expected.arrivals.items():
            if slug == partner and day.startswith("2026-07"):
                channels[channel] += n
        shown = {
            str(tr["data-channel"]): int(tr.td.get_text())
            for tr in report.select("#arrivals tbody tr")
        }
        assert {c: n for c, n in shown.items() if n} == dict(channels)
        july = {
            lead: info for lead, info in expected.leads.items() if JULY <= info["created"] < AS_OF
        }
        received = [lead for lead, info in july.items() if partner in info["recipients"]]
        figures = {
            str(li["data-count"]): int(li.strong.get_text()) for li in report.select("#figures li")
        }
        thanks = sum(
            1
            for lead, info in expected.leads.items()
            if info["credited"] == partner and referred(info)
            and any(JULY <= expected.won_at.get((lead, r), AS_OF) < AS_OF for r in referred(info))
        )  # fmt: skip
        assert figures == {
            "arrivals": sum(channels.values()),
            "received": len(received),
            "accepted": sum(
                expected.latest.get((lead, partner)) in ("accepted", "contacted", "won")
                for lead in received
            ),
            "won": sum(expected.latest.get((lead, partner)) == "won" for lead in received),
            "sent": sum(
                1 for info in july.values() if info["credited"] == partner and referred(info)
            ),
            "thanks": thanks,
        }, partner
        assert [str(tr["data-lead"]) for tr in report.select("#received tbody tr")] == received
        became = {
            (str(tr["data-lead"]), str(span["data-partner"])): str(span["data-state"])
            for tr in report.select("#sent tbody tr")
            for span in tr.select("span[data-state]")
        }
        assert became == {
            (lead, r): expected.latest.get((lead, r), "")
            for lead, info in july.items()
            if info["credited"] == partner
            for r in referred(info)
        }

    # The CLI records an outcome now; a report up to now counts it.
    lead, partner = next((lead, p) for _, lead, p in unanswered)
    assert (
        main(
            [
                "leads",
                "outcome",
                lead,
                "--partner",
                partner,
                "--status",
                "won",
                "--db",
                db_url,
                "--hub",
                hub,
            ]
        )
        == 0
    )
    now_out = tmp_path / "now"
    assert main(["leads", "report", "--db", db_url, "--hub", hub, "--out", str(now_out)]) == 0
    later = BeautifulSoup((now_out / "index.html").read_text(encoding="utf-8"), "html.parser")
    route = "referred" if partner in referred(expected.leads[lead]) else "direct"
    assert (
        int(read_row(later, "funnel", partner)[f"won-{route}"])
        == funnel[partner].get(f"won-{route}", 0) + 1
    )
    assert lead not in [tr["data-lead"] for tr in later.select("#unanswered tbody tr")]
