"""A malformed property key in a URL path is refused before any query (issue 8, item 5).

PostgreSQL refuses NUL in text with an error: a key holding one must never reach a query.
"""

import json
from urllib.parse import quote

import pytest

from customers.models import PropertyDefinition
from tests.customers.api.requests import set_properties

MALFORMED_KEYS = ["\x00", "plan\x00", "\x00plan", "Plan", "plan-tier", "2nd", "a" * 65, "pl\u0430n"]


@pytest.fixture
def plan(api, account):
    """The active definition `plan`, labelled "Plan", with one customer's value."""
    set_properties(api, "jane@example.com", {"plan": "pro"})
    PropertyDefinition.objects.filter(account=account, key="plan").update(label="Plan")
    return PropertyDefinition.objects.get(account=account, key="plan")


def send(client, method: str, path: str, body: dict | None = None):
    call = getattr(client, method.lower())
    if body is None:
        return call(path)
    return call(path, json.dumps(body), content_type="application/json")


def assert_native_not_found(response):
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == "not_found"


@pytest.mark.parametrize("key", MALFORMED_KEYS)
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"label": "Changed"}),
        ("DELETE", "", None),
        ("POST", "/archive", None),
        ("POST", "/restore", None),
        ("GET", "/", None),
        ("POST", "/archive/", None),
    ],
)
def test_malformed_key_in_a_definition_path_is_a_native_404(
    admin_api, account, plan, key, method, suffix, body
):
    path = f"/api/properties/{quote(key, safe='')}{suffix}"

    response = send(admin_api, method, path, body)

    assert_native_not_found(response)
    stored = PropertyDefinition.objects.get(account=account, key="plan")
    assert (stored.label, stored.archived_at) == ("Plan", None)
    assert plan.values.count() == 1


def test_valid_key_paths_still_reach_the_definition(admin_api, account, plan):
    read = admin_api.get("/api/properties/plan")
    patched = send(admin_api, "PATCH", "/api/properties/plan/", {"label": "Plan name"})
    archived = send(admin_api, "POST", "/api/properties/plan/archive")

    assert read.status_code == 200, read.content
    assert read.json()["property"]["key"] == "plan"
    assert patched.status_code == 200, patched.content
    assert archived.status_code == 200, archived.content
    stored = PropertyDefinition.objects.get(account=account, key="plan")
    assert stored.label == "Plan name"
    assert stored.archived_at is not None


def test_well_formed_unknown_key_is_a_property_not_found(admin_api, plan):
    response = admin_api.get("/api/properties/plan_tier")

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "property_not_found"


@pytest.mark.parametrize("key", ["\x00", "plan\x00"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_nul_in_a_customer_property_path_is_refused_with_400(api, account, plan, key, method):
    path = f"/api/customers/properties/{quote(key, safe='')}"
    body = {"email": "jane@example.com", "value": "free"} if method == "PATCH" else None
    query = "" if body else "?email=jane%40example.com"

    response = send(api, method, path + query, body)

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_key"
    assert plan.values.get().value_text == "pro"
