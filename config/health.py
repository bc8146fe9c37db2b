"""Readiness: /readyz says whether the database and the cache answer.

/healthz (liveness) never touches either, so a process is not restarted because a
dependency is down; /readyz is what a load balancer should ask before sending traffic.
Each check runs in its own thread under a deadline, so a hung dependency makes the probe
answer 503 in time instead of hanging it, and any failure is a 503 naming it, never a 500.
"""

import secrets
import threading
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

# Seconds the probe waits for all checks together (they run at the same time).
CHECK_TIMEOUT_SECONDS = 2.0
PROBE_TIMEOUT_SECONDS = 10


def check_database() -> None:
    """Run SELECT 1 on a connection of this thread, then close it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # Worker threads never see request_finished, which closes connections elsewhere.
        connection.close()


def check_cache() -> None:
    """Write a probe key, read it back and delete it."""
    # A key per probe, so concurrent probes cannot read each other's value.
    key = f"readyz:{secrets.token_hex(8)}"
    token = secrets.token_hex(8)
    cache.set(key, token, PROBE_TIMEOUT_SECONDS)
    found = cache.get(key)
    cache.delete(key)
    if found != token:
        raise RuntimeError("the probe key written was not read back")


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}


class Check(threading.Thread):
    """One check, run in a daemon thread so a hung one never holds the process at exit."""

    def __init__(self, name: str, function: Callable[[], None]) -> None:
        super().__init__(name=f"readyz-{name}", daemon=True)
        self.function = function
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.function()
        except Exception as error:  # any failure at all means "not ready"
            self.error = error


_running: dict[str, Check] = {}
_running_lock = threading.Lock()


def start(name: str, function: Callable[[], None]) -> Check:
    """Start the check, or join the one an earlier probe left running.

    Reusing a hung check keeps repeated probes against a hung dependency from piling up
    one stuck thread each.
    """
    with _running_lock:
        check = _running.get(name)
        if check is None or not check.is_alive():
            check = Check(name, function)
            check.start()
            _running[name] = check
    return check


def outcome(check: Check) -> str:
    """Describe how a check went: "ok" or "error: <what failed>"."""
    if check.is_alive():
        return f"error: no answer within {CHECK_TIMEOUT_SECONDS:g} s"
    if check.error is not None:
        message = str(check.error).strip() or "no message"
        return f"error: {type(check.error).__name__}: {message}"
    return "ok"


def readyz(request) -> JsonResponse:
    """Readiness: 200 when the database and the cache both answer, else 503 naming the failure."""
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    running = {name: start(name, function) for name, function in CHECKS.items()}
    for check in running.values():
        check.join(max(0.0, deadline - time.monotonic()))
    checks = {name: outcome(check) for name, check in running.items()}
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
    )
