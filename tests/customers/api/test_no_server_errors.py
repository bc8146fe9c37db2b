"""No input, however malformed, produces a 5xx (PRODUCT.md §4)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import json_values as json_values_strategy

IDENTIFIERS = ["customer_id", "customer_uuid", "visitor_id", "user_id", "email", "x"]
json_values = json_values_strategy(max_leaves=12)
bodies = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(IDENTIFIERS, json_values),
        "properties": st.dictionaries(
            st.sampled_from(["plan", "Plan Tier", "n", "when", ""]) | st.text(max_size=10),
            json_values,
            max_size=5,
        )
        | json_values,
        "value": json_values,
        "type": json_values,
    },
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=bodies | json_values)
def test_put_and_patch_never_fail_with_a_server_error(api, body):
    raw = json.dumps(body)
    put = api.put("/api/customers/properties", raw, content_type="application/json")
    patch = api.patch("/api/customers/properties/plan", raw, content_type="application/json")

    assert put.status_code < 500, put.content
    assert patch.status_code < 500, patch.content
    assert put.json()["status"] in ("updated", "error")


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from([*IDENTIFIERS, "q", "tag", "plan>", "n<", "plan__contains", "limit"])
        | st.text(max_size=6),
        st.text(max_size=12),
        max_size=4,
    )
)
def test_reads_never_fail_with_a_server_error(api, params):
    api.put(
        "/api/customers/properties",
        json.dumps({"email": "a@example.com", "properties": {"plan": "x", "n": 2}}),
        content_type="application/json",
    )
    for url in ("/api/customers/properties", "/api/customers", "/api/properties"):
        response = api.get(url, params)
        assert response.status_code < 500, (url, params, response.content)
