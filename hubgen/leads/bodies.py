"""Reading request bodies without letting slow clients tie the receiver up.

A client that sends its headers and then drips its body a byte at a time holds a connection and
a task for as long as it likes. Two bounds stop that here, so the receiver does not depend on a
proxy in front: each body must arrive within ``timeout`` seconds (else 408), and at most
``slots`` bodies are read at once (a post that finds every slot taken gets 503 at once, before
its body is read). A normal post's body arrives with its headers and takes a slot for
microseconds, so the cap only bites when bodies are slow.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request

BODY_TIMEOUT = 10.0
BODY_SLOTS = 64


class BodyError(Exception):
    """The body was not read: ``status`` says why (408 too slow, 413 too large, 503 busy)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BodyReader:
    def __init__(self, *, timeout: float = BODY_TIMEOUT, slots: int = BODY_SLOTS) -> None:
        self.timeout = timeout
        self.slots = slots
        self.reading = 0
        """Bodies being read now (one event loop, so a plain counter is exact)."""

    async def read(self, request: Request, limit: int) -> bytes:
        """The body, refusing it as soon as it passes ``limit`` (a lying or absent
        Content-Length), takes longer than the timeout, or finds no free slot."""
        if self.reading >= self.slots:
            raise BodyError(503)
        self.reading += 1
        try:
            async with asyncio.timeout(self.timeout):
                return await _read(request, limit)
        except TimeoutError:
            raise BodyError(408) from None
        finally:
            self.reading -= 1


async def _read(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413)
        chunks.append(chunk)
    return b"".join(chunks)
