"""Each endpoint runs a fixed number of queries, whatever the number of keys or values."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer

URL = "/api/customers/properties"


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code in (200, 201), response.content
    return len(context.captured_queries)


def put(client, properties, email="a@example.com"):
    return client.put(
        URL,
        json.dumps({"email": email, "properties": properties}),
        content_type="application/json",
    )


@pytest.fixture
def warm(api):
    """A customer who already exists, and a key whose last use was just recorded."""
    put(api, {"seed": 1})
    return api


def test_put_of_existing_keys_does_not_grow_with_key_count(warm):
    put(warm, {f"k{i}": 0 for i in range(50)})

    one = queries_of(lambda: put(warm, {"k0": 1}))
    fifty = queries_of(lambda: put(warm, {f"k{i}": 2 for i in range(50)}))

    assert one == fifty == PUT_EXISTING_KEYS


def test_put_creating_keys_does_not_grow_with_key_count(warm):
    one = queries_of(lambda: put(warm, {"new0": 1}))
    fifty = queries_of(lambda: put(warm, {f"new{i + 1}": 1 for i in range(50)}))

    assert one == fifty == PUT_NEW_KEYS


def test_put_with_unassignments_does_not_grow_with_key_count(warm):
    put(warm, {f"k{i}": 0 for i in range(50)})

    one = queries_of(lambda: put(warm, {"k0": None, "k1": 5}))
    fifty = queries_of(lambda: put(warm, {**{f"k{i}": None for i in range(25)}, "k30": 9}))

    assert one == fifty == PUT_EXISTING_KEYS + 1


def test_put_for_a_new_customer_costs_no_more_queries(warm):
    assert queries_of(lambda: put(warm, {"seed": 1}, email="new@example.com")) == (
        PUT_EXISTING_KEYS
    )


def test_get_does_not_grow_with_property_count(warm):
    get = lambda: warm.get(URL, {"email": "a@example.com"})  # noqa: E731
    few = queries_of(get)
    put(warm, {f"k{i}": i for i in range(50)})

    assert queries_of(get) == few == GET_PROPERTIES


def test_patch_and_delete_do_not_grow_with_existing_properties(warm):
    put(warm, {f"k{i}": i for i in range(50)})

    def patch():
        return warm.patch(
            f"{URL}/k1",
            json.dumps({"email": "a@example.com", "value": 3}),
            content_type="application/json",
        )

    def delete():
        return warm.delete(f"{URL}/k2?email=a@example.com")

    assert queries_of(patch) == PUT_EXISTING_KEYS
    assert queries_of(delete) == DELETE_PROPERTY


def test_properties_list_does_not_grow_with_definitions(warm):
    few = queries_of(lambda: warm.get("/api/properties"))
    put(warm, {f"k{i}": i for i in range(50)})

    assert queries_of(lambda: warm.get("/api/properties")) == few == LIST_DEFINITIONS


def test_customers_list_does_not_grow_with_customers_or_values(warm, account):
    few = queries_of(lambda: warm.get("/api/customers"))
    for n in range(20):
        put(warm, {f"k{i}": i for i in range(10)}, email=f"c{n}@example.com")
    Customer.objects.get(email="c1@example.com").tags.create(account=account, name="vip")

    assert queries_of(lambda: warm.get("/api/customers")) == few == LIST_CUSTOMERS


# The budgets, stated in the README. Each includes the API-key look-up, and writes
# include the SAVEPOINT/RELEASE pair of their transaction (BEGIN/COMMIT outside tests).
# PUT: key, definitions, savepoint, create-or-touch customer, upsert values, release.
# A new customer costs nothing more: the customer statement inserts or updates.
PUT_EXISTING_KEYS = 6
# ...plus count definitions (limit), insert-or-ignore definitions, read them back.
PUT_NEW_KEYS = 9
# key, customer, values with their definitions.
GET_PROPERTIES = 3
# key, customer, definition, savepoint, delete value, touch customer, release.
DELETE_PROPERTY = 7
LIST_DEFINITIONS = 2
LIST_CUSTOMERS = 4
