"""A marketer creates a property, sets it, filters by it and unassigns it from one customer."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import Customer, PropertyDefinition, PropertyValue
from tests.browser.conftest import log_in
from tests.factories import make_customer

pytestmark = pytest.mark.browser


@pytest.fixture
def two_customers(account, transactional_db):
    return [make_customer(account, email) for email in ("ann@example.com", "bob@example.com")]


def set_on_profile(page, customer, value):
    page.goto(f"/customers/{customer.pk}/")
    page.get_by_label("Find a property").fill("loyalty")
    page.get_by_role("link", name="Loyalty tier", exact=True).click()
    page.get_by_label("Loyalty tier", exact=True).fill(value)
    page.get_by_role("button", name="Set Loyalty tier").click()
    page.wait_for_url(re.compile(r"#value-loyalty_tier$"))


def test_marketer_sets_filters_and_unassigns_a_property(page, marketer, two_customers, shoot):
    ann, bob = two_customers
    log_in(page, marketer)
    expect(page.get_by_text("Marketer", exact=True)).to_be_visible()

    page.goto("/attributes/new-property/")
    page.get_by_label("Label").fill("Loyalty tier")
    expect(page.get_by_label("Key")).to_have_value("loyalty_tier")
    page.get_by_label("Type").select_option("text")
    page.get_by_label("Description").fill("Gold, silver or bronze.")
    shoot(page, "attribute-create")
    page.get_by_role("button", name="Create property").click()
    definition = PropertyDefinition.objects.get(key="loyalty_tier")
    assert (definition.type, definition.source) == ("text", "ui")

    set_on_profile(page, ann, "gold")
    set_on_profile(page, bob, "silver")
    shoot(page, "customer-profile")
    assert PropertyValue.objects.get(customer=ann, definition=definition).value_text == "gold"

    page.goto("/customers/")
    page.get_by_text("Add a property condition").click()
    page.get_by_label("Property", exact=True).fill("loyalty_tier")
    page.get_by_label("Condition").select_option("eq")
    page.get_by_label("Value", exact=True).fill("gold")
    page.get_by_role("button", name="Add condition").click()
    shoot(page, "customers-filtered")
    table = page.locator("table.customers-table tbody")
    expect(table).to_contain_text("ann@example.com")
    expect(table).not_to_contain_text("bob@example.com")

    page.goto(f"/customers/{ann.pk}/")
    page.get_by_role("link", name=re.compile("Unassign… Loyalty tier")).click()
    expect(page.get_by_text("this customer only", exact=False)).to_be_visible()
    expect(page.get_by_text("other customers keep their values", exact=False)).to_be_visible()
    shoot(page, "customer-unassign-confirm")
    page.get_by_role("button", name="Unassign from this customer").click()

    assert not PropertyValue.objects.filter(customer=ann, definition=definition).exists()
    assert PropertyValue.objects.get(customer=bob, definition=definition).value_text == "silver"
    assert PropertyDefinition.objects.filter(key="loyalty_tier", archived_at=None).exists()
    assert Customer.objects.count() == 2


def test_marketer_cannot_reach_admin_actions(page, marketer, two_customers):
    log_in(page, marketer)
    PropertyDefinition.objects.create(
        account=two_customers[0].account, key="plan", label="Plan", type="text"
    )

    response = page.goto("/attributes/plan/archive/")

    assert response.status == 403
    page.goto("/attributes/plan/")
    expect(page.get_by_role("link", name="Archive for the whole account…")).to_have_count(0)
