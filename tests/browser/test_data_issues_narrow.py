"""The Data issues page on a 390 px wide phone: nothing in the page's content overflows."""

import pytest
from playwright.sync_api import expect

from customers.errors import InvalidValue
from customers.services.data_issues import data_issues_record
from customers.services.properties import RefusedProperty
from tests.browser.conftest import log_in
from tests.factories import make_customer, make_definition

pytestmark = pytest.mark.browser


@pytest.fixture
def issues(account, transactional_db):
    make_definition(account, "address", "text", label="Postal address")
    ann = make_customer(account, "a.very.long.email.address.of.someone@example.com")
    sent = {"address": {"street": "x" * 300, "city": "Berlin", "lines": ["a" * 80] * 4}}
    for _ in range(3):
        data_issues_record(
            account=account,
            door="customerio",
            customer=ann,
            refused=[RefusedProperty("address", InvalidValue("Expected text, got " + "y" * 200))],
            sent=sent,
        )


def test_data_issues_fit_a_390_px_screen(page, admin, issues, shoot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, admin)
    page.goto("/attributes/")
    page.get_by_role("link", name="Data issues").click()

    expect(page.get_by_role("heading", name="Data issues")).to_be_visible()
    expect(page.get_by_role("link", name="Change type of Postal address")).to_be_visible()
    shoot(page, "data-issues-390")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('main .issue-group, main .issue-group *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert overflowing == []
    page.get_by_role("link", name="Change type of Postal address").click()
    assert page.url.endswith("/attributes/address/type/")
