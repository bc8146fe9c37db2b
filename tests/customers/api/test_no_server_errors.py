"""No input, however malformed, produces a 5xx (PRODUCT.md §4)."""

import base64
import json
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import fuzz_settings
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
FUZZ = fuzz_settings(max_examples=300)


@FUZZ
@given(body=bodies | json_values)
def test_put_and_patch_never_fail_with_a_server_error(api, body):
    raw = json.dumps(body)
    put = api.put("/api/customers/properties", raw, content_type="application/json")
    patch = api.patch("/api/customers/properties/plan", raw, content_type="application/json")

    assert put.status_code < 500, put.content
    assert patch.status_code < 500, patch.content
    assert put.json()["status"] in ("updated", "error")


def cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


# Cursors as pages write them (o, r, p), with arbitrary offsets, directions and positions.
cursors = st.builds(
    lambda o, r, p: cursor(f"o={o}&r={r}&p={quote(p)}"),
    st.sampled_from(["0", "1", "x", "9" * 30]),
    st.sampled_from(["0", "1", "2"]),
    st.text(max_size=12) | st.sampled_from(["5", "9" * 30, "2026-01-01 00:00:00+00:00"]),
) | st.text(max_size=12)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from([*IDENTIFIERS, "q", "tag", "plan>", "n<", "plan__contains", "limit"])
        | st.text(max_size=6),
        st.text(max_size=12),
        max_size=4,
    ),
    page=st.fixed_dictionaries(
        {},
        optional={
            "limit": st.sampled_from(["1", "200", "0", "201", "\u00b2"]) | st.text(max_size=4),
            "cursor": cursors,
        },
    ),
)
# Issue 8: a cursor whose position the database cannot compare was a 500.
@example(params={}, page={"cursor": cursor("p=abc")})
@example(params={}, page={"cursor": cursor("p=9999-12-31T23:59:59-14:00")})
@example(params={"limit": "9" * 30}, page={})
def test_reads_never_fail_with_a_server_error(api, params, page):
    params = {**params, **page}
    api.put(
        "/api/customers/properties",
        json.dumps({"email": "a@example.com", "properties": {"plan": "x", "n": 2}}),
        content_type="application/json",
    )
    for url in ("/api/customers/properties", "/api/customers", "/api/properties", "/api/events"):
        response = api.get(url, params)
        assert response.status_code < 500, (url, params, response.content)


@FUZZ
@given(key=st.text(min_size=1, max_size=70).filter(lambda k: "/" not in k), body=json_values)
# Issue 8: NUL in a definition's key was a 500 on PostgreSQL.
@example(key="\x00", body={"label": "x"})
@example(key="plan\x00", body={})
@example(key="pl\u0430n", body={"label": "x"})
def test_definition_paths_never_fail_with_a_server_error(admin_api, key, body):
    admin_api.put(
        "/api/customers/properties",
        json.dumps({"email": "a@example.com", "properties": {"plan": "x"}}),
        content_type="application/json",
    )
    path = f"/api/properties/{quote(key, safe='')}"
    raw = json.dumps(body)
    for response in (
        admin_api.get(path),
        admin_api.patch(path, raw, content_type="application/json"),
        admin_api.post(f"{path}/archive"),
        admin_api.post(f"{path}/restore"),
        admin_api.delete(path),
        admin_api.patch(
            f"/api/customers/properties/{quote(key, safe='')}", raw, content_type="application/json"
        ),
    ):
        assert response.status_code < 500, (key, response.content)
