"""Request helpers for the HelpCrunch v1 adapter tests."""

import json

BASE = "/compat/helpcrunch/v1"


def send(client, method: str, path: str, body=None):
    """Send `body` as JSON (a str is sent as it is) to a HelpCrunch path."""
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    call = getattr(client, method.lower())
    if body is None:
        return call(BASE + path)
    return call(BASE + path, raw, content_type="application/json")


def error_of(response, status: int) -> dict:
    """Assert HelpCrunch's error list and return its second entry, {code, message}."""
    assert response.status_code == status, response.content
    errors = response.json()["errors"]
    assert errors[0] == {"code": "invalid_request", "message": "Invalid request"}
    assert len(errors) == 2
    assert errors[1]["code"]
    assert errors[1]["message"]
    return errors[1]


def native_properties(api, customer_id: int) -> dict:
    """Return {key: (value, type)} read back through the native API."""
    response = api.get(
        "/api/customers/properties",
        {"customer_id": customer_id},
        HTTP_X_API_KEY=api.raw_key,
    )
    assert response.status_code == 200, response.content
    return {p["key"]: (p["value"], p["type"]) for p in response.json()["properties"]}


def define(api, key: str, type_: str) -> None:
    """Define a property through the native API, as an account configures its attributes."""
    response = api.post(
        "/api/properties",
        json.dumps({"key": key, "type": type_}),
        content_type="application/json",
        HTTP_X_API_KEY=api.raw_key,
    )
    assert response.status_code == 201, response.content
