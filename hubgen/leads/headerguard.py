"""A time limit on request headers, which uvicorn does not have.

uvicorn keeps a connection whose request headers never finish open for ever (slowloris): the app
never sees such a request, so the body timeout of hubgen/leads/bodies.py cannot help. This
protocol (uvicorn's h11 one, used by ``leads serve``) closes a connection whose next request's
headers have not all arrived within ``timeout`` seconds of its first byte, or of the connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState


def header_guard(timeout: float) -> type[H11Protocol]:
    """An h11 protocol class for ``uvicorn.Config(http=…)`` with a ``timeout`` on headers."""

    class HeaderTimeoutProtocol(H11Protocol):
        def __init__(
            self, config: Config, server_state: ServerState, *args: Any, **kwargs: Any
        ) -> None:
            super().__init__(config, server_state, *args, **kwargs)
            self._header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE:  # waiting for (the rest of) a request's head
                self._arm()
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the head is complete
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutProtocol
