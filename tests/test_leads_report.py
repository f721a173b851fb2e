"""The organiser's report and the partners' monthly reports (``hubgen leads report``).

A month of leads, outcomes and arrivals with known times is stored on SQLite and PostgreSQL; the
report is written through the real CLI and its figures are read back from the HTML. Expected
figures are written out by hand from the scenario below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup, Tag
from hostilehub import MARKER, hostile
from leadkit import BACKENDS, article_post, database, encode, mini_manifest, mini_registry

from hubgen.cli import main
from hubgen.leads.arrivals import Arrival
from hubgen.leads.models import NewLead, OutcomeSource, new_lead
from hubgen.leads.outcomes import new_outcome
from hubgen.leads.report_figures import Light, hours_text, light
from hubgen.leads.reportfacts import month_bounds, months_back
from hubgen.leads.routing import route
from hubgen.leads.store import open_store
from hubgen.leads.submission import parse_urlencoded, validate

REGISTRY = mini_registry()
LONDON = ZoneInfo("Europe/London")
# --month 2026-06 counts up to 1 July 00:00 in the hub's time zone (BST), 30 June 23:00 UTC.
AS_OF = datetime(2026, 7, 1, tzinfo=LONDON)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


def make(when: datetime, key: str, **overrides: str) -> NewLead:
    sub = validate(
        parse_urlencoded(encode(article_post(idempotency_key=key, **overrides))), REGISTRY
    )
    return new_lead(sub, route(sub, REGISTRY), when, lambda s: (), referral_notices=lambda s: True)


# The scenario: who sent whom what, and what the recipients reported.
LEADS = {
    "L1": make(at(6, 2), "s-000000001", last_ref="brightside"),  # brightside → acme
    "L2": make(at(6, 5), "s-000000002", last_ref="brightside", message="2"),  # brightside → acme
    "L3": make(at(6, 10), "s-000000003", page="articles/hiring-right/", last_ref="acme-ref"),
    # ↑ acme's link on a co-written article: referred to brightside, direct to acme
    "L4": make(at(6, 20), "s-000000004", form_id="partner", page="partners/brightside/"),
    "L5": make(at(6, 28), "s-000000005", message="5"),  # direct to acme, 2 days old at AS_OF
    "L6": make(at(5, 15), "s-000000006", last_ref="brightside", message="6"),
    "L7": make(at(11, 1, year=2025), "s-000000007", last_ref="brightside", message="7"),
    "spam": make(at(6, 3), "s-000000008", website="spam"),
}
OUTCOMES = [
    ("L1", "acme", "accepted", at(6, 2, 14)),  # answered in 4 h
    ("L1", "acme", "won", at(6, 12)),  # thanks brightside in June
    ("L2", "acme", "contacted", at(6, 5, 20)),  # 10 h
    ("L3", "brightside", "not_a_fit", at(6, 11)),  # 24 h; acme never answers L3
    ("L6", "acme", "won", at(5, 20)),  # 120 h, a thanks in May
    ("L5", "acme", "accepted", at(7, 3)),  # after the month: not counted in June's report
]
ARRIVALS = [
    *[Arrival(date(2026, 6, 3), "brightside", "", "link")] * 3,
    *[Arrival(date(2026, 6, 4), "brightside", "articles/cash/", "qr")] * 2,
    Arrival(date(2026, 6, 30), "acme", "", "feed"),
    *[Arrival(date(2026, 5, 9), "brightside", "", "email")] * 4,
    Arrival(date(2026, 7, 1), "brightside", "", "link"),  # July: after the report
]


def seed(db_url: str) -> dict[str, str]:
    store = open_store(db_url)
    try:
        store.save(list(LEADS.values()))
        for name, partner, status, when in OUTCOMES:
            lead = LEADS[name].lead
            assert store.record_outcome(
                new_outcome(lead, partner, status, None, OutcomeSource.CLI, when)
            ).recorded
        store.count_arrivals(ARRIVALS)
    finally:
        store.close()
    return {name: item.lead.id for name, item in LEADS.items()}


def report(db_url: str, out: Path, *extra: str, hub: Path | None = None) -> int:
    from leadkit import mini_hub_json

    return main(["leads", "report", "--db", db_url, "--hub", str(hub or mini_hub_json()),
                 "--out", str(out), *extra])  # fmt: skip


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def cells(page: BeautifulSoup, table: str, key: str = "data-partner") -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for tr in page.select(f"#{table} tbody tr[{key}]"):
        rows[str(tr[key])] = {
            str(td.get("data-count") or td.get("data-light") or ""): td.get_text()
            for td in tr.select("td")
        }
    return rows


def test_traffic_light_rule_and_wait_words() -> None:
    assert [light(s, r) for s, r in ((2, 4), (1, 3), (0, 5), (0, 0), (1, 0))] == [
        Light.GIVES, Light.GIVES_LESS, Light.ONLY_TAKES, Light.SILENT, Light.GIVES,
    ]  # fmt: skip
    assert [hours_text(h) for h in (None, 0.25, 5, 10.5, 72)] == [
        "–",
        "15 min",
        "5 h",
        "10.5 h",
        "3 days",
    ]
    assert month_bounds("2026-12", LONDON)[1] == datetime(2027, 1, 1, tzinfo=LONDON)
    assert months_back(datetime(2026, 8, 31, tzinfo=UTC), 6) == datetime(2026, 2, 28, tzinfo=UTC)
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds("2026-13", LONDON)


def test_organiser_report_reciprocity_responses_unanswered_and_funnel(
    db_url: str, tmp_path: Path
) -> None:
    ids = seed(db_url)
    out = tmp_path / "report"
    assert report(db_url, out, "--month", "2026-06") == 0
    page = soup_of(out / "index.html")

    # Rolling six months to 1 July: L7 (November) is out; L6 (May) is in.
    assert cells(page, "reciprocity") == {
        "acme": {"sent": "1", "received": "3", "balance": "-2", "amber": "Gives less than it gets"},
        "brightside": {"sent": "3", "received": "1", "balance": "+2", "green": "Gives"},
    }
    rule = page.select_one("#light-rule")
    assert rule is not None and "at least half as many" in rule.get_text()

    responses = cells(page, "responses")
    assert responses["acme"]["received"] == "5" and responses["acme"]["answered"] == "3"
    assert responses["brightside"]["received"] == "2" and responses["brightside"]["answered"] == "1"
    hours = {
        str(tr["data-partner"]): tr.select_one("td[data-hours]")
        for tr in page.select("#responses tbody tr")
    }
    assert (
        hours["acme"] is not None and hours["acme"]["data-hours"] == "10.00"
    )  # median of 4, 10, 120
    assert hours["brightside"] is not None and hours["brightside"].get_text() == "24 h"

    as_of_utc = AS_OF.astimezone(UTC)
    expected = [
        (ids["L7"], "acme", (as_of_utc - at(11, 1, year=2025)).days),
        (ids["L3"], "acme", (as_of_utc - at(6, 10)).days),
        (ids["L4"], "brightside", (as_of_utc - at(6, 20)).days),
    ]
    listed = [
        (
            str(tr["data-lead"]),
            str(tr["data-partner"]),
            int(tr.select_one('td[data-count="age"]').get_text()),
        )
        for tr in page.select("#unanswered tbody tr")
    ]
    assert listed == expected and expected[1][2] == 20
    assert "Acme Accounting" in page.select("#unanswered tbody tr")[0].get_text()
    assert page.select_one("#unanswered-total").get_text().startswith("3 leads")

    funnel = cells(page, "funnel")
    assert {k: funnel["acme"][k] for k in ("arrivals", "received", "received-referred", "received-direct",
                                          "accepted", "accepted-referred", "won", "won-referred")} == {
        "arrivals": "1", "received": "6", "received-referred": "4", "received-direct": "2",
        "accepted": "3", "accepted-referred": "3", "won": "2", "won-referred": "2",
    }  # fmt: skip
    assert funnel["brightside"]["arrivals"] == "9"  # June's 5 and May's 4; July's not yet
    assert (funnel["brightside"]["received-referred"], funnel["brightside"]["received-direct"]) == (
        "1",
        "1",
    )
    assert funnel["brightside"]["accepted"] == "0"  # not a fit
    rates = {
        str(td["data-rate"]): td.get_text()
        for td in page.select('#funnel tr[data-partner="acme"] td[data-rate]')
    }
    assert rates == {"won-referred": "50 %", "won-direct": "0 %"}  # 2 of 4, 0 of 2
    assert (
        "7 leads" in page.select_one(".totals").get_text()
        and "1 spam" in page.select_one(".totals").get_text()
    )
    assert_inert(page, allowed_images={"partners.svg", "matrix.svg", "over-time.svg"})


def assert_inert(
    page: BeautifulSoup, allowed_images: set[str] | frozenset[str] = frozenset()
) -> None:
    """No script, no handler, nothing fetched but the report's own charts; a strict CSP."""
    assert page.select("script, iframe, object, embed, link, base, form") == []
    for element in page.find_all(True):
        assert isinstance(element, Tag)
        assert not any(name.lower().startswith("on") for name in element.attrs), element
        assert "style" not in element.attrs, element.name
    assert {str(img["src"]) for img in page.select("img")} <= allowed_images
    policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert policy is not None and policy["content"].startswith(
        "default-src 'none'; img-src 'self'; style-src 'sha256-"
    )


def test_monthly_partner_reports(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed(db_url)
    out = tmp_path / "report"
    assert report(db_url, out, "--month", "2026-06") == 0
    assert sorted(p.name for p in (out / "2026-06").iterdir()) == ["acme.html", "brightside.html"]

    bright = soup_of(out / "2026-06" / "brightside.html")
    assert (
        bright.title is not None
        and bright.title.get_text() == "Brightside Law: 2026-06 at Mini Hub"
    )
    figures = {
        str(li["data-count"]): int(li.strong.get_text()) for li in bright.select("#figures li")
    }
    assert figures == {
        "arrivals": 5,
        "received": 2,
        "accepted": 0,
        "won": 0,
        "sent": 2,
        "thanks": 1,
    }
    assert {
        str(tr["data-channel"]): tr.td.get_text() for tr in bright.select("#arrivals tbody tr")
    } == {"link": "3", "qr": "2"}
    assert [tr.td.get_text() for tr in bright.select("#pages tbody tr")] == ["/", "articles/cash/"]
    counts = {
        str(s["data-count"]): s.get_text() for s in bright.select("#received-counts [data-count]")
    }
    assert counts == {
        "referred": "1",
        "direct": "1",
        "via-articles": "1",
        "accepted": "0",
        "won": "0",
    }
    assert [tr["data-lead"] for tr in bright.select("#received tbody tr")] == [ids["L3"], ids["L4"]]
    assert "referred by Acme Accounting" in bright.select("#received tbody tr")[0].get_text()
    assert [tr["data-lead"] for tr in bright.select("#sent tbody tr")] == [ids["L1"], ids["L2"]]
    became = {
        (str(tr["data-lead"]), str(span["data-partner"])): str(span["data-state"])
        for tr in bright.select("#sent tbody tr")
        for span in tr.select("span[data-state]")
    }
    assert became == {(ids["L1"], "acme"): "won", (ids["L2"], "acme"): "contacted"}
    [thanks] = bright.select("#thanks li")
    assert (
        thanks["data-lead"] == ids["L1"]
        and "client of Acme Accounting on 2026-06-12" in thanks.get_text()
    )
    balance = bright.select_one("#balance")
    assert balance is not None and balance["data-light"] == "green"
    assert [s.get_text() for s in balance.select("[data-count]")] == ["3", "1"]
    svg = bright.select_one("svg.chart")
    assert svg is not None and "Visits by channel" in svg.get_text()
    assert_inert(bright)

    acme = soup_of(out / "2026-06" / "acme.html")
    figures = {
        str(li["data-count"]): int(li.strong.get_text()) for li in acme.select("#figures li")
    }
    # L5 was accepted on 3 July: June's report does not know it yet.
    assert figures == {
        "arrivals": 1,
        "received": 4,
        "accepted": 2,
        "won": 1,
        "sent": 1,
        "thanks": 0,
    }
    counts = {
        str(s["data-count"]): s.get_text() for s in acme.select("#received-counts [data-count]")
    }
    assert counts == {
        "referred": "2",
        "direct": "2",
        "via-articles": "4",
        "accepted": "2",
        "won": "1",
    }
    assert acme.select_one("#balance")["data-light"] == "amber"
    assert "None this month" in acme.select_one("#thanks").get_text()

    # --partner writes that partner's file only, and no organiser report.
    capsys.readouterr()
    only = tmp_path / "only"
    assert report(db_url, only, "--month", "2026-06", "--partner", "acme") == 0
    assert [p.relative_to(only).as_posix() for p in only.rglob("*") if p.is_file()] == [
        "2026-06/acme.html"
    ]
    assert report(db_url, only, "--month", "2026-6x") == 2
    assert report(db_url, only, "--month", "2026-06", "--partner", "nobody") == 2
    assert "--partner: no partner nobody" in capsys.readouterr().err


def test_partner_reports_stay_under_100_kb_on_a_busy_month(db_url: str, tmp_path: Path) -> None:
    leads = [
        make(at(6, 1 + n % 29, n % 24), f"busy-{n:08}", last_ref="brightside", message=f"m{n}")
        for n in range(1500)
    ] + [
        make(at(6, 1 + n % 29, n % 24), f"back-{n:08}", page="articles/hiring-right/",
             last_ref="acme-ref", message=f"b{n}")
        for n in range(1500)
    ]  # fmt: skip
    store = open_store(db_url)
    try:
        store.save(leads)
        for n, item in enumerate(leads[:800]):
            outcome = new_outcome(
                item.lead, "acme", "won", None, OutcomeSource.CLI, at(6, 29, n % 24)
            )
            store.record_outcome(outcome)
        pages = [
            "",
            "articles/cash/",
            "articles/hiring-right/",
            "articles/tax-basics/",
            "partners/acme/",
        ]
        store.count_arrivals([
            Arrival(date(2026, 6, 1 + n % 30), slug, pages[n % 5], channel)
            for n in range(3000) for slug in ("acme", "brightside")
            for channel in ("link", "feed", "email", "qr", "social", "other")[: 1 + n % 6]
        ])  # fmt: skip
    finally:
        store.close()
    out = tmp_path / "report"
    assert report(db_url, out, "--month", "2026-06") == 0
    for path in (out / "2026-06").iterdir():
        size = path.stat().st_size
        assert size <= 100 * 1024, (path.name, size)
        page = soup_of(path)
        figures = {
            str(li["data-count"]): int(li.strong.get_text()) for li in page.select("#figures li")
        }
        assert figures["received"] in (1500, 3000)  # counts stay whole; only the lists are capped
        assert len(page.select("#received tbody tr")) == 60
    bright = soup_of(out / "2026-06" / "brightside.html")
    assert {
        str(li["data-count"]): int(li.strong.get_text()) for li in bright.select("#figures li")
    }["thanks"] == 800


def hostile_hub(tmp_path: Path) -> Path:
    data: dict[str, Any] = mini_manifest()
    data["site"]["name"] = hostile("Hub", 0)
    for n, partner in enumerate(data["partners"]):
        partner["name"] = hostile(partner["name"], n + 1)
    path = tmp_path / "hub.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_hostile_names_and_stored_strings_stay_text_in_every_report(
    db_url: str, tmp_path: Path
) -> None:
    ids = seed(db_url)
    evil = '"><img src=x onerror=hg_pwned()>'
    base = make(at(6, 6), "s-evil-0001", last_ref="brightside", message="evil").lead
    # Stored strings, whatever wrote them: a partner slug and a lead id hub.json never had.
    odd = replace(base, id=f"id-{evil}", credited_partner=evil, recipients=("acme", evil))
    store = open_store(db_url)
    try:
        store.save([NewLead(odd, "c:evil-key", None, ())])
        store.count_arrivals([Arrival(date(2026, 6, 7), evil, evil, "link")])
    finally:
        store.close()
    hub = hostile_hub(tmp_path)
    out = tmp_path / "report"
    assert report(db_url, out, "--month", "2026-06", hub=hub) == 0
    names = {p["slug"]: p["name"] for p in json.loads(hub.read_text())["partners"]}
    files = sorted((out / "2026-06").iterdir())
    assert [f.name for f in files if not f.name.startswith("partner-")] == [
        "acme.html",
        "brightside.html",
    ]
    assert len(files) == 3  # the odd slug gets a digest for a file name, inside the folder
    for path in [out / "index.html", *files]:
        html = path.read_text(encoding="utf-8")
        assert MARKER not in html.replace("hg_pwned()", "")  # only ever inside escaped text
        page = BeautifulSoup(html, "html.parser")
        assert_inert(page, allowed_images={"partners.svg", "matrix.svg", "over-time.svg"})
        assert page.title is not None and hostile("Hub", 0) in page.title.get_text()
    index = soup_of(out / "index.html")
    row = index.select_one('#reciprocity tr[data-partner="acme"] th')
    assert row is not None and row.get_text() == names["acme"]
    assert evil in index.select_one("#funnel").get_text()
    assert f"id-{evil}" in [str(tr["data-lead"]) for tr in index.select("#unanswered tbody tr")]
    acme = soup_of(out / "2026-06" / "acme.html")
    assert f"referred by {evil}" in acme.select_one("#received").get_text()
    assert ids["L1"] in [str(tr["data-lead"]) for tr in acme.select("#received tbody tr")]


def test_partner_without_month_writes_the_last_whole_month(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    before = f"{months_back(datetime.now(LONDON), 1):%Y-%m}"
    assert report(db_url, tmp_path / "out", "--partner", "brightside") == 0
    after = f"{months_back(datetime.now(LONDON), 1):%Y-%m}"
    written = [
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.html")
    ]
    assert written in ([f"{before}/brightside.html"], [f"{after}/brightside.html"])
