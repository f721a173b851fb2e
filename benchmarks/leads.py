"""How many leads per second the receiver stores with durable commits (not a timed test).

    .venv/bin/python benchmarks/leads.py [--requests 2000] [--clients 32] [--postgres URL]

Starts ``hubgen leads serve`` (one uvicorn process) on 127.0.0.1 for SQLite, and for PostgreSQL
when a URL is given (or HUBGEN_TEST_POSTGRES_URL is set; a throwaway database is created and
dropped), posts a bounded number of valid JSON submissions from keep-alive client threads,
checks that every acknowledged lead is in the store, and prints the rate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

# Run as a script: the repository (the benchmarks package) and tests/ (leadkit) on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from leadkit import ReceiverProcess, article_post, mini_hub_json

from benchmarks.stores import SKIPPED, each_store
from hubgen.leads.store import open_store

HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
    "Origin": "https://mini.example",
}


def run(db_url: str, requests: int, clients: int) -> tuple[float, int]:
    receiver = ReceiverProcess(db_url, mini_hub_json(), None, "--rate-limit", "0", "--no-worker")
    receiver.start()
    ids: list[str] = []
    lock = threading.Lock()
    per_client = requests // clients
    barrier = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=30)
        bodies = [
            urlencode(article_post(idempotency_key=uuid.uuid4().hex, message=f"Benchmark {n}-{i}"))
            for i in range(per_client)
        ]
        barrier.wait()
        for body in bodies:
            conn.request("POST", "/leads", body=body, headers=HEADERS)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 201:
                raise SystemExit(f"unexpected {response.status}: {answer!r}")
            with lock:
                ids.append(json.loads(answer)["id"])
        conn.close()

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
    stored = {lead.id for lead in store.leads()}
    store.close()
    missing = set(ids) - stored
    if missing or len(ids) != per_client * clients:
        raise SystemExit(f"{len(missing)} acknowledged leads missing from the store")
    return len(ids) / elapsed, len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", default=os.environ.get("HUBGEN_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs; {args.requests} posts from {args.clients} keep-alive clients; one uvicorn process"
    )

    for opened in each_store(args.postgres):
        with opened as store:
            rate, count = run(store.url, args.requests, args.clients)
            print(f"{store.label}: {rate:7.0f} leads/s ({count} stored, all acknowledged)")
    if not args.postgres:
        print(SKIPPED)


if __name__ == "__main__":
    main()
