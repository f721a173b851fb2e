"""The receiver as a real process: uvicorn on 127.0.0.1, real sockets, and kill -9 mid-burst."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from leadkit import BACKENDS, ORIGIN, ReceiverProcess, article_post, database, encode, mini_hub_json

from hubgen.leads.store import open_store

BURST = 200
RETRY_FOR = 60.0


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def receiver(db_url: str) -> Iterator[ReceiverProcess]:
    process = ReceiverProcess(db_url, mini_hub_json(), None, "--rate-limit", "0")
    process.start()
    yield process
    process.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def send(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url + "/leads", data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_real_post_over_loopback(receiver: ReceiverProcess, db_url: str) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN}
    status, _, body = send(
        receiver.url, encode(article_post()), {**form, "Accept": "application/json"}
    )
    assert status == 201
    lead_id = json.loads(body)["id"]
    status, headers, _ = send(
        receiver.url, encode(article_post(message="No JavaScript here")), form
    )
    assert status == 303 and headers["location"] == "https://mini.example/thanks/"
    store = open_store(db_url)
    assert store.get(lead_id) is not None and len(store.leads()) == 2
    store.close()


def test_an_oversized_post_is_refused_before_its_body_arrives(receiver: ReceiverProcess) -> None:
    # Not one byte of the body is ever sent: a receiver that waited for it would never answer,
    # and recv would raise TimeoutError instead (no wall-clock bound, so a slow host can't fail it).
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=30) as sock:
        sock.sendall(
            b"POST /leads HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n"
        )  # and not one byte of the promised 10 MB
        received = b""
        while chunk := sock.recv(4096):  # the receiver closes the connection after answering
            received += chunk
        answer = received.decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "16 KiB at most" in answer


def test_acknowledged_leads_survive_kill_9_during_a_burst(db_url: str) -> None:
    """200 concurrent submissions with client retries while the receiver is SIGKILLed and restarted:
    every acknowledged lead is stored, and none twice."""
    process = ReceiverProcess(db_url, mini_hub_json(), None, "--rate-limit", "0", "--no-worker")
    process.start()
    acknowledged: dict[str, str] = {}
    interrupted: list[int] = []
    lock = threading.Lock()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "Origin": ORIGIN,
    }

    def submit(n: int) -> None:
        key = f"fault-{uuid.uuid4().hex}"
        body = encode(article_post(idempotency_key=key, message=f"Question number {n}"))
        deadline = time.monotonic() + RETRY_FOR
        while time.monotonic() < deadline:
            try:
                status, _, answer = send(process.url, body, headers)
            except (OSError, http.client.HTTPException):  # URLError, resets, cut-off answers
                interrupted.append(n)
                time.sleep(0.05)  # the receiver is down: a client retries with the same key
                continue
            if status in (200, 201):
                with lock:
                    previous = acknowledged.setdefault(key, json.loads(answer)["id"])
                assert previous == json.loads(answer)["id"], "a retry got a different lead id"
                return
            time.sleep(0.05)
        raise AssertionError(f"submission {n} was never acknowledged")

    def killer() -> None:
        for round_ in (1, 2):
            while True:  # wait until part of the burst has been acknowledged
                with lock:
                    if len(acknowledged) >= 40 * round_:
                        break
                time.sleep(0.005)
            process.kill()
            time.sleep(0.3)
            process.start()

    chaos = threading.Thread(target=killer)
    chaos.start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            for future in [pool.submit(submit, n) for n in range(BURST)]:
                future.result()
        chaos.join(timeout=60)
    finally:
        process.stop()
    assert len(acknowledged) == BURST
    assert interrupted, "the kills never interrupted a submission"
    store = open_store(db_url)
    leads = store.leads()
    store.close()
    stored_ids = [lead.id for lead in leads]
    assert len(stored_ids) == len(set(stored_ids)) == BURST  # none twice, none extra
    assert set(acknowledged.values()) == set(stored_ids)  # every acknowledged lead is there
    messages = sorted(lead.fields["message"] for lead in leads)
    assert messages == sorted(f"Question number {n}" for n in range(BURST))
