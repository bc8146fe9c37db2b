"""Editing a customer's profile in real Chromium, on a laptop and a phone: each value's
editor follows its type, the "Add a property" panel finds any of 300 properties, and the
feedback of every action lands where the eye is (in view, focused, URL kept on errors).

The pages run under the app's enforced Content-Security-Policy (profile.js is a same-origin
file); the axe-core check uses a context that lets its inline script in.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from customers.services.properties import PropertyWrite
from tests.browser.conftest import axe_violations, horizontal_overflow, log_in
from tests.factories import make_customer, make_definition
from tests.stored import value_of

pytestmark = pytest.mark.browser

TYPED = [
    PropertyWrite("active", True, "boolean"),
    PropertyWrite("address", {"city": "Oslo"}, "json"),
    PropertyWrite("homepage", "https://ann.example.com", "url"),
    PropertyWrite("interests", ["golf", "chess"], "collection"),
    PropertyWrite("ltv", 15.5, "number"),
    PropertyWrite("plan_tier", "enterprise", "text"),
    PropertyWrite("seen", "2026-06-01T14:30:05+02:00", "date"),
    PropertyWrite("trial_ends", "2026-06-01", "date"),
]
# Sorted after the typed ones and the fillers: the row furthest down the page.
LAST_KEY = "zz_payments"
# The button that removes a chip shows a multiplication sign.
REMOVE = "\u00d7"


@pytest.fixture
def ann(account, transactional_db):
    """A customer with a value of each type and 30 more, in an account of 300+ properties."""
    fillers = [PropertyWrite(f"score_{n:02}", n, "integer") for n in range(30)]
    customer = make_customer(
        account, "ann@example.com", [*TYPED, *fillers, PropertyWrite(LAST_KEY, 12, "integer")]
    )
    for n in range(270):
        make_definition(account, f"extra_{n:03}", "text", label=f"Extra {n:03}")
    make_definition(account, "seats", "integer", label="Seats")
    make_definition(account, "renews_on", "date", label="Renews on")
    return customer


@pytest.fixture
def sized_page(chromium, live_server, viewport):
    """A page of `viewport`'s size under the app's own Content-Security-Policy."""
    context = chromium.new_context(viewport=viewport, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_refusals = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_refusals.append(m.text),
    )
    yield page
    context.close()


def size_of(page) -> str:
    return f"{page.viewport_size['width']}x{page.viewport_size['height']}"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def profile(page, customer, query: str = ""):
    response = page.goto(f"/customers/{customer.pk}/{query}")
    assert response.status == 200
    page.wait_for_load_state("load")


def test_the_saved_confirmation_is_in_view_next_to_its_row(sized_page, marketer, ann, shoot):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    row = page.locator(f"#value-{LAST_KEY}")
    row.get_by_label("Zz payments").fill("40")
    row.get_by_role("button", name="Save Zz payments").click()

    page.wait_for_url(re.compile(rf"/customers/{ann.pk}/#value-{LAST_KEY}$"))
    note = row.get_by_role("status")
    expect(note).to_have_text("Saved Zz payments: 40.")
    expect(note).to_be_in_viewport()
    expect(note).to_be_focused()
    assert value_of(ann, LAST_KEY) == 40.0
    assert page.locator(".messages").count() == 0
    assert horizontal_overflow(page) is None
    assert page.csp_refusals == []
    shoot(page, f"profile-editing-saved-{size_of(page)}")


def test_a_refused_value_keeps_the_url_and_focuses_the_field(sized_page, marketer, ann, shoot):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)
    before = page.url

    row = page.locator(f"#value-{LAST_KEY}")
    row.get_by_label("Zz payments").fill("3.5")
    with page.expect_response(re.compile(rf"/customers/{ann.pk}/$")) as answer:
        row.get_by_role("button", name="Save Zz payments").click()

    assert answer.value.status == 400
    page.wait_for_load_state("load")
    assert page.url == before
    field = page.locator(f"#id_v-{LAST_KEY}-value")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#id_v-{LAST_KEY}-value_error")
    expect(error).to_contain_text("Expected a whole number")
    expect(error).to_be_in_viewport()
    assert value_of(ann, LAST_KEY) == 12.0
    shoot(page, f"profile-editing-value-error-{size_of(page)}")


def test_the_panel_finds_a_property_and_opens_its_typed_editor(sized_page, marketer, ann, shoot):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    panel = page.locator("#add-property")
    listed = panel.locator("#all-properties li:visible")
    expect(listed).to_have_count(25)
    expect(panel.locator("#property-count")).to_have_text("Showing 25 of 311 properties.")
    panel.get_by_role("link", name="Show all 311 properties").click()
    expect(listed).to_have_count(311)
    expect(panel.locator("#property-count")).to_have_text("311 properties.")
    assert page.url.endswith(f"/customers/{ann.pk}/")  # filtered in the page, no reload
    panel.get_by_label("Find a property").fill("seat")
    expect(listed).to_have_count(1)
    expect(panel.locator("#property-count")).to_have_text("1 property matching “seat”.")
    expect(panel.locator("[data-show-all]")).to_be_hidden()
    shoot(page, f"profile-editing-search-{size_of(page)}")
    panel.get_by_role("link", name="Seats").click()

    page.wait_for_url(re.compile(r"\?add=seats#add-property$"))
    editor = page.get_by_label("Seats", exact=True)
    expect(editor).to_be_focused()
    expect(editor).to_be_in_viewport()
    assert editor.evaluate("e => [e.type, e.step]") == ["number", "1"]
    # The type is the property's: shown, not offered.
    expect(panel.locator(".set-property select")).to_have_count(0)
    expect(panel.locator(".set-property .badge")).to_have_text("Integer")
    editor.fill("25")
    panel.get_by_role("button", name="Set Seats").click()

    page.wait_for_url(re.compile(r"/#value-seats$"))
    note = page.locator("#value-seats").get_by_role("status")
    expect(note).to_have_text("Set Seats to 25 on this customer.")
    expect(note).to_be_in_viewport()
    assert value_of(ann, "seats") == 25.0


def test_a_failed_add_shows_the_error_at_the_focused_field_with_the_url_kept(
    sized_page, marketer, ann, shoot
):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann, "?add=seats")
    before = page.url

    page.get_by_label("Seats", exact=True).fill("3.5")
    page.get_by_role("button", name="Set Seats").click()

    page.wait_for_load_state("load")
    assert page.url == before
    field = page.locator("#id_add-value")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "id_add-value_error")
    error = page.locator("#id_add-value_error")
    expect(error).to_contain_text("Expected a whole number")
    expect(error).to_be_in_viewport()
    shoot(page, f"profile-editing-add-error-{size_of(page)}")

    # A new key: the first invalid field of the create form takes the focus.
    page.get_by_label("Key", exact=True).fill("Seat Count")
    page.get_by_label("Type", exact=True).select_option("integer")
    page.get_by_label("Value", exact=True).fill("3")
    before = page.url
    page.get_by_role("button", name="Set property").click()

    page.wait_for_load_state("load")
    assert page.url == before
    key = page.locator("#id_new-key")
    expect(key).to_be_focused()
    expect(key).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_new-key_error")).to_contain_text("seat_count")
    expect(page.locator("#id_new-key_error")).to_be_in_viewport()
    assert page.get_by_label("Type", exact=True).input_value() == "integer"
    shoot(page, f"profile-editing-new-error-{size_of(page)}")


def test_each_type_has_its_own_editor(sized_page, marketer, ann, shoot):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    def kind(key: str) -> list:
        return page.locator(f"#id_v-{key}-value").evaluate(
            "e => [e.tagName.toLowerCase(), e.type, e.getAttribute('role'), e.step || null]"
        )

    assert kind("active") == ["input", "checkbox", "switch", None]
    assert kind("ltv") == ["input", "number", None, "any"]
    assert kind("score_01") == ["input", "number", None, "1"]
    assert kind("homepage") == ["input", "url", None, None]
    assert kind("plan_tier") == ["input", "text", None, None]
    assert kind("address") == ["textarea", "textarea", None, None]
    # Dates are ISO text, whatever the browser's locale, with a calendar beside them.
    assert kind("trial_ends") == ["input", "text", None, None]
    expect(page.locator("#id_v-trial_ends-value")).to_have_value("2026-06-01")
    expect(page.locator("#id_v-seen-value")).to_have_value("2026-06-01T12:30:05Z")
    expect(page.get_by_role("button", name="Pick Trial ends from a calendar")).to_be_visible()
    # A collection is chips; the hidden field carries them to the server.
    chips = page.locator("#value-interests .chip")
    expect(chips).to_have_text([f"golf{REMOVE}", f"chess{REMOVE}"])
    expect(page.get_by_label("Interests", exact=True)).to_have_attribute(
        "placeholder", "Add an item"
    )
    page.locator("#value-interests").scroll_into_view_if_needed()
    shoot(page, f"profile-editing-editors-{size_of(page)}")
    assert horizontal_overflow(page) is None
    assert page.csp_refusals == []


def test_collection_chips_are_added_and_removed_then_saved(sized_page, marketer, ann):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    row = page.locator("#value-interests")
    row.get_by_role("button", name="Remove the item golf").click()
    entry = row.get_by_label("Interests", exact=True)
    expect(entry).to_be_focused()
    entry.fill("tennis")
    entry.press("Enter")
    entry.fill("sailing, hiking")
    entry.press(",")
    expect(row.locator(".chip")).to_have_text(
        [f"{item}{REMOVE}" for item in ("chess", "tennis", "sailing", "hiking")]
    )
    row.get_by_role("button", name="Save Interests").click()

    page.wait_for_url(re.compile(r"#value-interests$"))
    assert value_of(ann, "interests") == ["chess", "tennis", "sailing", "hiking"]
    expect(page.locator("#value-interests").get_by_role("status")).to_be_in_viewport()


def test_a_switch_saves_a_boolean(sized_page, marketer, ann):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    switch = page.get_by_role("switch", name="Active")
    expect(switch).to_be_checked()
    switch.click()
    page.get_by_role("button", name="Save Active").click()

    page.wait_for_url(re.compile(r"#value-active$"))
    assert value_of(ann, "active") is False
    expect(page.locator("#value-active").get_by_role("status")).to_have_text("Saved Active: No.")


def test_an_iso_date_typed_with_a_time_is_stored_as_that_moment(sized_page, marketer, ann):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    page.get_by_label("Trial ends", exact=True).fill("2027-01-31T09:15:00Z")
    page.get_by_role("button", name="Save Trial ends").click()

    page.wait_for_url(re.compile(r"#value-trial_ends$"))
    assert value_of(ann, "trial_ends") == dt.datetime(2027, 1, 31, 9, 15, tzinfo=dt.UTC)
    expect(page.get_by_label("Trial ends", exact=True)).to_have_value("2027-01-31T09:15:00Z")


def test_tag_feedback_lands_in_the_tags_card(sized_page, marketer, ann, shoot):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)
    before = page.url

    page.get_by_role("button", name="Add tag").click()
    page.wait_for_load_state("load")
    assert page.url == before
    expect(page.get_by_label("Add a tag")).to_be_focused()
    expect(page.locator("#id_name_error")).to_have_text("Enter a tag name.")
    expect(page.locator("#id_name_error")).to_be_in_viewport()

    page.get_by_label("Add a tag").fill("vip")
    page.get_by_role("button", name="Add tag").click()
    page.wait_for_url(re.compile(r"#tags$"))
    note = page.locator("#tags").get_by_role("status")
    expect(note).to_have_text("Tagged “vip”.")
    expect(note).to_be_in_viewport()
    shoot(page, f"profile-editing-tagged-{size_of(page)}")

    page.get_by_role("button", name="Remove the tag vip").click()
    page.wait_for_url(re.compile(r"#tags$"))
    expect(page.locator("#tags").get_by_role("status")).to_have_text(
        "Removed the tag “vip” from this customer."
    )
    expect(page.locator("#tags").get_by_role("status")).to_be_in_viewport()


def test_unassign_lands_on_the_properties_with_its_confirmation(sized_page, marketer, ann):
    page = sized_page
    log_in(page, marketer)
    profile(page, ann)

    page.get_by_role("link", name="Unassign… Plan tier").click()
    page.get_by_role("button", name="Unassign from this customer").click()

    page.wait_for_url(re.compile(r"#properties$"))
    note = page.locator("#properties").get_by_role("status")
    expect(note).to_contain_text("Plan tier was removed from this customer.")
    expect(note).to_be_in_viewport()
    assert value_of(ann, "plan_tier") is None


def test_profile_editing_states_pass_axe(checked_page, marketer, ann):
    page, problems = checked_page, []
    log_in(page, marketer)

    def check(label: str) -> None:
        page.wait_for_load_state("load")
        problems.extend(f"{label}: {violation}" for violation in axe_violations(page))
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"{label}: {overflow}")

    profile(page, ann, "?add=renews_on")
    check("editor open")
    page.get_by_label("Renews on", exact=True).fill("31/12/2019")
    page.get_by_role("button", name="Set Renews on").click()
    check("add refused")
    page.get_by_role("button", name="Set property").click()
    check("create refused")
    profile(page, ann, "?q=extra&all=1")
    check("every property")
    assert problems == []
