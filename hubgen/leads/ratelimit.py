"""Per-address token buckets: a burst of ``limit`` posts, refilled over ``period`` seconds.

Kept in memory: one receiver process sees all its traffic, and a restart forgiving everyone is
harmless. Memory stays bounded by dropping buckets that have refilled completely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_TRACKED = 50_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._rate = limit / period if limit else 0.0
        self._buckets: dict[str, _Bucket] = {}

    def hit(self, key: str, now: float) -> float | None:
        """Take one token for ``key``; return None when allowed, else seconds to wait."""
        if self.limit <= 0:
            return None
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.limit), now)
        else:
            bucket.tokens = min(self.limit, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self._rate

    def _prune(self, now: float) -> None:
        full = [k for k, b in self._buckets.items() if (now - b.updated) >= self.period]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= MAX_TRACKED:  # under attack from many addresses: start over
            self._buckets.clear()


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
