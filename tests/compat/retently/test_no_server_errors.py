"""No body sent to the Retently door produces a 5xx."""

import json
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories import make_customer
from tests.strategies import fuzz_settings
from tests.strategies import json_values as json_values_strategy

json_values = json_values_strategy(
    st.sampled_from(["31/12/2019", "12/31/2019", "Yes", "a, b", "2019-12-31", ""]), max_leaves=8
)
properties = st.lists(
    st.fixed_dictionaries(
        {"label": st.text(max_size=12) | json_values},
        optional={
            "type": st.sampled_from(["string", "date", "integer", "boolean", "collection", "x"])
            | json_values,
            "value": json_values,
        },
    )
    | json_values,
    max_size=4,
)
subscriber = st.fixed_dictionaries(
    {},
    optional={
        "email": st.sampled_from(["a@example.com", "B@example.com", "bad"]) | json_values,
        "first_name": json_values,
        "tags": json_values | st.lists(st.text(max_size=8), max_size=3),
        "properties": properties,
    },
)
bodies = (
    st.fixed_dictionaries(
        {"subscribers": st.lists(subscriber | json_values, max_size=4)},
        optional={"campaign": json_values, "delay": json_values},
    )
    | json_values
)


FUZZ = fuzz_settings(max_examples=300)
# Issue 8: labels of one key, and labels that would lose a letter.
MERGED_LABELS = {
    "subscribers": [
        {
            "email": "a@example.com",
            "properties": [
                {"label": label, "value": "v"}
                for label in ("\uff30lan", "Plan", "Pl\u0430n tier", "Plan\u200b")
            ],
        }
    ]
}


@FUZZ
@given(body=bodies)
@example(body=MERGED_LABELS)
def test_retently_bodies_never_fail_with_a_server_error(api, body):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    for path in ("customers", "nps/customers", "survey"):
        response = api.post(
            f"/compat/retently/api/v2/{path}", json.dumps(body), content_type="application/json"
        )
        assert response.status_code < 500, response.content
        assert set(response.json()) == {"message", "code", "data"}


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "page": st.sampled_from(["1", "2", "0", "9" * 30]) | st.text(max_size=8),
            "limit": st.sampled_from(["1", "1000", "1001"]) | st.text(max_size=8),
            "email": st.sampled_from(["a@example.com", "bad"]) | st.text(max_size=8),
            "sort": st.sampled_from(["email", "-createdDate", "--email", "x"])
            | st.text(max_size=8),
        },
    ),
    path=st.sampled_from(["nps/customers", "customers"]),
)
# Issue 8: a huge page reached the database as a row offset ("bigint out of range").
@example(params={"page": "9" * 30}, path="nps/customers")
@example(params={"page": "\u00b2"}, path="customers")
def test_subscriber_list_params_never_fail_with_a_server_error(api, params, path):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")

    response = api.get(f"/compat/retently/api/v2/{path}", params)

    assert response.status_code < 500, response.content
    assert set(response.json()) == {"message", "code", "data"}


emails = st.sampled_from(["a@example.com", "A@EXAMPLE.COM", "bad", ""]) | json_values


@FUZZ
@given(
    body=st.fixed_dictionaries({}, optional={"emails": st.lists(emails, max_size=4) | emails})
    | json_values
)
def test_email_list_bodies_never_fail_with_a_server_error(api, account, body):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    make_customer(account, "a@example.com")
    for method, path in (("POST", "customers/unsubscribe"), ("DELETE", "customers")):
        response = api.generic(
            method, f"/compat/retently/api/v2/{path}", json.dumps(body), "application/json"
        )
        assert response.status_code < 500, response.content
        assert set(response.json()) == {"message", "code", "data"}


@FUZZ
@given(customer_id=st.text(max_size=24))
@example(customer_id="9" * 40)
def test_customer_paths_never_fail_with_a_server_error(api, customer_id):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")

    response = api.get(f"/compat/retently/api/v2/customers/{quote(customer_id, safe='')}")

    assert response.status_code < 500, response.content
