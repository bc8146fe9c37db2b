"""The OpenAPI schema documents each native operation in its own words and typed components."""

import jsonschema
import pytest

from customers.api.serializers import (
    DefinitionCreateSerializer,
    DefinitionUpdateSerializer,
    PropertiesUpdateInput,
    PropertyUpdateInput,
)
from customers.api.views import NativeAPIView
from customers.values import KEY_PATTERN
from events.api.serializers import EventCreateInput, EventCustomerInput

HTTP_METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_each_operation_has_a_description_of_its_own(schema):
    descriptions = {label: op.get("description", "") for label, op in operations(schema)}

    assert len(descriptions) == 15
    base_doc = " ".join(NativeAPIView.__doc__.split())
    for label, description in descriptions.items():
        assert description, label
        assert base_doc not in description, label
    assert len(set(descriptions.values())) == len(descriptions)


def test_each_operation_lists_the_api_key_once(schema):
    for label, operation in operations(schema):
        assert operation["security"] == [{"ApiKeyAuth": []}], label
    assert schema["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    }


def test_every_response_is_a_named_component_and_every_error_the_error_body(schema):
    for label, operation in operations(schema):
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), label
        for status, response in responses.items():
            assert response["description"], (label, status)
            body = response["content"]["application/json"]["schema"]
            if status.startswith("2"):
                assert body["$ref"].endswith("Response"), (label, status)
            else:
                assert body == {"$ref": "#/components/schemas/ErrorResponse"}, (label, status)
    assert "Retry-After" in schema["paths"]["/api/events"]["get"]["responses"]["429"]["headers"]


def test_identifiers_are_typed_and_keys_carry_the_key_pattern(schema):
    parameters = {
        p["name"]: p
        for p in schema["paths"]["/api/customers/properties/{key}"]["delete"]["parameters"]
    }

    assert parameters["customer_id"]["schema"]["type"] == "integer"
    assert parameters["customer_uuid"]["schema"] == {"type": "string", "format": "uuid"}
    assert parameters["email"]["schema"]["format"] == "email"
    for kind in ("customer_id", "customer_uuid", "visitor_id", "user_id", "email"):
        assert "exactly one of" in parameters[kind]["description"], kind
    key = parameters["key"]
    assert key["in"] == "path"
    assert key["schema"]["pattern"] == KEY_PATTERN.pattern.removesuffix(r"\Z") + "$"


@pytest.mark.parametrize(
    ("component", "serializer"),
    [
        ("PropertiesUpdateRequest", PropertiesUpdateInput),
        ("PropertySetRequest", PropertyUpdateInput),
        ("DefinitionCreateRequest", DefinitionCreateSerializer),
        ("DefinitionUpdateRequest", DefinitionUpdateSerializer),
        ("EventCreateRequest", EventCreateInput),
        ("EventCustomer", EventCustomerInput),
    ],
)
def test_documented_request_bodies_name_the_fields_the_views_read(schema, component, serializer):
    documented = schema["components"]["schemas"][component]

    read = serializer.FIELDS if hasattr(serializer, "FIELDS") else serializer().fields
    assert set(documented["properties"]) == set(read)
    assert documented["additionalProperties"] is False
    assert documented["description"]


def as_json_schema(node):
    """Return an OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_example_fits_its_schema(schema):
    components = as_json_schema(schema["components"])
    checked = 0
    for label, operation in operations(schema):
        bodies = [("request", operation.get("requestBody", {}).get("content", {}))]
        bodies += [(status, r["content"]) for status, r in operation["responses"].items()]
        for where, content in bodies:
            media = content.get("application/json")
            if not media:
                continue
            validator = jsonschema.Draft7Validator(
                {**as_json_schema(media["schema"]), "components": components},
                format_checker=jsonschema.FormatChecker(),
            )
            for name, example in media.get("examples", {}).items():
                errors = [e.message for e in validator.iter_errors(example["value"])]
                assert not errors, (label, where, name, errors)
                checked += 1

    assert checked >= 30
