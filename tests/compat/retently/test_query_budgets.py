"""Retently's POST /customers runs as many queries for 10 subscribers as for one (issue 10)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, PropertyValue

URL = "/compat/retently/api/v2/customers"


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    post(api, subscribers(1, "warm"))  # records the key's last use; creates the keys
    return api


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def subscribers(count: int, prefix: str, *, tags=(), value="x") -> dict:
    return {
        "subscribers": [
            {
                "email": f"{prefix}{n}@example.com",
                "first_name": "Bench",
                "company": f"Co {n}",
                "tags": list(tags),
                "properties": [
                    {"label": "Plan", "value": value},
                    {"label": "Seats", "type": "integer", "value": 3},
                ],
            }
            for n in range(count)
        ]
    }


def queries_of(client, body) -> int:
    with CaptureQueriesContext(connection) as context:
        response = post(client, body)
    assert response.status_code == 200, response.content
    assert all(
        o["status"] == "saved" and not o["refused"] for o in response.json()["data"].values()
    )
    return len(context.captured_queries)


def test_new_subscribers_cost_the_same_queries_for_one_and_ten(rt):
    one = queries_of(rt, subscribers(1, "a"))
    ten = queries_of(rt, subscribers(10, "b"))

    assert one == ten == NEW_OR_EXISTING_SUBSCRIBERS
    assert Customer.objects.filter(email__startswith="b").count() == 10
    assert PropertyValue.objects.filter(customer__email__startswith="b").count() == 20


def test_existing_subscribers_cost_the_same_queries_for_one_and_ten(rt):
    post(rt, subscribers(10, "c"))

    one = queries_of(rt, subscribers(1, "c", value="y"))
    ten = queries_of(rt, subscribers(10, "c", value="z"))

    assert one == ten == NEW_OR_EXISTING_SUBSCRIBERS
    plans = PropertyValue.objects.filter(definition__key="plan", customer__email__startswith="c")
    assert sorted(plans.values_list("value_text", flat=True)) == ["z"] * 10


def test_new_keys_and_tags_cost_the_same_queries_for_one_and_ten(rt):
    def body(count, prefix):
        data = subscribers(count, prefix, tags=["vip", f"t{prefix}"])
        for item in data["subscribers"]:
            item["properties"].append({"label": f"New {prefix}", "value": "n"})
        return data

    one = queries_of(rt, body(1, "d"))
    ten = queries_of(rt, body(10, "e"))

    assert one == ten == NEW_KEYS_AND_TAGS
    customer = Customer.objects.get(email="e9@example.com")
    assert sorted(t.name for t in customer.tags.all()) == ["te", "vip"]
    assert customer.values.get(definition__key="new_e").value_text == "n"


# Each includes the API-key look-up and the SAVEPOINT/RELEASE pair of the transaction
# (BEGIN/COMMIT outside tests): key, definitions, savepoint, upsert customers (with
# their fields), upsert values, release.
NEW_OR_EXISTING_SUBSCRIBERS = 6
# ...plus count definitions (limit), insert-or-ignore them, read them back; insert-or-ignore
# tags, link them.
NEW_KEYS_AND_TAGS = NEW_OR_EXISTING_SUBSCRIBERS + 3 + 2
