"""The per-key rate limit of every door, kept working when the shared cache is down.

Requests are counted in Django's default cache (Redis when REDIS_URL is set), so every
process shares one count per key. Should that cache fail (Redis stopped, unreachable,
answering garbage), the count moves to this process's memory for the same rate, one
warning is logged for the outage, and the shared cache is retried after a short back-off:
a rate limiter must never take the API down, and a dead Redis must not cost every request
a connect attempt.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

# Seconds before a failed shared cache is tried again (by one request, not all of them).
RETRY_AFTER_FAILURE_SECONDS = 5.0
# While the shared cache stays down, remind the logs at most this often.
WARNING_INTERVAL_SECONDS = 60.0
# What the cache raises when it cannot answer: redis-py's errors (Django's RedisCache does
# not wrap them) and the socket errors any other network backend lets through.
CACHE_ERRORS = (RedisError, OSError)

# Counts kept while the shared cache is down; per process, so the limit is per process too.
local_cache = LocMemCache("customers.http.throttling", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class SharedCacheState:
    """Whether the shared cache is usable; one per process, safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._warned_at: float | None = None

    def should_try(self) -> bool:
        """Say whether this request should use the shared cache.

        While it is down, one request per back-off period is let through to probe it; the
        others count locally without waiting on a connect.
        """
        with self._lock:
            if self.down_since is None:
                return True
            now = time.monotonic()
            if now < self._retry_at:
                return False
            self._retry_at = now + RETRY_AFTER_FAILURE_SECONDS
            return True

    def failed(self, error: Exception) -> None:
        """Record a failure; warn once when the outage starts, then at most once a minute."""
        with self._lock:
            now = time.monotonic()
            starting = self.down_since is None
            if starting:
                self.down_since = now
            self._retry_at = now + RETRY_AFTER_FAILURE_SECONDS
            if not starting and now - self._warned_at < WARNING_INTERVAL_SECONDS:
                return
            self._warned_at = now
            outage_seconds = now - self.down_since
        if starting:
            logger.warning(
                "Shared cache unavailable (%s: %s): API rate limits are counted per process "
                "until it answers again (retried every %.0f s).",
                type(error).__name__,
                error,
                RETRY_AFTER_FAILURE_SECONDS,
            )
        else:
            logger.warning(
                "Shared cache still unavailable after %.0f s (%s: %s): API rate limits are "
                "still counted per process.",
                outage_seconds,
                type(error).__name__,
                error,
            )

    def succeeded(self) -> None:
        """Record that the shared cache answered; log the end of an outage."""
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            outage_seconds = time.monotonic() - self.down_since
            self.down_since = None
            self._warned_at = None
        logger.warning(
            "Shared cache available again after %.0f s: API rate limits are shared again.",
            outage_seconds,
        )


shared_cache_state = SharedCacheState()


class ApiKeyRateThrottle(BaseThrottle):
    """Limit requests per API key (API_RATE_LIMIT), shared across processes by the cache.

    A fixed window counted with `incr`: one small number per key and window, not the
    list of every request's time that DRF's SimpleRateThrottle reads and writes back on
    each request (54 KB per request at 6000/min).
    """

    wait_seconds: float | None = None

    def allow_request(self, request, view) -> bool:
        if request.auth is None:
            return True
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        now = time.time()
        window = int(now // period)
        key = window_key(request.auth.prefix, period, window)
        count = None
        if shared_cache_state.should_try():
            try:
                count = _count(shared_cache, key, period)
            except CACHE_ERRORS as error:
                shared_cache_state.failed(error)
            else:
                shared_cache_state.succeeded()
        if count is None:
            count = _count(local_cache, key, period)
        if count <= limit:
            return True
        self.wait_seconds = (window + 1) * period - now
        return False

    def wait(self) -> float | None:
        return self.wait_seconds


def window_key(prefix: str, period: int, window: int) -> str:
    return f"throttle:{prefix}:{period}:{window}"


def current_window_key(prefix: str, rate: str) -> str:
    """Return the cache key counting `prefix`'s requests in the current window of `rate`."""
    period = parse_rate(rate)[1]
    return window_key(prefix, period, int(time.time() // period))


def parse_rate(rate: str) -> tuple[int, int]:
    """Return (requests, seconds) of a rate such as "6000/min" or "10/s"."""
    count, _, unit = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit.strip()[:1]]
    return int(count), seconds


def _count(cache, key: str, period: int) -> int:
    """Count one more request in `key`'s window and return the count."""
    try:
        return cache.incr(key)
    except ValueError:
        # First request of the window (or the key expired between the two calls).
        if cache.add(key, 1, timeout=period + 1):
            return 1
        return cache.incr(key)
