"""`limit` is 1 to 200 and a cursor is the one a page gave (issue 8, item 7).

Both lists used to replace a malformed or out-of-range limit with the default page size
without a word, and to answer a cursor holding a position the database cannot compare
with a 500.
"""

import base64
import json

import pytest

from customers.models import Customer
from events.models import Event
from tests.customers.api.requests import set_properties

LISTS = ["/api/customers", "/api/events"]
BAD_LIMITS = [
    "0",
    "201",
    "500",
    "abc",
    "-1",
    "1.5",
    " 5",
    "5 ",
    "+5",
    "1e2",
    "\u00b2",
    "\u0661",
    "9" * 30,
]


@pytest.fixture
def three(api):
    """Three customers, each with one event."""
    for number in range(3):
        set_properties(api, f"c{number}@example.com", {"plan": "pro"})
        response = api.post(
            "/api/events",
            json.dumps(
                {
                    "name": "signed_up",
                    "timestamp": f"2026-01-0{number + 1}T00:00:00Z",
                    "customer": {"email": f"c{number}@example.com"},
                }
            ),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    assert (Customer.objects.count(), Event.objects.count()) == (3, 3)


def rows(response) -> list:
    body = response.json()
    return body["customers"] if "customers" in body else body["events"]


def cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("limit", BAD_LIMITS)
def test_limit_outside_one_to_two_hundred_is_refused_naming_the_range(api, three, url, limit):
    response = api.get(url, {"limit": limit})

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("limit: Use a whole number from 1 to 200")


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("2", 2), ("200", 3), ("", 3), ("007", 3)])
def test_limit_within_the_range_sets_the_page_size(api, three, url, limit, count):
    response = api.get(url, {"limit": limit})

    assert response.status_code == 200, response.content
    assert len(rows(response)) == count
    assert (response.json()["next"] is None) == (count == 3)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "%%%",
        "\u00e9t\u00e9",
        cursor("o=x"),
        cursor("r=x"),
        cursor("o=99999999999999999999"),
        cursor("p=abc"),
        cursor("p=%00"),
        cursor("p=%F0"),
        cursor("p=\u0661"),
        cursor("p=2026-13-01T00:00:00Z"),
        cursor("p=9999-12-31T23:59:59-14:00"),
        cursor("p=0001-01-01T00:00:00%2B14:00"),
        cursor("p=2026-01-02"),
        cursor("x=1"),
        cursor("o=1&o=2"),
        cursor("r=2"),
    ],
)
def test_a_cursor_no_page_gave_is_refused_with_400(api, three, url, value):
    response = api.get(url, {"cursor": value})

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("cursor: Invalid cursor")


def test_a_customer_cursor_beyond_every_id_is_an_ordinary_page(api, three):
    after_all = api.get("/api/customers", {"cursor": cursor("p=" + "9" * 30)})
    before_all = api.get("/api/customers", {"cursor": cursor("r=1&p=" + "9" * 30)})

    assert after_all.status_code == 200, after_all.content
    assert len(rows(after_all)) == 3
    assert before_all.status_code == 200, before_all.content
    assert rows(before_all) == []


@pytest.mark.parametrize("url", LISTS)
def test_following_next_links_walks_every_row_once(api, three, url):
    seen, response = [], api.get(url, {"limit": "2"})
    while True:
        assert response.status_code == 200, response.content
        seen.extend(json.dumps(row, sort_keys=True) for row in rows(response))
        if not response.json()["next"]:
            break
        response = api.get(response.json()["next"])

    assert len(seen) == len(set(seen)) == 3
