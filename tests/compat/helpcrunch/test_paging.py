"""HelpCrunch offset and limit: huge or odd numbers are a 400 naming the range (issue 8, item 7).

A row offset beyond PostgreSQL's bigint would be a 500: offsets stop at 10**9.
"""

from urllib.parse import urlencode

import pytest

from compat.helpcrunch.search import MAX_LIMIT, MAX_OFFSET
from customers.identifiers import Identifier
from customers.models import Customer
from customers.services import customer_profile_save
from tests.compat.helpcrunch.helpers import error_of, send

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")

HUGE_TEXT = ["9" * 30, "9" * 5000, "1" + "0" * 11, "\u00b2", "\u0661", "1e3"]


@pytest.fixture
def three(account):
    for number in range(3):
        customer_profile_save(
            account=account, identifier=Identifier("user_id", f"u{number}"), fields={}
        )
    assert Customer.objects.count() == 3


@pytest.mark.parametrize("name", ["offset", "limit"])
@pytest.mark.parametrize("value", [*HUGE_TEXT, str(MAX_OFFSET + 1)])
def test_huge_or_odd_list_paging_is_refused(hc, three, name, value):
    response = send(hc, "GET", "/customers?" + urlencode({name: value}))

    error = error_of(response, 400)
    assert error["code"] == name
    assert "whole number from" in error["message"]


@pytest.mark.parametrize("name", ["offset", "limit"])
@pytest.mark.parametrize("value", [10**30, -(10**30), 1e300, 2.5, "9" * 30, [1], {"n": 1}])
def test_huge_or_odd_search_paging_is_refused(hc, three, name, value):
    response = send(hc, "POST", "/customers/search", {"filter": [], name: value})

    error = error_of(response, 400)
    assert error["code"] == name


def test_largest_offset_and_limit_are_an_empty_page(hc, three):
    listed = send(hc, "GET", f"/customers?offset={MAX_OFFSET}&limit={MAX_LIMIT}")
    searched = send(
        hc, "POST", "/customers/search", {"filter": [], "offset": MAX_OFFSET, "limit": MAX_LIMIT}
    )

    for response in (listed, searched):
        assert response.status_code == 200, response.content
        assert response.json() == {"data": [], "total": 3}
