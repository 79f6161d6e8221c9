"""Rate limits per key (client address, user, login name) with the ``limits`` library: a moving window of
``per_minute`` requests in any 60 seconds.

The counters live in this process (``limits``' memory storage) by default, or in Redis when
``ASSISTANT_REDIS_URL`` is set: then a limit holds across every API replica behind a balancer (a client cannot
multiply it by the number of replicas), and so does the login lockout. When Redis cannot be reached the process
falls back to its own counters and logs it, so a Redis outage neither opens the door to brute force nor takes
the service down.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assistant.api.errors import RateLimited
from assistant.errors import ConfigurationError
from assistant.settings import Settings

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60.0
RETRY_SHARED_AFTER_SECONDS = 5.0  # after a failure the shared store is left alone this long (no wait per request)


class Limiter:
    """``per_minute`` hits per key in any 60-second window; 0 disables the limit."""

    def __init__(self, per_minute: int, storage: Storage, *, namespace: str, fallback: Storage | None = None) -> None:
        if per_minute < 0:
            raise ValueError(f"per_minute must be >= 0, got {per_minute}")
        self.item: RateLimitItem | None = RateLimitItemPerMinute(per_minute) if per_minute else None
        self.namespace = namespace
        self._primary = MovingWindowRateLimiter(storage)
        self._fallback = MovingWindowRateLimiter(fallback) if fallback is not None else None
        self._warned = 0.0
        self._down_until = 0.0

    def hit(self, key: str) -> float:
        """Count one hit for ``key``: 0.0 when allowed, else the seconds until the window lets one more in."""
        if self.item is None:
            return 0.0
        strategy = self._primary
        if self._fallback is not None and time.monotonic() < self._down_until:
            strategy = self._fallback
        try:
            allowed = strategy.hit(self.item, self.namespace, key)
        except (StorageError, ConnectionError, OSError) as exc:
            if self._fallback is None:
                raise
            self._warn(exc)
            self._down_until = time.monotonic() + RETRY_SHARED_AFTER_SECONDS
            strategy = self._fallback
            allowed = strategy.hit(self.item, self.namespace, key)
        if allowed:
            return 0.0
        reset = strategy.get_window_stats(self.item, self.namespace, key).reset_time
        return max(1.0, reset - time.time())

    def check(self, key: str) -> None:
        """Raise RateLimited (with Retry-After seconds) when ``key`` is over its limit."""
        wait = self.hit(key)
        if wait > 0:
            raise RateLimited(max(1, math.ceil(wait)))

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned >= WARN_EVERY_SECONDS:
            self._warned = now
            logger.error("rate-limit store unreachable (%s): counting in this process until it is back", exc)


@dataclass
class RateLimits:
    """The limiters of one app: per client address (all /v1 routes), per user, and per login attempt."""

    ip: Limiter
    user: Limiter
    login: Limiter

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        url = settings.redis_url.get_secret_value() if settings.redis_url else ""
        fallback: Storage | None = None
        if url:
            try:
                shared = storage_from_string(url, wrap_exceptions=True, socket_timeout=settings.redis_timeout_seconds)
            except Exception as exc:  # limits raises ConfigurationError, ValueError… for a bad URL or missing driver
                raise ConfigurationError(
                    f"ASSISTANT_REDIS_URL không dùng được ({exc}); dạng đúng: redis://máy:6379/0"
                ) from exc
            if not isinstance(shared, Storage):  # an async:// URL
                raise ConfigurationError("ASSISTANT_REDIS_URL: dùng redis://…, không dùng async+redis://…")
            storage: Storage = shared
            fallback = MemoryStorage()
        else:
            storage = MemoryStorage()
        return cls(
            ip=Limiter(settings.rate_limit_ip_per_minute, storage, namespace="ip", fallback=fallback),
            user=Limiter(settings.rate_limit_user_per_minute, storage, namespace="user", fallback=fallback),
            login=Limiter(settings.login_attempts_per_minute, storage, namespace="login", fallback=fallback),
        )
