"""Seed 002 at its vendor's own path: POST /api/stores/{store_id}/custom_events.

The store id is the account's site id and the access token comes as that vendor's
clients send it (an X-Yotpo-Token header, or ?utoken=); each request replays the
seed's body and is read back through GET /api/events.
"""

import json

import pytest
from rest_framework.test import APIClient

from customers.models import Customer
from events.models import Event

pytestmark = pytest.mark.urls("tests.events.api.urls")

SEED_EVENT = {
    "source": "quiz_app",
    "name": "order_shipped",
    "timestamp": "2026-06-01T12:00:00Z",
    "id": "5a7c4f7e-0000-4000-8000-000000000002",
    "customer": {
        "external_id": "shop_42",
        "email": "jane@example.com",
        "properties": {"first_name": "Jane", "vip": True},
    },
    "properties": {"order_id": "1001", "total": 99.5},
}


def store_url(store_id: str) -> str:
    return f"/api/stores/{store_id}/custom_events"


def send(client, store_id: str, body, **extra):
    return client.post(
        store_url(store_id), json.dumps(body), content_type="application/json", **extra
    )


def native_events(api, **identifier) -> list[dict]:
    response = api.get("/api/events", identifier)
    assert response.status_code == 200, response.content
    return response.json()["events"]


def test_seed_event_with_the_vendor_token_header_is_recorded(api, account):
    vendor = APIClient(HTTP_X_YOTPO_TOKEN=api.raw_key)

    response = send(vendor, account.site_id, SEED_EVENT)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "created"
    [event] = native_events(api, user_id="shop_42")
    assert (event["id"], event["name"], event["source"], event["properties"]) == (
        SEED_EVENT["id"],
        "order_shipped",
        "quiz_app",
        {"order_id": "1001", "total": 99.5},
    )
    profile = api.get("/api/customers/properties", {"user_id": "shop_42"}).json()
    assert {p["key"]: p["value"] for p in profile["properties"]} == {
        "first_name": "Jane",
        "vip": True,
    }


def test_same_event_id_again_replaces_it_with_200(api, account):
    vendor = APIClient(HTTP_X_YOTPO_TOKEN=api.raw_key)
    assert send(vendor, account.site_id, SEED_EVENT).status_code == 201

    again = send(vendor, account.site_id, {**SEED_EVENT, "name": "order_delivered"})

    assert again.status_code == 200, again.content
    assert [e["name"] for e in native_events(api, user_id="shop_42")] == ["order_delivered"]


def test_token_in_the_query_string_or_the_native_header_is_accepted(api, account):
    by_query = APIClient()
    url = f"{store_url(account.site_id)}?utoken={api.raw_key}"

    first = by_query.post(url, json.dumps(SEED_EVENT), content_type="application/json")
    second = send(api, account.site_id, {**SEED_EVENT, "id": "second"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert len(native_events(api, user_id="shop_42")) == 2


def test_another_stores_id_is_404_and_records_nothing(api, account, other_account):
    vendor = APIClient(HTTP_X_YOTPO_TOKEN=api.raw_key)

    for store_id in (other_account.site_id, "unknown-store"):
        response = send(vendor, store_id, SEED_EVENT)
        assert response.status_code == 404, response.content
        assert response.json()["status"] == "error"
        assert "site id" in response.json()["error"]["message"]
    assert not Event.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_missing_or_wrong_token_is_401(account, token):
    client = APIClient() if token is None else APIClient(HTTP_X_YOTPO_TOKEN=token)

    response = send(client, account.site_id, SEED_EVENT)

    assert response.status_code == 401, response.content
    assert not Event.objects.exists()


def test_body_is_checked_as_on_api_events(api, account):
    vendor = APIClient(HTTP_X_YOTPO_TOKEN=api.raw_key)
    both = {"email": "jane@example.com", "phone_number": "+14155550100"}

    response = send(vendor, account.site_id, {**SEED_EVENT, "customer": both})

    assert response.status_code == 400, response.content
    assert response.json()["status"] == "error"
    assert not Event.objects.exists()


def test_only_post_is_served_on_the_store_route(api, account):
    response = api.get(store_url(account.site_id))

    assert response.status_code == 405
    assert response.json()["status"] == "error"
