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
from rest_framework.throttling import SimpleRateThrottle

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


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Limit requests per API key (API_RATE_LIMIT), shared across processes by the cache."""

    scope = "api_key"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def allow_request(self, request, view) -> bool:
        if shared_cache_state.should_try():
            self.cache = shared_cache
            try:
                allowed = super().allow_request(request, view)
            except CACHE_ERRORS as error:
                shared_cache_state.failed(error)
            else:
                shared_cache_state.succeeded()
                return allowed
        self.cache = local_cache
        return super().allow_request(request, view)
