import json

import pytest

from customers.models import Customer, PropertyDefinition, PropertyValue
from tests.factories import make_customer, make_definition
from tests.stored import value_of

URL = "/api/customers/properties"


def put(client, body, **extra):
    return client.put(URL, json.dumps(body), content_type="application/json", **extra)


def patch(client, key, body):
    return client.patch(f"{URL}/{key}", json.dumps(body), content_type="application/json")


def error_code(response):
    body = response.json()
    assert body["status"] == "error"
    assert body["error"]["message"]
    return body["error"]["code"]


# --- identification


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("visitor_id", "vis_abc123", "visitor_id"),
        ("user_id", "usr_789", "user_id"),
        ("email", "Jane@Example.com", "email"),
    ],
)
def test_write_with_creating_identifier_creates_the_customer(api, account, kind, value, field):
    response = put(api, {kind: value, "properties": {"company_name": "Acme Inc"}})

    assert response.status_code == 200
    body = response.json()
    customer = Customer.objects.get(account=account)
    assert getattr(customer, field) == (value.lower() if kind == "email" else value)
    assert body["status"] == "updated"
    assert body["customer_id"] == customer.pk
    assert body["customer_uuid"] == str(customer.uuid)
    assert body["properties"][0]["key"] == "company_name"
    assert body["properties"][0]["value"] == "Acme Inc"
    assert body["properties"][0]["type"] == "text"
    assert value_of(customer, "company_name") == "Acme Inc"


def test_second_write_with_same_identifier_reuses_the_customer(api, account):
    put(api, {"email": "jane@example.com", "properties": {"a": 1}})
    put(api, {"email": "JANE@example.com", "properties": {"b": 2}})

    customer = Customer.objects.get(account=account)
    assert value_of(customer, "a") == 1
    assert value_of(customer, "b") == 2


@pytest.mark.parametrize("kind", ["customer_id", "customer_uuid"])
def test_existing_customer_found_by_internal_identifier(api, account, kind):
    customer = make_customer(account, "a@example.com")
    value = customer.pk if kind == "customer_id" else str(customer.uuid)

    response = put(api, {kind: value, "properties": {"plan_tier": "enterprise"}})

    assert response.status_code == 200
    assert value_of(customer, "plan_tier") == "enterprise"


@pytest.mark.parametrize(
    ("kind", "value"),
    [("customer_id", 999999), ("customer_uuid", "9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c")],
)
def test_unknown_internal_identifier_is_404_and_creates_nothing(api, account, kind, value):
    response = put(api, {kind: value, "properties": {"plan_tier": "enterprise"}})

    assert response.status_code == 404
    assert error_code(response) == "customer_not_found"
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_identifier_in_query_string_is_accepted(api, account):
    customer = make_customer(account, user_id="usr_1")

    response = api.put(
        f"{URL}?customer_id={customer.pk}",
        json.dumps({"properties": {"x": "y"}}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert value_of(customer, "x") == "y"


def test_zero_identifiers_is_refused(api):
    response = put(api, {"properties": {"x": "y"}})

    assert response.status_code == 400
    assert error_code(response) == "missing_identifier"
    assert not Customer.objects.exists()


def test_two_identifiers_are_refused(api):
    response = put(api, {"email": "a@example.com", "user_id": "u1", "properties": {"x": "y"}})

    assert response.status_code == 400
    assert error_code(response) == "multiple_identifiers"
    assert "email" in response.json()["error"]["message"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("customer_id", "abc"),
        ("customer_id", -3),
        ("customer_id", True),
        ("customer_uuid", "not-a-uuid"),
        ("email", "not an email"),
        ("user_id", {"nested": 1}),
        ("visitor_id", "x" * 256),
    ],
)
def test_malformed_identifier_is_refused(api, kind, value):
    response = put(api, {kind: value, "properties": {"x": "y"}})

    assert response.status_code == 400
    assert error_code(response) == "invalid_identifier"
    assert not Customer.objects.exists()


def test_another_accounts_customer_is_404_and_never_data(api, other_account):
    theirs = make_customer(other_account, "secret@globex.com")
    make_definition(other_account, "secret")

    for response in (
        api.get(URL, {"customer_id": theirs.pk}),
        api.get(URL, {"customer_uuid": str(theirs.uuid)}),
        put(api, {"customer_id": theirs.pk, "properties": {"secret": "x"}}),
        api.delete(f"{URL}/secret?customer_id={theirs.pk}"),
    ):
        assert response.status_code == 404
        assert "secret@globex.com" not in response.content.decode()
    assert not PropertyValue.objects.exists()


def test_same_email_in_two_accounts_are_two_customers(api, other_api, account, other_account):
    put(api, {"email": "a@example.com", "properties": {"x": "ours"}})
    put(other_api, {"email": "a@example.com", "properties": {"x": "theirs"}})

    assert value_of(Customer.objects.get(account=account), "x") == "ours"
    assert value_of(Customer.objects.get(account=other_account), "x") == "theirs"


# --- GET


def test_get_lists_the_customers_properties_typed(api, account):
    put(
        api,
        {
            "email": "a@example.com",
            "properties": {
                "company_name": "Acme Inc",
                "payments": {"value": "15", "type": "integer"},
                "amount": 15.99,
                "vip": True,
                "signed_up": {"value": "2026-06-01T12:00:00Z", "type": "date"},
                "interests": ["golf", "travel"],
            },
        },
    )

    response = api.get(URL, {"email": "a@example.com"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    by_key = {p["key"]: p for p in body["properties"]}
    assert by_key["company_name"]["value"] == "Acme Inc"
    assert by_key["payments"] == {**by_key["payments"], "value": 15, "type": "integer"}
    assert by_key["amount"]["value"] == 15.99
    assert by_key["vip"]["value"] is True
    assert by_key["signed_up"]["value"] == "2026-06-01T12:00:00+00:00"
    assert by_key["interests"]["value"] == ["golf", "travel"]
    assert all(p["updated_at"].endswith("+00:00") for p in body["properties"])


def test_get_of_unknown_visitor_is_404_and_creates_nothing(api):
    response = api.get(URL, {"visitor_id": "vis_nobody"})

    assert response.status_code == 404
    assert not Customer.objects.exists()


# --- PUT


def test_put_of_50_keys_is_accepted(api, account):
    properties = {f"key_{i}": i for i in range(50)}

    response = put(api, {"email": "a@example.com", "properties": properties})

    assert response.status_code == 200
    assert len(response.json()["properties"]) == 50
    assert PropertyValue.objects.count() == 50


def test_put_of_51_keys_is_refused_and_writes_nothing(api):
    properties = {f"key_{i}": i for i in range(51)}

    response = put(api, {"email": "a@example.com", "properties": properties})

    assert response.status_code == 400
    assert error_code(response) == "too_many_properties"
    assert "50" in response.json()["error"]["message"]
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_put_is_all_or_nothing(api, account):
    put(api, {"email": "a@example.com", "properties": {"payments": {"value": 1, "type": "int"}}})

    response = put(
        api,
        {"email": "a@example.com", "properties": {"payments": "many", "new_key": "hello"}},
    )

    assert response.status_code == 400
    assert error_code(response) == "invalid_value"
    details = response.json()["error"]["details"]
    assert "payments" in details["properties"]
    assert value_of(Customer.objects.get(), "payments") == 1
    assert not PropertyDefinition.objects.filter(key="new_key").exists()


def test_put_infers_types_of_new_keys(api, account):
    put(
        api,
        {
            "email": "a@example.com",
            "properties": {"t": "2026-01-01", "n": 3, "b": False, "c": ["x"]},
        },
    )

    types = dict(PropertyDefinition.objects.values_list("key", "type"))
    assert types == {"t": "text", "n": "number", "b": "boolean", "c": "collection"}


def test_put_with_type_differing_from_definition_is_a_conflict(api, account):
    put(api, {"email": "a@example.com", "properties": {"plan": "free"}})

    response = put(
        api, {"email": "a@example.com", "properties": {"plan": {"value": 3, "type": "number"}}}
    )

    assert response.status_code == 409
    assert error_code(response) == "type_conflict"
    assert value_of(Customer.objects.get(), "plan") == "free"


def test_put_uses_existing_definitions_type(api, account):
    make_definition(account, "payments", "integer")

    response = put(api, {"email": "a@example.com", "properties": {"payments": "100"}})

    assert response.status_code == 200
    assert response.json()["properties"][0]["value"] == 100


def test_put_to_archived_definition_is_refused(api, account):
    put(api, {"email": "a@example.com", "properties": {"old": "x"}})
    PropertyDefinition.objects.filter(key="old").update(archived_at="2026-01-01T00:00:00Z")

    response = put(api, {"email": "a@example.com", "properties": {"old": "y"}})

    assert response.status_code == 409
    assert error_code(response) == "property_archived"
    assert value_of(Customer.objects.get(), "old") == "x"


@pytest.mark.parametrize("empty", ["", None])
def test_put_with_empty_value_unassigns_from_this_customer_only(api, account, empty):
    put(api, {"email": "a@example.com", "properties": {"plan": "free"}})
    put(api, {"email": "b@example.com", "properties": {"plan": "pro"}})

    response = put(api, {"email": "a@example.com", "properties": {"plan": empty}})

    assert response.status_code == 200
    assert response.json()["properties"][0]["value"] is None
    assert value_of(Customer.objects.get(email="a@example.com"), "plan") is None
    assert value_of(Customer.objects.get(email="b@example.com"), "plan") == "pro"
    assert PropertyDefinition.objects.filter(key="plan").exists()


@pytest.mark.parametrize(
    ("key", "suggestion"), [("Plan Tier", "plan_tier"), ("firstName", "first_name")]
)
def test_unnormalized_key_is_refused_with_suggestion(api, key, suggestion):
    response = put(api, {"email": "a@example.com", "properties": {key: "x"}})

    assert response.status_code == 400
    assert error_code(response) == "invalid_key"
    assert suggestion in response.json()["error"]["message"]
    assert not PropertyDefinition.objects.exists()


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("text", "Acme"),
        ("text", 12),
        ("number", "15.99"),
        ("number", 3),
        ("integer", "100"),
        ("integer", 7),
        ("boolean", "Yes"),
        ("boolean", "n"),
        ("boolean", 1),
        ("date", "2019-12-31"),
        ("date", "12/31/2019"),
        ("date", 1603885746),
        ("url", "https://example.com/invoice.html"),
        ("collection", "a, b, c"),
        ("collection", ["a", 1]),
    ],
)
def test_each_type_accepts_its_values(api, type_, value):
    response = put(
        api, {"email": "a@example.com", "properties": {"k": {"value": value, "type": type_}}}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["properties"][0]["type"] == type_
    assert PropertyValue.objects.count() == 1


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("text", {"a": 1}),
        ("text", "x" * 10_001),
        ("number", "abc"),
        ("number", True),
        ("integer", 3.5),
        ("integer", "3.5"),
        ("boolean", "maybe"),
        ("date", "31/12/2019"),
        ("date", "next tuesday"),
        ("url", "ftp://example.com"),
        ("url", "example.com"),
        ("collection", [["nested"]]),
        ("collection", [{"a": 1}]),
        ("collection", ["x"] * 101),
    ],
)
def test_each_type_refuses_wrong_values(api, type_, value):
    response = put(
        api, {"email": "a@example.com", "properties": {"k": {"value": value, "type": type_}}}
    )

    assert response.status_code == 400
    assert error_code(response) == "invalid_value"
    assert not PropertyValue.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_unknown_type_is_refused(api):
    response = put(api, {"email": "a@example.com", "properties": {"k": {"value": 1, "type": "x"}}})

    assert response.status_code == 400
    assert "integer" in response.json()["error"]["message"]


def test_type_aliases_are_accepted(api):
    response = put(
        api,
        {
            "email": "a@example.com",
            "properties": {
                "a": {"value": "x", "type": "string"},
                "b": {"value": 1, "type": "long"},
                "c": {"value": 1.5, "type": "double"},
                "d": {"value": "2019-12-31", "type": "datetime"},
                "e": {"value": "x,y", "type": "list"},
            },
        },
    )

    assert response.status_code == 200
    types = dict(PropertyDefinition.objects.values_list("key", "type"))
    assert types == {"a": "text", "b": "integer", "c": "number", "d": "date", "e": "collection"}


# --- PATCH


def test_patch_sets_one_property(api, account):
    response = patch(api, "company_name", {"user_id": "usr_1", "value": "Acme Inc", "type": "text"})

    assert response.status_code == 200
    customer = Customer.objects.get(user_id="usr_1")
    assert response.json() == {
        "status": "updated",
        "customer_id": customer.pk,
        "property": {"key": "company_name", "value": "Acme Inc", "type": "text"},
    }
    assert value_of(customer, "company_name") == "Acme Inc"


def test_patch_requires_value(api):
    response = patch(api, "company_name", {"user_id": "usr_1"})

    assert response.status_code == 400
    assert "value" in response.json()["error"]["message"]
    assert not Customer.objects.exists()


def test_patch_with_null_unassigns(api):
    patch(api, "plan", {"user_id": "u", "value": "free"})

    response = patch(api, "plan", {"user_id": "u", "value": None})

    assert response.status_code == 200
    assert response.json()["property"]["value"] is None
    assert value_of(Customer.objects.get(), "plan") is None


def test_patch_with_invalid_key_in_path_is_refused(api):
    response = patch(api, "Plan-Tier", {"user_id": "u", "value": "x"})

    assert response.status_code == 400
    assert "plan_tier" in response.json()["error"]["message"]


# --- DELETE


def test_delete_unassigns_from_this_customer_only(api, account):
    put(api, {"email": "a@example.com", "properties": {"plan": "free", "other": "keep"}})
    put(api, {"email": "b@example.com", "properties": {"plan": "pro"}})
    a = Customer.objects.get(email="a@example.com")

    response = api.delete(f"{URL}/plan?customer_uuid={a.uuid}")

    assert response.status_code == 200
    assert response.json() == {"status": "deleted", "customer_id": a.pk, "key": "plan"}
    assert value_of(a, "plan") is None
    assert value_of(a, "other") == "keep"
    assert value_of(Customer.objects.get(email="b@example.com"), "plan") == "pro"
    assert PropertyDefinition.objects.filter(key="plan", archived_at__isnull=True).exists()


def test_delete_with_identifier_in_body(api, account):
    put(api, {"email": "a@example.com", "properties": {"plan": "free"}})

    response = api.delete(
        f"{URL}/plan", json.dumps({"email": "a@example.com"}), content_type="application/json"
    )

    assert response.status_code == 200
    assert not PropertyValue.objects.exists()


def test_delete_of_unknown_property_is_404(api, account):
    put(api, {"email": "a@example.com", "properties": {"plan": "free"}})

    response = api.delete(f"{URL}/nope?email=a@example.com")

    assert response.status_code == 404
    assert error_code(response) == "property_not_found"


def test_delete_for_unknown_customer_is_404_and_creates_nothing(api):
    response = api.delete(f"{URL}/plan?email=nobody@example.com")

    assert response.status_code == 404
    assert not Customer.objects.exists()
