"""No body sent to the Customer.io or events doors produces a 5xx."""

import base64
import json
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import json_values as json_values_strategy

BASE = "/compat/customerio/api/v1"
json_values = json_values_strategy(max_leaves=10)
keys = st.sampled_from(
    ["name", "data", "id", "timestamp", "type", "email", "created_at", "_update", "anonymous_id"]
) | st.text(max_size=8)
bodies = st.dictionaries(keys, json_values, max_size=6)
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=bodies, customer_id=st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s))
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
