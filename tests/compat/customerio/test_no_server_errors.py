"""No body sent to the Customer.io or events doors produces a 5xx."""

import base64
import json
from urllib.parse import quote, urlencode

from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import fuzz_settings
from tests.strategies import json_values as json_values_strategy

BASE = "/compat/customerio/api/v1"
json_values = json_values_strategy(max_leaves=10)
keys = st.sampled_from(
    ["name", "data", "id", "timestamp", "type", "email", "created_at", "_update", "anonymous_id"]
) | st.text(max_size=8)
# The fields Customer.io gives a meaning to, each often well-formed so that the checks after
# the first (a name, then the type...) are reached too, beside arbitrary attributes.
fields = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["purchased", "page_view"]) | json_values,
        "type": st.sampled_from(["event", "page", "screen", ""]) | json_values,
        "data": st.dictionaries(st.text(max_size=6), json_values, max_size=3) | json_values,
        "timestamp": st.integers(min_value=-(10**12), max_value=10**12) | json_values,
        "anonymous_id": st.just("visitor-1") | json_values,
        "id": json_values,
        "email": st.just("jane@example.com") | json_values,
        "created_at": json_values,
        "_update": st.booleans() | json_values,
    },
)
bodies = st.builds(
    lambda known, other: {**other, **known}, fields, st.dictionaries(keys, json_values, max_size=4)
)
FUZZ = fuzz_settings(max_examples=300)


@FUZZ
@given(body=bodies, customer_id=st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s))
# Found by this test (issue 8): a list or an object as the event type was a 500.
@example(body={"name": "x", "type": ["page"]}, customer_id="u1")
@example(body={"name": "x", "type": {"page": 1}, "anonymous_id": "v"}, customer_id="u1")
# Issue 8: NUL in the customer id must never reach PostgreSQL.
@example(body={"name": "x", "plan": "pro"}, customer_id="\x00")
# Issue 8: attribute names of one key, and names that would lose a letter.
@example(body={"\uff50\uff4c\uff41\uff4e": "a", "plan\u200b": "b"}, customer_id="u1")
@example(body={"pl\u0430n_tier": "a"}, customer_id="u1")
def test_customerio_json_bodies_never_fail_with_a_server_error(api, account, body, customer_id):
    auth = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {auth}")
    raw = json.dumps(body)
    path = f"{BASE}/customers/{quote(customer_id, safe='')}"
    for response in (
        api.put(path, raw, content_type="application/json"),
        api.post(f"{path}/events", raw, content_type="application/json"),
        api.post(f"{BASE}/events", raw, content_type="application/json"),
    ):
        assert response.status_code < 500, response.content


@FUZZ
@given(
    fields=st.dictionaries(
        keys | st.just("data[price]") | st.just("data[a][b]"), st.text(max_size=12), max_size=5
    )
)
def test_customerio_form_bodies_never_fail_with_a_server_error(api, account, fields):
    auth = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {auth}")
    form = urlencode(fields)
    for response in (
        api.put(f"{BASE}/customers/u1", form, content_type="application/x-www-form-urlencoded"),
        api.post(
            f"{BASE}/customers/u1/events", form, content_type="application/x-www-form-urlencoded"
        ),
    ):
        assert response.status_code < 500, response.content


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["id", "name", "source", "timestamp", "customer", "properties"]),
        json_values,
        max_size=6,
    )
)
def test_event_bodies_never_fail_with_a_server_error(api, body):
    response = api.post("/api/events", json.dumps(body), content_type="application/json")

    assert response.status_code < 500, response.content
