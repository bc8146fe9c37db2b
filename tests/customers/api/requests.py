"""Request helpers shared by the native API tests."""

import json


def set_properties(client, email: str, properties: dict) -> dict:
    """PUT `properties` for the customer with `email`; fail the test unless it is stored."""
    response = client.put(
        "/api/customers/properties",
        json.dumps({"email": email, "properties": properties}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()
