"""No JSON body sent to the HelpCrunch v1 door produces a 5xx."""

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from customers.identifiers import Identifier
from customers.services import customer_profile_save
from tests.compat.helpcrunch.helpers import BASE, send
from tests.strategies import fuzz_settings
from tests.strategies import json_values as json_values_strategy

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")

json_values = json_values_strategy(max_leaves=10)
customer_fields = st.sampled_from(
    [
        "id", "name", "email", "userId", "company", "phone", "firstSeen", "lastSeen",
        "unsubscribed", "blocked", "source", "referer", "lastPage", "locale", "notes",
        "tags", "customData", "location", "device",
    ]
) | st.text(max_size=8)  # fmt: skip
custom_data = st.dictionaries(st.text(max_size=8), json_values, max_size=4) | st.lists(
    st.fixed_dictionaries({"property": json_values, "value": json_values}), max_size=3
)
customers = st.dictionaries(customer_fields, json_values, max_size=6) | st.fixed_dictionaries(
    {"customData": custom_data, "tags": json_values}
)
filters = st.lists(
    st.fixed_dictionaries(
        {
            "field": st.sampled_from(
                [
                    "customers.email", "customers.id", "customers.name", "customers.tagsData",
                    "customers.lastSeen", "customers.createdAt", "customData.plan",
                    "customData.seats", "notes", "",
                ]
            ) | st.text(max_size=10),
            "operator": st.sampled_from(
                ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "empty", "not empty"]
            ) | st.text(max_size=3),
            "value": json_values,
        }
    ),
    max_size=3,
)  # fmt: skip
searches = (
    st.fixed_dictionaries(
        {"filter": filters},
        optional={
            "comparison": st.sampled_from(["AND", "OR", "or"]) | json_values,
            "limit": json_values,
            "offset": json_values,
            "sort": st.sampled_from(["customers.firstSeen", "lastSeen", "name"]) | json_values,
            "order": st.sampled_from(["asc", "DESC"]) | json_values,
        },
    )
    | json_values
)
FUZZ = fuzz_settings(max_examples=300)


@pytest.fixture
def customer_id(account, api):
    customer, _ = customer_profile_save(
        account=account, identifier=Identifier("user_id", "fuzz"), fields={"email": "f@example.com"}
    )
    return customer.pk


@FUZZ
@given(body=customers | json_values)
# Issue 8: names of one key, and names that would lose a letter.
@example(body={"customData": {"\uff50lan": "a", "plan": "b", "pl\u0430n": "c"}})
@example(body={"customData": [{"property": "plan"}, {"property": "Plan", "value": 1}]})
def test_customer_bodies_never_fail_with_a_server_error(hc, customer_id, body):
    raw = json.dumps(body)
    for method, path in [
        ("POST", "/customers"),
        ("PUT", f"/customers/{customer_id}"),
        ("PATCH", f"/customers/{customer_id}"),
        ("PUT", f"/customers/{customer_id}/tags"),
        ("DELETE", f"/customers/{customer_id}/tags"),
    ]:
        response = send(hc, method, path, raw)
        assert response.status_code < 500, (method, path, response.content)


@FUZZ
@given(
    items=st.lists(customers | json_values, max_size=3),
    id_field=st.sampled_from([None, "customer", "id"]),
)
def test_batch_bodies_never_fail_with_a_server_error(hc, customer_id, items, id_field):
    if id_field:
        items = [
            {**item, id_field: customer_id} if isinstance(item, dict) else item for item in items
        ]

    response = send(hc, "PUT", "/customers/batch", json.dumps(items))

    assert response.status_code < 500, response.content


@FUZZ
@given(body=searches)
def test_search_bodies_never_fail_with_a_server_error(hc, customer_id, body):
    response = send(hc, "POST", "/customers/search", json.dumps(body))

    assert response.status_code < 500, response.content


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["offset", "limit", "sort", "order"]),
        st.sampled_from(["0", "1", "100", "101", "9" * 30, "\u00b2"]) | st.text(max_size=8),
        max_size=4,
    ),
    path=st.sampled_from(["/customers", "/customers/\x00", "/customers/1\x00"]),
)
@example(params={"offset": "9" * 5000}, path="/customers")
def test_list_params_and_paths_never_fail_with_a_server_error(hc, customer_id, params, path):
    response = send(hc, "GET", f"{path}?{urlencode(params)}")

    assert response.status_code < 500, response.content


events = (
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.sampled_from(["Button Click", "", "x" * 256]) | json_values,
            "data": json_values,
            "customer": st.sampled_from(["1", 1, -1, "abc", 10**30]) | json_values,
        },
    )
    | json_values
)


@FUZZ
@given(body=events, own=st.booleans(), typed=st.booleans())
def test_event_bodies_never_fail_with_a_server_error(hc, customer_id, body, own, typed):
    if own and isinstance(body, dict):
        body = {**body, "customer": customer_id}
    content_type = "application/json" if typed else ""

    response = hc.generic("POST", f"{BASE}/events", json.dumps(body), content_type=content_type)

    assert response.status_code < 500, response.content


@FUZZ
@given(path=st.text(max_size=12))
@example(path="\x00")
@example(path="9" * 40)
def test_delete_paths_never_fail_with_a_server_error(hc, customer_id, path):
    response = hc.delete(f"{BASE}/customers/{quote(path, safe='')}")

    assert response.status_code < 500, response.content
