"""Requests of Customer.io's Track API, as its documentation and clients send them."""

import json

V1 = "/compat/customerio/api/v1"
V2 = "/compat/customerio/api/v2"


def send(client, method: str, path: str, body=None, **extra):
    """Send `body` as JSON (as every official client does) and return the response."""
    data = None if body is None else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json", **extra)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def errors(response, status: int) -> list[str]:
    """Return Track v1's error messages of a refused request."""
    assert response.status_code == status, response.content
    messages = response.json()["meta"]["errors"]
    assert messages
    assert all(messages)
    return messages
