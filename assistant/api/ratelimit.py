"""In-memory token-bucket rate limiting per key (user, client address, login name).

Each process limits on its own: with several API processes behind a balancer the effective limit is multiplied
by their number (state is not shared; put a shared limiter in the proxy for a hard global cap).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.api.errors import RateLimited
from assistant.settings import Settings


class TokenBucketLimiter:
    """``per_minute`` requests per key per minute, in bursts of up to ``per_minute``; 0 disables the limit."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000) -> None:
        if per_minute < 0:
            raise ValueError(f"per_minute must be >= 0, got {per_minute}")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last refill time)
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when allowed, else the seconds until a token is available."""
        if self.capacity <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > self.max_keys:
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def check(self, key: str) -> None:
        """Raise RateLimited (with Retry-After seconds) when ``key`` is over its limit."""
        wait = self.hit(key)
        if wait > 0:
            raise RateLimited(max(1, math.ceil(wait)))

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled completely (they behave exactly like new ones)."""
        full = [k for k, (tokens, last) in self._buckets.items() if tokens + (now - last) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]


@dataclass
class RateLimits:
    """The limiters of one app: per client address (all /v1 routes), per user, and per login attempt."""

    ip: TokenBucketLimiter
    user: TokenBucketLimiter
    login: TokenBucketLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        return cls(
            ip=TokenBucketLimiter(settings.rate_limit_ip_per_minute),
            user=TokenBucketLimiter(settings.rate_limit_user_per_minute),
            login=TokenBucketLimiter(settings.login_attempts_per_minute),
        )
