"""A dead shared cache (Redis at a closed port) degrades rate limits; it never takes the API down.

Also /readyz, which reports the database and the cache while /healthz stays liveness-only.
"""

import base64
import json
import logging
import secrets
import socket
import threading

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from config import health
from customers.http import throttling
from customers.models import Customer, PropertyValue
from events.models import Event
from tests.customers.api.requests import set_properties

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
THROTTLE_LOGGER = "customers.http.throttling"


def redis_caches(location: str) -> dict:
    """CACHES for a Redis at `location`, under a key prefix no other test run shares."""
    return {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": location,
            "KEY_PREFIX": f"ca-test-{secrets.token_hex(6)}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 1.0},
        }
    }


def closed_port() -> int:
    """A local port nothing listens on (bound by the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.25).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def fresh_throttle_state(monkeypatch):
    """Each test starts with the shared cache believed up and no local counts."""
    monkeypatch.setattr(throttling, "shared_cache_state", throttling.SharedCacheState())
    throttling.local_cache.clear()
    yield
    throttling.local_cache.clear()


@pytest.fixture
def redis_down():
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        yield


@pytest.fixture
def redis_up():
    with override_settings(CACHES=redis_caches("redis://127.0.0.1:6379/0")):
        yield


@pytest.fixture
def shared_cache_calls(monkeypatch):
    """Count the counts the throttle makes in the shared (Redis) cache."""
    from django.core.cache.backends.redis import RedisCache

    calls = []
    original = RedisCache.incr

    def counting_incr(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "incr", counting_incr)
    return calls


def stored_properties(email: str) -> dict:
    return {
        value.definition.key: value.stored
        for value in PropertyValue.objects.filter(customer__email=email).select_related(
            "definition"
        )
    }


def throttle_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == THROTTLE_LOGGER and record.levelno == logging.WARNING
    ]


# --- every door keeps answering


def test_native_put_succeeds_and_stores_while_redis_is_down(api, redis_down):
    set_properties(api, "ann@example.com", {"plan": "pro"})

    response = api.get("/api/customers/properties", {"email": "ann@example.com"})

    assert response.status_code == 200, response.content
    assert [(p["key"], p["value"]) for p in response.json()["properties"]] == [("plan", "pro")]
    assert stored_properties("ann@example.com") == {"plan": "pro"}


def test_customerio_identify_succeeds_and_stores_while_redis_is_down(api, account, redis_down):
    credentials = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")

    response = api.put(
        "/compat/customerio/api/v1/customers/usr_1",
        json.dumps({"email": "ann@example.com", "plan": "pro"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert Customer.objects.get(account=account, user_id="usr_1").email == "ann@example.com"
    assert stored_properties("ann@example.com") == {"plan": "pro"}


def test_retently_customers_succeeds_and_stores_while_redis_is_down(api, account, redis_down):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    body = {
        "subscribers": [
            {
                "email": "ann@example.com",
                "properties": [{"label": "Plan", "type": "string", "value": "pro"}],
            }
        ]
    }

    response = api.post(
        "/compat/retently/api/v2/customers", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["ann@example.com"]["status"] == "saved"
    assert stored_properties("ann@example.com") == {"plan": "pro"}


def test_helpcrunch_create_succeeds_and_stores_while_redis_is_down(api, account, redis_down):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api.raw_key}")
    body = {
        "userId": "usr_1",
        "email": "ann@example.com",
        "customData": [{"property": "plan", "value": "pro"}],
    }

    response = api.post(
        "/compat/helpcrunch/v1/customers", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["customData"] == {"plan": "pro"}
    assert Customer.objects.get(account=account, user_id="usr_1").email == "ann@example.com"
    assert stored_properties("ann@example.com") == {"plan": "pro"}


def test_events_post_succeeds_and_stores_while_redis_is_down(api, account, redis_down):
    body = {"name": "signed_up", "customer": {"email": "ann@example.com"}}

    response = api.post("/api/events", json.dumps(body), content_type="application/json")

    assert response.status_code == 201, response.content
    assert list(Event.objects.values_list("name", "customer__email")) == [
        ("signed_up", "ann@example.com")
    ]


# --- the limit still holds, counted locally


@override_settings(API_RATE_LIMIT="3/min")
def test_rate_limit_is_counted_locally_while_redis_is_down(api, redis_down):
    responses = [
        api.put(
            "/api/customers/properties",
            json.dumps({"email": "ann@example.com", "properties": {"seq": str(n)}}),
            content_type="application/json",
        )
        for n in range(1, 5)
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[3].json()["error"]["code"] == "rate_limited"
    assert int(responses[3]["Retry-After"]) > 0
    # The refused fourth write stored nothing: the third value stands.
    assert stored_properties("ann@example.com") == {"seq": "3"}


def test_one_warning_is_logged_for_an_outage_not_one_per_request(api, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger=THROTTLE_LOGGER)

    statuses = [api.get("/api/properties").status_code for _ in range(5)]
    throttling.shared_cache_state._retry_at = 0.0  # the back-off has passed: Redis is retried
    statuses.append(api.get("/api/properties").status_code)

    assert statuses == [200] * 6
    warnings = throttle_warnings(caplog)
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0]
    assert throttling.shared_cache_state.down_since is not None


def test_a_down_redis_is_retried_after_the_back_off_not_on_every_request(
    api, redis_down, shared_cache_calls
):
    for _ in range(4):
        assert api.get("/api/properties").status_code == 200
    tries_during_back_off = len(shared_cache_calls)
    throttling.shared_cache_state._retry_at = 0.0
    assert api.get("/api/properties").status_code == 200

    assert tries_during_back_off == 1
    assert len(shared_cache_calls) == 2
    assert throttling.local_cache.get(shared_cache_calls[0]) is not None


@needs_redis
def test_rate_limit_is_shared_again_once_redis_answers(api, caplog):
    caplog.set_level(logging.WARNING, logger=THROTTLE_LOGGER)
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        assert api.get("/api/properties").status_code == 200
    throttling.shared_cache_state._retry_at = 0.0

    with override_settings(CACHES=redis_caches("redis://127.0.0.1:6379/0")):
        response = api.get("/api/properties")
        shared_count = cache.get(
            throttling.current_window_key(api.api_key.prefix, settings.API_RATE_LIMIT)
        )

    assert response.status_code == 200
    assert shared_count == 1
    assert throttling.shared_cache_state.down_since is None
    warnings = throttle_warnings(caplog)
    assert len(warnings) == 2
    assert "available again" in warnings[1]


@needs_redis
@override_settings(API_RATE_LIMIT="3/min")
def test_rate_limit_is_counted_in_redis_when_it_answers(api, redis_up):
    statuses = [api.get("/api/properties").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    key = throttling.current_window_key(api.api_key.prefix, "3/min")
    assert cache.get(key) == 4
    assert throttling.local_cache.get(key) is None


# --- /healthz and /readyz


def test_healthz_stays_200_while_redis_is_down(client, redis_down):
    # No db fixture: liveness must not query the database either.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_cache_answer(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_is_503_naming_the_cache_while_redis_is_down(client, db, redis_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("error: ConnectionError: ")
    assert "Connection refused" in body["checks"]["cache"]


@needs_redis
def test_readyz_is_200_with_redis_and_leaves_no_probe_key(client, db, redis_up):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
    prefix = cache.key_prefix
    assert cache._cache.get_client().keys(f"{prefix}:*readyz:*") == []


def test_readyz_is_503_naming_the_database_when_it_fails(client, db, monkeypatch):
    def database_down():
        raise health.connection.Database.OperationalError("could not connect to server")

    monkeypatch.setitem(health.CHECKS, "database", database_down)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "error: OperationalError: could not connect to server",
        "cache": "ok",
    }


def test_readyz_answers_503_in_time_when_a_check_hangs(client, db, monkeypatch):
    release = threading.Event()
    started = []

    def hanging_cache():
        started.append(True)
        release.wait(10)

    monkeypatch.setitem(health.CHECKS, "cache", hanging_cache)
    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.2)
    try:
        first = client.get("/readyz")
        second = client.get("/readyz")
    finally:
        release.set()

    assert [first.status_code, second.status_code] == [503, 503]
    assert second.json()["checks"] == {"database": "ok", "cache": "error: no answer within 0.2 s"}
    # The second probe waited on the hung check rather than starting another.
    assert started == [True]


# --- over real HTTP


@pytest.mark.django_db(transaction=True)
def test_native_put_over_http_succeeds_while_redis_is_down(live_server, api, redis_down):
    response = requests.put(
        f"{live_server.url}/api/customers/properties",
        json={"email": "ann@example.com", "properties": {"plan": "pro"}},
        headers={"X-API-Key": api.raw_key},
        timeout=10,
    )

    assert response.status_code == 200, response.text
    assert stored_properties("ann@example.com") == {"plan": "pro"}
    ready = requests.get(f"{live_server.url}/readyz", timeout=10)
    assert ready.status_code == 503
    assert ready.json()["checks"]["cache"].startswith("error: ConnectionError")
