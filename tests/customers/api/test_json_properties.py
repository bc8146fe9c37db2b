"""The json property type through the native API: objects and arrays stored as sent."""

import json

import pytest

from customers.models import PropertyDefinition
from tests.factories import make_customer, make_definition
from tests.stored import value_of

URL = "/api/customers/properties"
ADDRESS = {"city": "Berlin", "zip": "10115", "lines": ["Hauptstr. 1", None], "geo": {"lat": 52.5}}


def put(client, properties, email="ann@example.com"):
    body = {"email": email, "properties": properties}
    return client.put(URL, json.dumps(body), content_type="application/json")


def read(client, email="ann@example.com") -> dict:
    response = client.get(URL, {"email": email})
    assert response.status_code == 200
    return {p["key"]: (p["value"], p["type"]) for p in response.json()["properties"]}


def test_an_object_value_creates_a_json_property_and_reads_back_as_sent(api, account):
    response = put(api, {"address": {"value": ADDRESS}})

    assert response.status_code == 200, response.content
    assert response.json()["properties"][0]["value"] == ADDRESS
    assert response.json()["properties"][0]["type"] == "json"
    assert PropertyDefinition.objects.get(key="address").type == "json"
    assert read(api) == {"address": (ADDRESS, "json")}


def test_an_array_holding_objects_creates_a_json_property(api, account):
    response = put(api, {"orders": [{"id": 1}, {"id": 2}]})

    assert response.status_code == 200, response.content
    assert read(api) == {"orders": ([{"id": 1}, {"id": 2}], "json")}


def test_an_array_of_scalars_still_creates_a_collection(api, account):
    put(api, {"tags_list": ["a", 1]})

    assert read(api) == {"tags_list": (["a", "1"], "collection")}


def test_json_text_is_read_for_a_json_property(api, account):
    make_definition(account, "address", "json")

    response = put(api, {"address": '{"city": "Berlin"}'})

    assert response.status_code == 200, response.content
    assert read(api) == {"address": ({"city": "Berlin"}, "json")}


def test_patch_sets_a_json_value_with_its_type(api, account):
    response = api.patch(
        f"{URL}/address",
        json.dumps({"email": "ann@example.com", "value": ADDRESS, "type": "object"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["property"] == {"key": "address", "value": ADDRESS, "type": "json"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Berlin", "Expected a JSON object or array for a JSON property"),
        (5, "Expected a JSON object or array for a JSON property"),
        (["x" * 17_000], "is at most 16384 bytes as JSON"),
        (
            "[" * 40 + "]" * 40,
            "nests at most 32 levels deep",
        ),
    ],
)
def test_a_value_that_is_not_storable_json_is_a_400(api, account, value, message):
    make_definition(account, "address", "json")

    response = put(api, {"address": value})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_value"
    assert message in response.json()["error"]["message"]
    assert api.get(URL, {"email": "ann@example.com"}).status_code == 404


def test_the_byte_limit_is_a_setting(api, account, settings):
    settings.CONTACTS_MAX_JSON_BYTES = 20
    make_definition(account, "address", "json")

    assert put(api, {"address": {"value": {"a": "1234567890"}}}).status_code == 200
    refused = put(api, {"address": {"value": {"a": "12345678901234567"}}})

    assert refused.status_code == 400
    assert "at most 20 bytes as JSON, got 25 bytes" in refused.json()["error"]["message"]


def test_a_collection_declared_for_a_json_property_is_stored_as_an_array(api, account):
    make_definition(account, "labels", "json")

    response = put(api, {"labels": {"value": "a, b", "type": "collection"}})

    assert response.status_code == 200, response.content
    assert read(api) == {"labels": (["a", "b"], "json")}


def test_json_properties_filter_by_set_and_not_set_only(api, account):
    make_definition(account, "address", "json")
    ann = make_customer(account, "ann@example.com", {"address": ADDRESS})
    bob = make_customer(account, "bob@example.com")

    with_it = api.get("/api/customers", {"address__set": "true"}).json()["customers"]
    without = api.get("/api/customers", {"address__not_set": "true"}).json()["customers"]
    equals = api.get("/api/customers", {"address": "Berlin"})

    assert [c["customer_id"] for c in with_it] == [ann.pk]
    assert [c["customer_id"] for c in without] == [bob.pk]
    assert with_it[0]["properties"] == {"address": ADDRESS}
    assert equals.status_code == 400
    assert equals.json()["error"]["message"] == (
        '"address" is a JSON property: filter it by set or not set only '
        "(address__set=true or address__not_set=true)."
    )
    assert value_of(ann, "address") == ADDRESS


def test_a_json_definition_is_created_and_listed(api, account):
    response = api.post(
        "/api/properties",
        json.dumps({"key": "address", "type": "json"}),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["property"]["type"] == "json"
    listed = api.get("/api/properties").json()["properties"]
    assert [(p["key"], p["type"]) for p in listed] == [("address", "json")]
