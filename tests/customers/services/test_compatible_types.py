"""A declared type narrower than the property's (integer into number, url into text,
collection into json) is stored in the property's type; any other difference is a conflict."""

import base64
import json

import pytest

from customers.errors import InvalidValue, TypeConflict
from customers.models import PropertyDefinition
from customers.services import PropertyWrite, customer_properties_set
from tests.factories import make_customer, make_definition
from tests.stored import value_of


def set_one(account, customer, key, value, type_, **kwargs):
    return customer_properties_set(
        account=account, customer=customer, writes=[PropertyWrite(key, value, type_)], **kwargs
    )


@pytest.mark.parametrize(
    ("property_type", "value", "declared", "stored", "wire"),
    [
        ("number", 5, "integer", 5.0, 5),
        ("number", "12", "int", 12.0, 12),
        ("text", "https://example.com/x", "url", "https://example.com/x", "https://example.com/x"),
        ("json", ["a", 2], "collection", ["a", "2"], ["a", "2"]),
        ("json", "a, b", "array", ["a", "b"], ["a", "b"]),
    ],
)
def test_a_narrower_declared_type_is_stored_in_the_property_type(
    account, property_type, value, declared, stored, wire
):
    make_definition(account, "k", property_type)
    ann = make_customer(account)

    result = set_one(account, ann, "k", value, declared)

    assert value_of(ann, "k") == stored
    assert [(w.key, w.type, w.to_json()) for w in result.written] == [("k", property_type, wire)]
    assert PropertyDefinition.objects.get(key="k").type == property_type


@pytest.mark.parametrize(
    ("property_type", "value", "declared"),
    [
        ("integer", 5, "number"),
        ("url", "https://example.com", "text"),
        ("text", "2026-01-01", "date"),
        ("text", 5, "integer"),
        ("text", True, "boolean"),
        ("date", "2026-01-01", "text"),
        ("collection", ["a"], "json"),
        ("boolean", 1, "integer"),
    ],
)
def test_any_other_declared_type_is_a_conflict(account, property_type, value, declared):
    make_definition(account, "k", property_type)
    ann = make_customer(account)

    with pytest.raises(TypeConflict) as caught:
        set_one(account, ann, "k", value, declared)

    assert caught.value.details["type"] == property_type
    assert value_of(ann, "k") is None


def test_a_declared_value_invalid_in_its_declared_type_is_refused_not_converted(account):
    make_definition(account, "seats", "number")
    ann = make_customer(account)

    with pytest.raises(InvalidValue) as caught:
        set_one(account, ann, "seats", 3.5, "integer")

    assert caught.value.details["type"] == "integer"
    assert caught.value.message == "Expected a whole number for an integer property, got 3.5."
    assert value_of(ann, "seats") is None


def test_unassigning_with_a_narrower_declared_type_unassigns(account):
    make_definition(account, "seats", "number")
    ann = make_customer(account)
    set_one(account, ann, "seats", 4, None)

    set_one(account, ann, "seats", None, "integer")

    assert value_of(ann, "seats") is None


# Two doors feeding one account, replayed over HTTP.


def _basic(site_id: str, key: str) -> str:
    return "Basic " + base64.b64encode(f"{site_id}:{key}".encode()).decode()


def test_retently_integer_after_customerio_inferred_a_number_is_stored(api, account):
    cio = api.__class__(HTTP_AUTHORIZATION=_basic(account.site_id, api.raw_key))
    rt = api.__class__(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")

    identified = cio.put(
        "/compat/customerio/api/v1/customers/u1",
        json.dumps({"email": "ann@example.com", "seats": 5}),
        content_type="application/json",
    )
    assert identified.status_code == 200, identified.content
    assert PropertyDefinition.objects.get(key="seats").type == "number"

    body = {
        "subscribers": [
            {
                "email": "ann@example.com",
                "properties": [{"label": "seats", "type": "integer", "value": 6}],
            }
        ]
    }
    sent = rt.post(
        "/compat/retently/api/v2/customers", json.dumps(body), content_type="application/json"
    )

    assert sent.status_code == 200, sent.content
    assert sent.json()["data"]["ann@example.com"].get("refused", []) == []
    read = api.get("/api/customers/properties", {"email": "ann@example.com"})
    assert read.status_code == 200
    seats = [p for p in read.json()["properties"] if p["key"] == "seats"]
    assert [(p["value"], p["type"]) for p in seats] == [(6, "number")]


def test_native_api_integer_into_a_number_property_is_stored(api, account):
    make_definition(account, "seats", "number")

    response = api.put(
        "/api/customers/properties",
        {"email": "ann@example.com", "properties": {"seats": {"value": "7", "type": "integer"}}},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["properties"] == [
        {
            "key": "seats",
            "value": 7,
            "type": "number",
            "updated_at": response.json()["properties"][0]["updated_at"],
        }
    ]
