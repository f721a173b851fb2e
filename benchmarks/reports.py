"""How long the leads reports take on a big network (a measurement, not a timed test).

    .venv/bin/python -m benchmarks.reports [--partners 100] [--months 12] [--events 100000]
                                           [--postgres URL] [--seed 1]

Generates a deterministic network of ``--partners`` partners and ``--months`` months of
``--events`` events (60 % arrivals, 25 % leads, 15 % outcomes, referred and direct) into SQLite,
and into a throwaway PostgreSQL database when a URL is given (or HUBGEN_TEST_POSTGRES_URL is
set), then times ``hubgen leads report --month <last month>`` end to end in a fresh process:
the organiser's report and every partner's monthly report. Target: ≤ 5 s. Also prints the
largest partner report (bound: 100 KB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.stores import SKIPPED, each_store
from hubgen.leads.arrivals import CHANNELS, Arrival
from hubgen.leads.models import Lead, NewLead
from hubgen.leads.reportfacts import months_back
from hubgen.leads.store import open_store

TARGET_SECONDS = 5.0
SIZE_BOUND = 100 * 1024
END = datetime(2026, 12, 1, tzinfo=UTC)
"""The generated history ends here (a fixed date, so every run reports the same month)."""
STATUSES = ("accepted", "contacted", "won", "not_a_fit")


@dataclass(frozen=True)
class Dataset:
    hub: Path
    month: str
    leads: int
    outcomes: int
    arrivals: int


def manifest(partners: int, articles: int, rng: random.Random) -> dict[str, object]:
    slugs = [f"partner-{n:03}" for n in range(partners)]
    return {
        "site": {"name": "Benchmark Hub", "url": "https://bench.example/", "timezone": "UTC"},
        "partners": [
            {
                "slug": s,
                "name": f"Partner {n:03} & Co",
                "url": f"partners/{s}/",
                "referral_code": f"code-{n:03}",
            }
            for n, s in enumerate(slugs)
        ],
        "articles": [
            {"url": f"articles/a{n:04}/", "authors": rng.sample(slugs, 1 + (n % 3 == 0))}
            for n in range(articles)
        ],
        "forms": {"fields": {}, "required": {}},
    }


def generate(
    db_url: str, work: Path, partners: int, months: int, events: int, seed: int
) -> Dataset:
    rng = random.Random(seed)
    data = manifest(partners, partners * 3, rng)
    hub = work / "hub.json"
    hub.write_text(json.dumps(data), encoding="utf-8")
    slugs = [str(p["slug"]) for p in data["partners"]]  # type: ignore[attr-defined]
    articles = data["articles"]
    start = months_back(END, months)
    span = (END - start).total_seconds()
    n_leads, n_outcomes = events * 25 // 100, events * 15 // 100
    n_arrivals = events - n_leads - n_outcomes

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * span)

    leads: list[NewLead] = []
    for n in range(n_leads):
        article = articles[rng.randrange(len(articles))]  # type: ignore[index]
        recipients = tuple(article["authors"])
        credited = rng.choice(slugs) if rng.random() < 0.6 else None
        created = moment()
        lead = Lead(
            id=uuid.UUID(int=rng.getrandbits(128)).hex, created_at=created, status="new",
            form_id="article", page=article["url"], email=f"visitor{n}@example.org",
            fields={"name": f"Visitor {n}", "message": "Benchmark enquiry"},
            credited_partner=credited, last_partner=credited, authors=recipients,
            recipients=recipients, consent_version="bench",
        )  # fmt: skip
        leads.append(NewLead(lead, f"c:bench-{n}", None, ()))
    store = open_store(db_url)
    try:
        for chunk in range(0, len(leads), 5000):
            store.save(leads[chunk : chunk + 5000])
        # Outcomes in bulk, straight into the append-only table (the CLI and links add them one
        # by one; the report reads them the same way).
        rows = []
        for _ in range(n_outcomes):
            lead = leads[rng.randrange(len(leads))].lead
            when = min(lead.created_at + timedelta(hours=rng.expovariate(1 / 30)), END)
            rows.append((uuid.UUID(int=rng.getrandbits(128)).hex, lead.id, rng.choice(lead.recipients),
                         rng.choice(STATUSES), None, "cli", store._ts(when)))  # fmt: skip
        with store._transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany(
                store._sql(  # type: ignore[attr-defined]
                    "INSERT INTO hubgen_outcomes (id, lead_id, partner, status, value, source, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )
        pages = ["", *(str(a["url"]) for a in articles)]  # type: ignore[index]
        arrivals = [
            Arrival(moment().date(), rng.choice(slugs), rng.choice(pages), rng.choice(CHANNELS))
            for _ in range(n_arrivals)
        ]
        for chunk in range(0, len(arrivals), 10000):
            store.count_arrivals(arrivals[chunk : chunk + 10000])
    finally:
        store.close()
    last = date(END.year, END.month, 1) - timedelta(days=1)
    return Dataset(hub, f"{last:%Y-%m}", n_leads, n_outcomes, n_arrivals)


def time_report(db_url: str, data: Dataset, out: Path) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of ``hubgen leads report --month`` in a fresh process (the machine
    may be shared: CPU time says what the report itself cost), files, largest file."""
    command = [sys.executable, "-m", "hubgen", "leads", "report", "--db", db_url,
               "--hub", str(data.hub), "--month", data.month, "--out", str(out)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    files = list((out / data.month).glob("*.html"))
    return seconds, cpu, len(files), max((f.stat().st_size for f in files), default=0)


def measure(label: str, db_url: str, work: Path, args: argparse.Namespace) -> str:
    started = time.perf_counter()
    data = generate(db_url, work, args.partners, args.months, args.events, args.seed)
    made = time.perf_counter() - started
    seconds, cpu, files, largest = time_report(db_url, data, work / "report")
    verdict = "PASS" if seconds <= TARGET_SECONDS else "MISS"
    size = "PASS" if largest <= SIZE_BOUND else "MISS"
    return (
        f"{label}: {data.arrivals:,} arrivals, {data.leads:,} leads, {data.outcomes:,} outcomes "
        f"generated in {made:.1f} s\n"
        f"  {verdict} organiser report + {files} partner reports for {data.month}: "
        f"{seconds:.2f} s, {cpu:.2f} s CPU (target ≤ {TARGET_SECONDS:.0f} s, whole process)\n"
        f"  {size} largest partner report {largest / 1024:.1f} KB (bound 100 KB)"
    )


def run(args: argparse.Namespace) -> list[str]:
    lines = []
    for opened in each_store(args.postgres):
        with opened as store:
            lines.append(measure(store.name, store.url, store.work, args))
            print(lines[-1], flush=True)
    if not args.postgres:
        lines.append(SKIPPED)
        print(lines[-1])
    return lines


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="python -m benchmarks.reports",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("--partners", type=int, default=100)
    parse.add_argument("--months", type=int, default=12)
    parse.add_argument("--events", type=int, default=100_000)
    parse.add_argument("--seed", type=int, default=1)
    parse.add_argument("--postgres", default=os.environ.get("HUBGEN_TEST_POSTGRES_URL", ""))
    return parse


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    print(f"{os.cpu_count()} CPUs; {args.partners} partners, {args.months} months, "
          f"{args.events:,} events (seed {args.seed})", flush=True)  # fmt: skip
    run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
