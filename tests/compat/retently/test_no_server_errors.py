"""No body sent to the Retently door produces a 5xx."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies)
def test_retently_bodies_never_fail_with_a_server_error(api, body):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    for path in ("customers", "survey"):
        response = api.post(
            f"/compat/retently/api/v2/{path}", json.dumps(body), content_type="application/json"
        )
        assert response.status_code < 500, response.content
        assert set(response.json()) == {"message", "code", "data"}
