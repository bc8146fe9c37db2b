"""GET /nps/customers paging: page and limit are bounded whole numbers (issue 8, item 7).

A huge page used to reach the database as a row offset: "bigint out of range" on
PostgreSQL, a 500.
"""

import json

import pytest

from compat.retently.listing import MAX_LIMIT, MAX_PAGE
from customers.models import Customer

URL = "/compat/retently/api/v2/nps/customers"


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    for number in range(3):
        response = api.post(
            "/compat/retently/api/v2/customers",
            json.dumps({"subscribers": [{"email": f"c{number}@example.com"}]}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert Customer.objects.count() == 3
    return api


def refusal(response) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"message", "code", "data"}
    assert body["code"] == 400
    return body["message"]


@pytest.mark.parametrize(
    "page",
    ["9" * 30, "9" * 5000, str(MAX_PAGE + 1), "0", "-1", "abc", "1.5", "\u00b2", "\u0661", " 2"],
)
def test_page_outside_its_range_is_refused_naming_the_range(rt, page):
    message = refusal(rt.get(URL, {"page": page}))

    assert f"page is a whole number from 1 to {MAX_PAGE}" in message


@pytest.mark.parametrize("limit", ["9" * 30, str(MAX_LIMIT + 1), "0", "-5", "x", "\u00b2"])
def test_limit_outside_its_range_is_refused_naming_the_range(rt, limit):
    message = refusal(rt.get(URL, {"limit": limit}))

    assert f"limit is a whole number from 1 to {MAX_LIMIT}" in message


def test_last_page_at_the_largest_limit_is_an_empty_page(rt):
    response = rt.get(URL, {"page": str(MAX_PAGE), "limit": str(MAX_LIMIT)})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["subscribers"], data["total"]) == ([], 3)
    assert (data["page"], data["limit"]) == (MAX_PAGE, MAX_LIMIT)


def test_pages_split_the_subscribers(rt):
    first = rt.get(URL, {"page": "1", "limit": "2"}).json()["data"]["subscribers"]
    second = rt.get(URL, {"page": "2", "limit": "2"}).json()["data"]["subscribers"]

    emails = {s["email"] for s in first + second}
    assert (len(first), len(second)) == (2, 1)
    assert emails == {"c0@example.com", "c1@example.com", "c2@example.com"}
