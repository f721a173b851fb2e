"""``hubgen leads`` export, purge, erase, report and deliver through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from leadkit import (
    BACKENDS,
    WebhookSink,
    article_post,
    database,
    encode,
    mini_hub_json,
    mini_registry,
)

from hubgen.cli import main
from hubgen.leads.export import safe_cell, to_csv
from hubgen.leads.models import NewLead, new_lead
from hubgen.leads.report import summarize
from hubgen.leads.routing import route
from hubgen.leads.store import open_store
from hubgen.leads.submission import parse_urlencoded, validate

REGISTRY = mini_registry()
NOW = datetime.now(UTC)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


def make(at: datetime = NOW, channels: tuple[str, ...] = (), **overrides: str) -> NewLead:
    sub = validate(parse_urlencoded(encode(article_post(**overrides))), REGISTRY)
    return new_lead(
        sub, route(sub, REGISTRY), at, lambda s: channels, referral_notices=lambda s: True
    )


def seed(db_url: str, *items: NewLead) -> None:
    store = open_store(db_url)
    store.save(list(items))
    store.close()


def test_csv_cells_that_look_like_formulas_stay_text(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, make(name="=HYPERLINK(\"http://evil.example\",\"click\")", message="+1 555 0100",
                      phone="-2", utm_source="@import"))  # fmt: skip
    assert main(["leads", "export", "--db", db_url]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (
        row["message"] == "'+1 555 0100"
        and row["phone"] == "'-2"
        and row["utm_source"] == "'@import"
    )
    assert row["email"] == "dana@visitor.example" and row["recipients"] == "acme"
    assert [safe_cell(v) for v in ("\tx", "\rx", "ok", "")] == ["'\tx", "'\rx", "ok", ""]


def test_export_filters_by_partner_and_writes_json(db_url: str, tmp_path: Path) -> None:
    seed(db_url, make(idempotency_key="to-acme-0001"),
         make(form_id="partner", page="partners/brightside/", idempotency_key="to-bright-001"),
         make(website="spam", idempotency_key="spam-00000001"))  # fmt: skip
    out = tmp_path / "brightside.json"
    assert (
        main(
            [
                "leads",
                "export",
                "--db",
                db_url,
                "--partner",
                "brightside",
                "--format",
                "json",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    [lead] = json.loads(out.read_text())
    assert lead["recipients"] == ["brightside"] and lead["form"] == "partner"
    csv_out = tmp_path / "all.csv"
    assert main(["leads", "export", "--db", db_url, "--out", str(csv_out)]) == 0
    assert len(list(csv.DictReader(io.StringIO(csv_out.read_text())))) == 2  # no spam by default
    assert main(["leads", "export", "--db", db_url, "--include-spam", "--out", str(csv_out)]) == 0
    assert len(list(csv.DictReader(io.StringIO(csv_out.read_text())))) == 3


def test_purge_and_erase(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_url, make(at=NOW - timedelta(days=40), idempotency_key="old-one-0001"),
         make(idempotency_key="new-one-0001", email="Erase.Me@Example.com"),
         make(idempotency_key="new-two-0001"))  # fmt: skip
    assert main(["leads", "purge", "--db", db_url, "--older-than", "30"]) == 0
    assert main(["leads", "erase", "--db", db_url, "--email", "erase.me@example.COM"]) == 0
    out = capsys.readouterr().out
    assert (
        "purged 1 lead older than 30 days" in out
        and "erased 1 lead from erase.me@example.com" in out
    )
    store = open_store(db_url)
    assert [lead.email for lead in store.leads()] == ["dana@visitor.example"]
    store.close()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leads", "export", "--db", "mysql://nope"]) == 2
    assert (
        main(["leads", "erase", "--db", f"sqlite:///{tmp_path}/x.db", "--email", "not-an-address"])
        == 2
    )
    assert main(["leads", "purge", "--db", f"sqlite:///{tmp_path}/x.db", "--older-than", "-1"]) == 2
    assert (
        main(
            [
                "leads",
                "deliver",
                "--once",
                "--db",
                f"sqlite:///{tmp_path}/x.db",
                "--hub",
                str(tmp_path / "none"),
            ]
        )
        == 2
    )
    with pytest.raises(SystemExit) as missing:
        main(["leads", "purge"])
    assert missing.value.code == 2
    assert (
        "Expected a database URL starting with sqlite:// or postgresql://"
        in capsys.readouterr().err
    )


def test_deliver_once_exits_1_while_a_partner_is_down(db_url: str, tmp_path: Path) -> None:
    with WebhookSink() as hook:
        config = tmp_path / "delivery.toml"
        config.write_text(
            f'[partners.acme]\nwebhook = "{hook.url}"\nwebhook_secret = "0123456789abcdef0123"\n'
        )
        seed(db_url, make(channels=("webhook",)))
        args = [
            "leads",
            "deliver",
            "--once",
            "--db",
            db_url,
            "--hub",
            str(mini_hub_json()),
            "--delivery",
            str(config),
        ]
        hook.down = True
        assert main(args) == 1
        store = open_store(db_url)
        [row] = store.outbox()
        assert row["status"] == "pending" and "HTTP 503" in row["last_error"]  # kept for a retry
        store.close()
        hook.down = False
        seed(db_url, make(channels=("webhook",), idempotency_key="second-lead-1"))
        assert main(args) == 0  # the new lead goes out; the first waits for its backoff
        assert len(hook.accepted()) == 1


def test_report_counts_and_charts(db_url: str, tmp_path: Path) -> None:
    seed(
        db_url,
        make(last_ref="brightside", idempotency_key="r-0000000001"),  # brightside → acme
        make(
            last_ref="brightside", idempotency_key="r-0000000002", message="Another"
        ),  # brightside → acme
        make(
            page="articles/hiring-right/", last_ref="acme-ref", idempotency_key="r-0000000003"
        ),  # acme → both
        make(
            form_id="partner", page="partners/brightside/", idempotency_key="r-0000000004"
        ),  # brightside's own page, no touch: direct to brightside
        make(
            form_id="partner",
            page="partners/brightside/",
            last_ref="brightside",
            idempotency_key="r-0000000006",
        ),  # brightside's own link to its own page: direct too, not a referral
        make(website="spam", idempotency_key="r-0000000005"),
    )
    out = tmp_path / "report"
    assert (
        main(["leads", "report", "--db", db_url, "--hub", str(mini_hub_json()), "--out", str(out)])
        == 0
    )
    page = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    for img in page.select("img"):
        svg = out / img["src"]
        assert svg.is_file() and svg.read_text().lstrip().startswith("<?xml")
        assert "<svg" in svg.read_text()
    assert {img["src"] for img in page.select("img")} == {
        "partners.svg",
        "matrix.svg",
        "over-time.svg",
    }
    assert "Acme Accounting" in (out / "matrix.svg").read_text()  # text stays text in the SVG

    def count(partner: str, what: str) -> int:
        return int(
            page.select_one(
                f'#per-partner tr[data-partner="{partner}"] td[data-count="{what}"]'
            ).get_text()
        )

    columns = ("received", "received-referred", "received-direct", "referred", "authored")
    assert [count("acme", w) for w in columns] == [3, 2, 1, 1, 3]
    assert [count("brightside", w) for w in columns] == [3, 1, 2, 2, 1]
    cells = {
        (td["data-referrer"], td["data-recipient"]): int(td.get_text())
        for td in page.select("#matrix td[data-referrer]")
    }
    # Nobody refers to themselves: acme's link on its own co-written article credits acme for
    # brightside only, and brightside's own page (with or without its link) is direct.
    assert cells == {("acme", "brightside"): 1, ("brightside", "acme"): 2}
    assert "5 leads (2 without a referral between" in page.select_one(".totals").get_text()
    assert "1 spam" in page.select_one(".totals").get_text()


def test_summary_uses_weeks_for_long_periods() -> None:
    leads = [make(at=NOW - timedelta(days=d), idempotency_key=f"w-{d:010}").lead for d in (0, 200)]
    summary = summarize(leads, REGISTRY)
    assert summary.period == "week" and sum(n for _, n in summary.timeline) == 2
    assert to_csv([]).startswith("id,created_at,status,form,page,name,email")


def test_report_funnel_from_arrivals_to_won(db_url: str, tmp_path: Path) -> None:
    from hubgen.leads.arrivals import Arrival
    from hubgen.leads.models import OutcomeSource
    from hubgen.leads.outcomes import new_outcome

    to_acme = make(last_ref="brightside", idempotency_key="f-0000000001")
    corrected = make(last_ref="brightside", idempotency_key="f-0000000002", message="Another")
    to_both = make(
        page="articles/hiring-right/", last_ref="acme-ref", idempotency_key="f-0000000003"
    )
    spam = make(website="spam", idempotency_key="f-0000000004")
    seed(db_url, to_acme, corrected, to_both, spam)
    assert to_acme.lead.recipients == corrected.lead.recipients == ("acme",)
    assert set(to_both.lead.recipients) == {"acme", "brightside"}
    hostile = '<img src=x onerror="alert(1)">'  # a stored string, whatever wrote it
    today = NOW.date()
    store = open_store(db_url)
    try:
        reports = [
            (to_acme, "acme", "accepted"), (to_acme, "acme", "won"),
            (corrected, "acme", "won"), (corrected, "acme", "not_a_fit"),  # the latest counts
            (to_both, "brightside", "contacted"),  # contacting implies accepting
        ]  # fmt: skip
        for minutes, (item, partner, status) in enumerate(reports, start=1):
            at = NOW + timedelta(minutes=minutes)
            outcome = new_outcome(item.lead, partner, status, None, OutcomeSource.CLI, at)
            assert store.record_outcome(outcome).recorded
        store.count_arrivals(
            [Arrival(today, "brightside", "", "link"), Arrival(today, "brightside", "", "qr"),
             Arrival(today - timedelta(days=3), "brightside", "", "link"),
             Arrival(today, "acme", "", "feed"), Arrival(today, hostile, "", "link")]
        )  # fmt: skip
    finally:
        store.close()
    out = tmp_path / "report"
    hub = str(mini_hub_json())
    assert main(["leads", "report", "--db", db_url, "--hub", hub, "--out", str(out)]) == 0
    page = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    table = page.select_one("#funnel")
    assert table is not None
    columns = ("arrivals", "received", "accepted", "won")
    rows = {
        tr["data-partner"]: [
            int(tr.select_one(f'td[data-count="{c}"]').get_text()) for c in columns
        ]
        for tr in table.select("tbody tr")
    }
    assert rows["acme"] == [1, 3, 1, 1]
    assert rows["brightside"] == [3, 1, 1, 0]
    assert rows[hostile] == [1, 0, 0, 0]  # a slug hub.json no longer has: listed, as text
    assert table.select("img") == [] and hostile in table.get_text()
    names = [tr.th.get_text() for tr in table.select("tbody tr")]
    assert names[:2] == ["Acme Accounting", "Brightside Law"] and names[-1] == hostile
