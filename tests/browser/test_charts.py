"""A property's chart at 390x844 and 1280x800: as wide as its card, readable, each bar a link
to the customers it counts; values that never repeat get a note instead of bars.

Screenshots: var/screenshots/chart-<kind>-<width>x<height>.png.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, horizontal_overflow, log_in
from tests.factories import customers_holding, make_definition

pytestmark = pytest.mark.browser

# The chart's width against its card's content box, and its labels' rendered size.
GEOMETRY = """() => {
  const svg = document.querySelector("svg.bar-chart");
  const card = svg.closest(".card");
  const style = getComputedStyle(card);
  const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const label = svg.querySelector(".bar-chart-label");
  return {
    svg: svg.getBoundingClientRect().width,
    card: inner,
    font: parseFloat(getComputedStyle(label).fontSize),
    labelRight: label.getBoundingClientRect().right,
    svgRight: svg.getBoundingClientRect().right,
  };
}"""


@pytest.fixture
def charted(account, marketer):
    make_definition(account, "plan_tier", label="Plan tier")
    customers_holding(account, "plan_tier", *["enterprise"] * 3, *["starter"] * 2, "free")
    make_definition(account, "seats", "integer", label="Seats")
    customers_holding(account, "seats", 1, 2, 2, 40, 75, 120)
    make_definition(account, "avatar_url", "url", label="Avatar URL")
    customers_holding(
        account, "avatar_url", *[f"https://cdn.example.com/a/{i}.png" for i in range(15)]
    )
    return marketer


def test_a_top_values_chart_fits_and_a_bar_lists_its_customers(
    checked_page, viewport, charted, shoot
):
    page = checked_page
    log_in(page, charted)
    page.goto("/attributes/plan_tier/")

    geometry = page.evaluate(GEOMETRY)
    assert horizontal_overflow(page) is None
    assert geometry["svg"] >= geometry["card"] - 1  # the card's full width
    assert geometry["font"] >= 12  # never shrunk to fit
    assert geometry["labelRight"] <= geometry["svgRight"]
    expect(page.locator("svg.bar-chart text", has_text="Customers")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, f"chart-top-{viewport['width']}x{viewport['height']}", full_page=True)

    page.locator("a.bar-chart-row .bar-chart-bar").first.click()

    page.wait_for_url("**/customers/?plan_tier__eq=enterprise")
    expect(page.locator("main")).to_contain_text("Plan tier is “enterprise”")
    assert page.locator("main table tbody tr").count() == 3
    assert horizontal_overflow(page) is None


def test_a_histogram_bucket_lists_the_customers_in_its_range(
    checked_page, viewport, charted, shoot
):
    page = checked_page
    log_in(page, charted)
    page.goto("/attributes/seats/")

    assert horizontal_overflow(page) is None
    expect(page.locator("svg.bar-chart text", has_text="Seats (ranges)")).to_be_visible()
    shoot(page, f"chart-histogram-{viewport['width']}x{viewport['height']}", full_page=True)
    first = page.locator("a.bar-chart-row").first
    expect(first).to_have_attribute("href", "/customers/?seats__gte=1&seats__lt=13")

    first.locator(".bar-chart-label").click()

    page.wait_for_url("**/customers/?seats__gte=1&seats__lt=13")
    assert page.locator("main table tbody tr").count() == 3


def test_values_that_never_repeat_get_a_note_instead_of_bars(
    checked_page, viewport, charted, shoot
):
    page = checked_page
    log_in(page, charted)
    page.goto("/attributes/avatar_url/")

    expect(page.get_by_text("15 different values among 15 customers.")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("No value is held by more than one")
    assert page.locator("svg.bar-chart").count() == 0
    assert horizontal_overflow(page) is None
    assert axe_violations(page) == []
    shoot(page, f"chart-unique-{viewport['width']}x{viewport['height']}", full_page=True)
