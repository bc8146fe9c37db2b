"""The customers list in Chromium at 390x844 and 1280x800: a marketer sorts by a column,
chooses the columns (remembered), picks a property in the filter builder, and tags two
selected customers. Screenshots: var/screenshots/customers-list-*-<width>x<height>.png."""

import pytest
from playwright.sync_api import expect

from customers.models import AuditAction, AuditEntry, Customer
from tests.browser.conftest import axe_violations, horizontal_overflow, log_in
from tests.factories import make_customer, make_definition

pytestmark = pytest.mark.browser


@pytest.fixture
def listed_account(account, transactional_db):
    make_definition(account, "seats", "integer", label="Seats")
    make_definition(account, "trial_ends", "date", label="Trial ends")
    for n, (email, name) in enumerate(
        [("cy@example.com", "Cy"), ("al@example.com", "Al"), ("bea@example.com", "Bea")]
    ):
        make_customer(account, email, {"seats": 10 * (n + 1)}, first_name=name, company="Acme")
    return account


def size_name(viewport) -> str:
    return f"{viewport['width']}x{viewport['height']}"


def test_sort_choose_columns_and_tag_two_customers(
    checked_page, viewport, marketer, listed_account, shoot
):
    page = checked_page
    log_in(page, marketer)
    page.goto("/customers/")
    rows = page.locator("table.customers-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("3 customers", exact=True)).to_be_visible()

    # Sort by email: a header click, in the URL, shown by aria-sort.
    page.locator("thead").get_by_role("link", name="Email").click()
    expect(page).to_have_url("/customers/?sort=email")
    expect(rows.first).to_contain_text("al@example.com")
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Email")
    shoot(page, f"customers-list-sorted-{size_name(viewport)}", full_page=True)

    # Columns: add Seats and Created, drop Company; remembered after a reload.
    page.get_by_text("Columns", exact=True).click()
    page.get_by_label("Find a column").fill("seat")
    page.get_by_label("Seats (seats)").check()
    page.get_by_label("Find a column").fill("")
    page.get_by_label("Company").uncheck()
    page.get_by_label("Created").check()
    shoot(page, f"customers-list-columns-{size_name(viewport)}")
    page.get_by_role("button", name="Save columns").click()
    expect(page).to_have_url("/customers/?sort=email")
    page.reload()
    head = page.locator("thead")
    expect(head).to_contain_text("Seats")
    expect(head).to_contain_text("Created")
    expect(head).not_to_contain_text("Company")

    # The filter builder follows the property's type as soon as it is picked.
    page.get_by_text("Add a property condition").click()
    page.get_by_label("Property", exact=True).fill("trial_ends")
    condition = page.get_by_label("Condition")
    expect(condition).to_be_visible()
    expect(condition.locator("option")).to_contain_text(["is after", "is on", "is before"])
    page.get_by_label("Property", exact=True).fill("seats")
    expect(condition.locator("option", has_text="is before")).to_have_count(0)
    page.get_by_label("Condition").select_option("gte")
    page.get_by_label("Value", exact=True).fill("20")
    page.get_by_role("button", name="Add condition").click()
    expect(rows).to_have_count(2)
    shoot(page, f"customers-list-filtered-{size_name(viewport)}", full_page=True)

    # Select the two rows and add a tag: review states how many, then it is done.
    page.get_by_label("Select bea@example.com").check()
    page.get_by_label("Select al@example.com").check()
    page.get_by_label("Action").select_option("tag_add")
    page.get_by_label("Tag to add").fill("champions")
    page.get_by_role("button", name="Review…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add the tag “champions” for 2 customers?"
    )
    shoot(page, f"customers-list-bulk-confirm-{size_name(viewport)}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add the tag “champions” for 2 customers").click()
    expect(page.get_by_text("Tagged 2 customers “champions”.")).to_be_visible()
    expect(rows.filter(has_text="champions")).to_have_count(2)
    shoot(page, f"customers-list-tagged-{size_name(viewport)}", full_page=True)

    assert sorted(
        Customer.objects.filter(tags__name="champions").values_list("email", flat=True)
    ) == [
        "al@example.com",
        "bea@example.com",
    ]
    assert AuditEntry.objects.filter(action=AuditAction.CUSTOMERS_TAGGED).count() == 1
    assert horizontal_overflow(page) is None
    assert axe_violations(page) == []
