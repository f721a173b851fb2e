"""Helpers for the lead receiver's tests: the fixture hub's hub.json, databases, servers.

Plain functions and context managers rather than conftest fixtures, so the receiver's tests
stay in their own files (each test module declares the few fixtures it needs).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from hubkit import mini_build

from hubgen.leads.registry import Registry, parse_registry

PG_ENV = "HUBGEN_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
ORIGIN = "https://mini.example"


def mini_hub_json() -> Path:
    """The fixture hub's hub.json, from the build shared by the whole session (hubkit)."""
    return mini_build().site.root / "hub.json"


def mini_manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(mini_hub_json().read_text(encoding="utf-8"))
    return data


def mini_registry(**changes: Any) -> Registry:
    data = mini_manifest()
    if "model" in changes:
        data["referral"]["model"] = changes.pop("model")
    assert not changes, changes
    return parse_registry(data)


def article_post(**overrides: str) -> dict[str, str]:
    """A valid post of the article form on ``articles/cash/`` (by Acme)."""
    post = {
        "form_id": "article",
        "page": "articles/cash/",
        "authors": "acme",
        "name": "Dana Visitor",
        "email": "dana@visitor.example",
        "phone": "",
        "message": "Can you help with our cash flow?",
        "consent": "yes",
        "first_ref": "",
        "last_ref": "",
        "landing_page": "",
        "utm_source": "",
        "utm_medium": "",
        "utm_campaign": "",
        "utm_content": "",
        "idempotency_key": "",
        "consent_version": "abc123def456",
        "website": "",
    }
    post.update(overrides)
    return {k: v for k, v in post.items() if v is not None}


def encode(post: dict[str, str]) -> bytes:
    return urlencode(post).encode()


# -- databases ----------------------------------------------------------------------------------


@contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for ``backend``; PostgreSQL gets a throwaway database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'leads.sqlite3'}"
        return
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (bash .ci/run sets it up)")
    import psycopg

    name = f"hubgen_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ReceiverProcess:
    """``hubgen leads serve`` in a child process on 127.0.0.1: start, kill -9, restart."""

    def __init__(self, db: str, hub: Path, port: int | None = None, *extra: str) -> None:
        self.db, self.hub, self.extra = db, hub, extra
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        handle, name = tempfile.mkstemp(prefix="hubgen-receiver-", suffix=".log")
        self.log = os.fdopen(handle, "wb")
        self.log_path = Path(name)

    def start(self, timeout: float = 30) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hubgen", "leads", "serve", "--db", self.db, "--hub",
             str(self.hub), "--port", str(self.port), *self.extra],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the receiver did not start:\n{self.output()}")
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown handlers, no flushing
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class WebhookSink:
    """A partner's webhook endpoint on 127.0.0.1 that can be taken "down" (answers 503)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.down = False
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with sink.lock:
                    accepted = not sink.down
                    sink.requests.append(
                        {"headers": dict(self.headers), "body": body, "accepted": accepted,
                         "path": self.path}
                    )  # fmt: skip
                self.send_response(204 if accepted else 503)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["accepted"]]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that records messages; stop() is an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[Any] = []
        self.controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                from email import message_from_bytes
                from email.policy import default

                message = message_from_bytes(envelope.content, policy=default)
                sink.messages.append((envelope.rcpt_tos, message))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
