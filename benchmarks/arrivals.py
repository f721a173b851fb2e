"""How many arrivals per second the receiver counts with durable commits (not a timed test).

    .venv/bin/python benchmarks/arrivals.py [--requests 5000] [--clients 32] [--postgres URL]

Starts ``hubgen leads serve`` (one uvicorn process, rate limits off) on 127.0.0.1 for SQLite, and
for PostgreSQL when a URL is given (or HUBGEN_TEST_POSTGRES_URL is set; a throwaway database is
created and dropped), posts a bounded number of beacons like the referral script's from
keep-alive client threads, spread over both partners, several pages and channels, then checks
that the counters add up to exactly the number of acknowledged arrivals (none lost, none
doubled) and prints the rate. The committer batches concurrent arrivals into one transaction.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

# Run as a script: the repository (the benchmarks package) and tests/ (leadkit) on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from leadkit import ReceiverProcess, mini_hub_json

from benchmarks.stores import SKIPPED, each_store
from hubgen.leads.store import open_store

HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://mini.example"}
CODES = ("acme-ref", "brightside")
PAGES = ("/", "/articles/cash/", "/articles/tax-basics/", "/partners/acme/", "/nowhere/")
MEDIA = ("referral", "qr", "email", "feed", "social")


def run(db_url: str, requests: int, clients: int) -> tuple[float, int]:
    receiver = ReceiverProcess(
        db_url, mini_hub_json(), None, "--rate-limit", "0", "--arrival-rate-limit", "0",
        "--no-worker",
    )  # fmt: skip
    receiver.start()
    acknowledged = 0
    lock = threading.Lock()
    per_client = requests // clients
    barrier = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        nonlocal acknowledged
        conn = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=30)
        bodies = [
            urlencode({
                "ref": CODES[(n + i) % len(CODES)],
                "landing": PAGES[i % len(PAGES)],
                "medium": MEDIA[(n * 7 + i) % len(MEDIA)],
            })
            for i in range(per_client)
        ]  # fmt: skip
        barrier.wait()
        done = 0
        for body in bodies:
            conn.request("POST", "/arrivals", body=body, headers=HEADERS)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 204:
                raise SystemExit(f"unexpected {response.status}: {answer!r}")
            done += 1
        conn.close()
        with lock:
            acknowledged += done

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    receiver.stop()
    store = open_store(db_url)
    counted = sum(a.count for a in store.arrivals())
    store.close()
    if counted != acknowledged or acknowledged != per_client * clients:
        raise SystemExit(f"{acknowledged} arrivals acknowledged but {counted} counted")
    return acknowledged / elapsed, acknowledged


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", default=os.environ.get("HUBGEN_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs; {args.requests} arrivals from {args.clients} keep-alive clients;"
        " one uvicorn process"
    )

    for opened in each_store(args.postgres):
        with opened as store:
            rate, count = run(store.url, args.requests, args.clients)
            print(f"{store.label}: {rate:7.0f} arrivals/s ({count} counted, all acknowledged)")
    if not args.postgres:
        print(SKIPPED)


if __name__ == "__main__":
    main()
