import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import DefinitionSource, PropertyDefinition, PropertyValue
from customers.services.definitions import definition_archive
from customers.services.devices import customer_device_set
from customers.services.properties import PropertyWrite, customer_properties_set
from customers.services.subscriptions import customers_unsubscribe
from customers.services.suppressions import customer_suppress
from customers.services.tags import customer_tags_add
from events.services import event_record
from tests.factories import TESTS, make_customer, make_tags
from tests.members import member_client
from tests.stored import value_of

TYPED = [
    PropertyWrite("active", True, "boolean"),
    PropertyWrite("payments", 12, "integer"),
    PropertyWrite("ltv", 15.5, "number"),
    PropertyWrite("trial_ends", "2026-06-01", "date"),
    PropertyWrite("homepage", "https://ada.example.com", "url"),
    PropertyWrite("interests", ["golf", "chess"], "collection"),
    PropertyWrite("plan_tier", "enterprise", "text"),
]


@pytest.fixture
def ada(account):
    return make_customer(account, "ada@example.com", TYPED, first_name="Ada", last_name="Lovelace")


def url(customer, rest=""):
    return f"/customers/{customer.pk}/{rest}"


def test_profile_requires_login(ada):
    response = Client().get(url(ada))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_profile_shows_identifiers_and_tags(account, ada, marketer_client):
    customer_tags_add(customer=ada, tags=make_tags(account, "vip"))

    response = marketer_client.get(url(ada))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ada Lovelace</h1>" in html
    assert str(ada.uuid) in html
    assert "ada@example.com" in html
    assert 'aria-label="Remove the tag vip"' in html


def test_each_value_has_the_editor_of_its_type(ada, marketer_client):
    html = marketer_client.get(url(ada)).content.decode()

    assert 'type="checkbox" name="v-active-value" role="switch" class="switch"' in html
    assert 'id="id_v-active-value" checked' in html
    assert 'type="number" name="v-payments-value" value="12" step="1"' in html
    assert 'type="number" name="v-ltv-value" value="15.5" step="any"' in html
    # ISO text, not the browser's date input (whose display follows the locale).
    assert 'type="text" name="v-trial_ends-value" value="2026-06-01" class="date-editor"' in html
    assert 'placeholder="YYYY-MM-DD"' in html
    assert 'type="url" name="v-homepage-value" value="https://ada.example.com"' in html
    assert 'type="text" name="v-interests-value" value="golf, chess" class="chips-editor"' in html
    assert 'type="text" name="v-plan_tier-value" value="enterprise"' in html
    assert '<label for="id_v-plan_tier-value">Plan tier</label>' in html
    assert html.count('type="submit">Save<span class="visually-hidden">') == len(TYPED)
    assert '<span class="visually-hidden"> Plan tier</span></a>' in html
    assert '<script src="/static/customers/profile.js" defer></script>' in html


def test_a_date_with_a_time_is_edited_as_iso_utc(account, marketer_client):
    ann = make_customer(
        account, "ann@example.com", [PropertyWrite("seen", "2026-06-01T14:30:05+02:00", "date")]
    )

    html = marketer_client.get(url(ann)).content.decode()

    assert 'name="v-seen-value" value="2026-06-01T12:30:05Z"' in html


def test_saving_a_date_with_a_time_unchanged_keeps_the_moment(account, marketer_client):
    ann = make_customer(
        account, "ann@example.com", [PropertyWrite("seen", "2026-06-01T14:30:05+02:00", "date")]
    )

    marketer_client.post(
        url(ann), {"do": "save-value", "key": "seen", "v-seen-value": "2026-06-01T12:30:05Z"}
    )

    assert value_of(ann, "seen") == datetime.datetime(2026, 6, 1, 12, 30, 5, tzinfo=datetime.UTC)


def test_a_text_with_line_breaks_is_edited_in_a_text_area(account, marketer_client):
    ann = make_customer(account, "ann@example.com", {"note": "line one\nline two"})

    html = marketer_client.get(url(ann)).content.decode()

    assert 'name="v-note-value" cols="40" rows="3"' in html
    assert "line one\nline two</textarea>" in html


def test_json_is_edited_in_a_text_area(account, marketer_client):
    ann = make_customer(
        account, "ann@example.com", [PropertyWrite("address", {"city": "Oslo"}, "json")]
    )

    html = marketer_client.get(url(ann)).content.decode()

    assert '<textarea name="v-address-value" cols="40" rows="6" class="json-editor"' in html


def test_archived_properties_are_not_shown(ada, marketer_client):
    definition_archive(definition=PropertyDefinition.objects.get(key="plan_tier"), actor=TESTS)

    html = marketer_client.get(url(ada)).content.decode()

    assert "v-plan_tier-value" not in html


def save(client, customer, key, typed, query=""):
    """Post a value's editor as the page does: to the page's own address."""
    return client.post(
        url(customer) + query, {"do": "save-value", "key": key, f"v-{key}-value": typed}
    )


def row(html: str, key: str) -> str:
    """Return the HTML of one value's row."""
    start = html.index(f'<li class="value-row" id="value-{key}">')
    return html[start : html.index("</li>", start)]


def card(html: str, anchor: str) -> str:
    """Return the HTML of the card of id `anchor`."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def tag_of(html: str, field_id: str) -> str:
    """Return the opening tag of the input, select or textarea of id `field_id`."""
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert match, f"no field {field_id}"
    return match.group(0)


def described_by(tag: str) -> list[str]:
    match = re.search(r'aria-describedby="([^"]*)"', tag)
    return match.group(1).split() if match else []


def top_messages(html: str) -> str:
    """Return the page-wide messages above the content (base.html), or ""."""
    if '<div class="messages"' not in html:
        return ""
    start = html.index('<div class="messages"')
    return html[start : html.index("</div>", start)]


def test_every_form_posts_to_the_page_it_is_on(ada, marketer_client):
    customer_tags_add(customer=ada, tags=make_tags(ada.account, "vip"))

    html = marketer_client.get(url(ada) + "?q=plan").content.decode()

    here = f'method="post" action="{url(ada)}?q=plan"'
    # Each value, the tag add and remove, the new property.
    assert html.count(here) == len(TYPED) + 3
    assert html.count('method="post"') == len(TYPED) + 3 + 1  # and Log out


def test_marketer_saves_a_value_and_lands_on_its_row(ada, marketer_client):
    response = save(marketer_client, ada, "payments", "40")

    assert response.status_code == 302
    assert response["Location"] == url(ada) + "#value-payments"
    assert value_of(ada, "payments") == 40.0
    html = marketer_client.get(response["Location"]).content.decode()
    assert (
        '<p class="note note-success" role="status" tabindex="-1" data-note>Saved Payments: 40.</p>'
    ) in row(html, "payments")
    assert "Saved Payments" not in top_messages(html)
    assert html.count("Saved Payments: 40.") == 1


def test_the_confirmation_is_shown_once(ada, marketer_client):
    save(marketer_client, ada, "payments", "40")
    marketer_client.get(url(ada))

    assert "Saved Payments" not in marketer_client.get(url(ada)).content.decode()


def test_the_older_save_address_still_saves_and_lands_on_the_row(ada, marketer_client):
    response = marketer_client.post(
        url(ada, "values/payments/"), {"v-payments-value": "40"}, follow=True
    )

    assert response.redirect_chain == [(url(ada) + "#value-payments", 302)]
    assert "Saved Payments: 40." in row(response.content.decode(), "payments")
    assert value_of(ada, "payments") == 40.0


def test_unchecked_boolean_saves_false(ada, marketer_client):
    marketer_client.post(url(ada), {"do": "save-value", "key": "active"})

    assert value_of(ada, "active") is False


def test_collection_is_saved_from_comma_separated_text(ada, marketer_client):
    save(marketer_client, ada, "interests", "tennis, golf ,")

    assert value_of(ada, "interests") == ["tennis", "golf"]


def test_date_is_saved_as_utc_midnight(ada, marketer_client):
    save(marketer_client, ada, "trial_ends", "2027-01-31")

    assert value_of(ada, "trial_ends") == datetime.datetime(2027, 1, 31, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("payments", "3.5", "Expected a whole number for an integer property"),
        ("ltv", "lots", "Expected a number for a number property"),
        ("homepage", "not a url", "Expected an absolute http(s) URL"),
        ("trial_ends", "31/12/2019", "Expected a"),
    ],
)
def test_refused_value_is_explained_next_to_its_field_which_has_the_focus(
    ada, marketer_client, key, typed, message
):
    before = value_of(ada, key)

    response = save(marketer_client, ada, key, typed, "?q=x")

    # Re-rendered where it was posted (the page's own address): no redirect, URL kept.
    assert response.status_code == 400
    assert response.wsgi_request.get_full_path() == url(ada) + "?q=x"
    html = response.content.decode()
    field = row(html, key)
    error_at = field.index(f'<ul class="errorlist" id="id_v-{key}-value_error">')
    assert message in field[error_at : error_at + 400]
    editor = tag_of(field, f"id_v-{key}-value")
    assert 'aria-invalid="true"' in editor
    assert f"id_v-{key}-value_error" in described_by(editor)
    assert f'value="{typed}"' in editor
    assert " autofocus" in editor
    assert html.count("autofocus") == 1
    assert value_of(ada, key) == before


def test_empty_value_points_to_unassign_instead(ada, marketer_client):
    response = save(marketer_client, ada, "plan_tier", "")

    assert response.status_code == 400
    assert "Enter a value, or use Unassign" in row(response.content.decode(), "plan_tier")
    assert value_of(ada, "plan_tier") == "enterprise"


def test_saving_a_value_the_customer_does_not_have_is_404(ada, marketer_client):
    assert save(marketer_client, ada, "nope", "x").status_code == 404
    response = marketer_client.post(url(ada, "values/nope/"), {"v-nope-value": "x"})
    assert response.status_code == 404


def test_an_unknown_action_is_refused(ada, marketer_client):
    response = marketer_client.post(url(ada), {"do": "drop-tables"})

    assert response.status_code == 400


def test_value_save_refuses_get(ada, marketer_client):
    assert marketer_client.get(url(ada, "values/plan_tier/")).status_code == 405


def test_unassign_is_offered_per_value(ada, marketer_client):
    html = marketer_client.get(url(ada)).content.decode()

    assert f'href="/customers/{ada.pk}/values/plan_tier/unassign/"' in html


def test_unassign_lands_on_the_properties_with_its_confirmation(account, ada, marketer_client):
    response = marketer_client.post(url(ada, "values/plan_tier/unassign/"))

    assert response["Location"] == url(ada) + "#properties"
    html = marketer_client.get(response["Location"]).content.decode()
    assert "Plan tier was removed from this customer." in card(html, "properties")
    assert 'role="status"' in card(html, "properties")
    assert "removed" not in top_messages(html)
    assert value_of(ada, "plan_tier") is None


# --- Tags


def test_tag_added_from_the_page_lands_on_the_tags_with_its_confirmation(ada, marketer_client):
    response = marketer_client.post(url(ada), {"do": "add-tag", "name": " vip "})

    assert response["Location"] == url(ada) + "#tags"
    tags = card(marketer_client.get(response["Location"]).content.decode(), "tags")
    assert (
        '<p class="note note-success" role="status" tabindex="-1" data-note>Tagged “vip”.</p>'
        in tags
    )
    assert list(ada.tags.values_list("name", flat=True)) == ["vip"]


def test_tag_removed_from_the_page_lands_on_the_tags_with_its_confirmation(
    account, ada, marketer_client
):
    customer_tags_add(customer=ada, tags=make_tags(account, "vip"))

    response = marketer_client.post(url(ada), {"do": "remove-tag", "name": "vip"})

    assert response["Location"] == url(ada) + "#tags"
    tags = card(marketer_client.get(response["Location"]).content.decode(), "tags")
    assert "Removed the tag “vip” from this customer." in tags
    assert not ada.tags.exists()


def test_refused_tag_is_explained_next_to_its_field_which_has_the_focus(ada, marketer_client):
    response = marketer_client.post(url(ada), {"do": "add-tag", "name": ""})

    assert response.status_code == 400
    tags = card(response.content.decode(), "tags")
    assert '<ul class="errorlist" id="id_name_error"><li>Enter a tag name.</li></ul>' in tags
    editor = tag_of(tags, "id_name")
    assert 'aria-invalid="true"' in editor
    assert described_by(editor) == ["id_name_error"]
    assert " autofocus" in editor
    assert not ada.tags.exists()


# --- Add a property: every property, searchable, each with the editor of its type


@pytest.fixture
def bob(account, ada):
    """A customer without values, in an account that has ada's seven properties."""
    return make_customer(account, "bob@example.com")


def test_the_panel_lists_every_active_property_with_or_without_a_value(
    account, ada, marketer_client
):
    customer_properties_set(
        account=account, customer=make_customer(account), writes=[PropertyWrite("seats", 3)]
    )
    definition_archive(definition=PropertyDefinition.objects.get(key="ltv"), actor=TESTS)

    panel = card(marketer_client.get(url(ada)).content.decode(), "add-property")

    assert '<a href="?add=seats#add-property" class="property-pick">' in panel
    assert '<a href="#value-plan_tier" class="property-pick">' in panel
    assert "(has a value: edit it)" in panel
    assert 'data-search="ltv ltv"' not in panel
    assert "7 properties." in panel


def test_choosing_a_property_opens_the_editor_of_its_type(bob, marketer_client):
    html = marketer_client.get(url(bob) + "?add=payments").content.decode()

    panel = card(html, "add-property")
    assert '<input type="hidden" name="do" value="set-property">' in panel
    assert '<input type="hidden" name="key" value="payments">' in panel
    assert 'type="number" name="add-value" step="1"' in panel
    assert "autofocus" in panel
    # The type comes from the property: shown, not chosen.
    assert '<span class="badge" title="The type comes from the property">Integer</span>' in panel
    assert 'name="add-type"' not in panel
    assert f'action="{url(bob)}?add=payments"' in panel


@pytest.mark.parametrize(
    ("key", "editor"),
    [
        ("active", 'type="checkbox" name="add-value" role="switch"'),
        ("trial_ends", 'type="text" name="add-value" class="date-editor"'),
        ("interests", 'type="text" name="add-value" class="chips-editor"'),
        ("homepage", 'type="url" name="add-value"'),
        ("ltv", 'type="number" name="add-value" step="any"'),
    ],
)
def test_each_type_opens_its_own_editor(bob, marketer_client, key, editor):
    html = marketer_client.get(url(bob) + f"?add={key}").content.decode()

    assert editor in card(html, "add-property")


def test_a_property_the_customer_has_opens_no_second_editor(ada, marketer_client):
    html = marketer_client.get(url(ada) + "?add=payments").content.decode()

    assert 'name="add-value"' not in html


def test_marketer_sets_an_existing_property_and_lands_on_its_new_row(bob, marketer_client):
    response = marketer_client.post(
        url(bob) + "?add=plan_tier", {"do": "set-property", "key": "plan_tier", "add-value": "pro"}
    )

    assert response["Location"] == url(bob) + "#value-plan_tier"
    assert value_of(bob, "plan_tier") == "pro"
    html = marketer_client.get(response["Location"]).content.decode()
    assert "Set Plan tier to pro on this customer." in row(html, "plan_tier")


def test_unchecked_switch_sets_a_boolean_to_false(bob, marketer_client):
    marketer_client.post(url(bob) + "?add=active", {"do": "set-property", "key": "active"})

    assert value_of(bob, "active") is False


def test_refused_value_of_a_chosen_property_keeps_the_url_and_focuses_the_field(
    bob, marketer_client
):
    response = marketer_client.post(
        url(bob) + "?add=payments", {"do": "set-property", "key": "payments", "add-value": "3.5"}
    )

    assert response.status_code == 400
    assert response.wsgi_request.get_full_path() == url(bob) + "?add=payments"
    panel = card(response.content.decode(), "add-property")
    error_at = panel.index('<ul class="errorlist" id="id_add-value_error">')
    assert "Expected a whole number" in panel[error_at : error_at + 300]
    editor = tag_of(panel, "id_add-value")
    assert 'aria-invalid="true"' in editor
    assert described_by(editor) == ["id_add-value_error"]
    assert " autofocus" in editor
    assert panel.count("autofocus") == 1
    assert value_of(bob, "payments") is None


def test_setting_an_archived_property_says_so(bob, marketer_client):
    definition_archive(definition=PropertyDefinition.objects.get(key="plan_tier"), actor=TESTS)

    response = marketer_client.post(
        url(bob), {"do": "set-property", "key": "plan_tier", "add-value": "pro"}
    )

    assert response.status_code == 400
    assert "There is no active property “plan_tier”" in card(
        response.content.decode(), "add-property"
    )
    assert value_of(bob, "plan_tier") is None


def test_the_search_keeps_the_matching_properties(bob, marketer_client):
    panel = card(marketer_client.get(url(bob) + "?q=TIER").content.decode(), "add-property")

    assert '<li data-search="plan tier plan_tier">' in panel
    assert '<li data-search="payments payments" hidden>' in panel
    assert "1 property matching “TIER”." in panel
    assert 'value="TIER"' in panel


def test_a_long_list_shows_a_page_and_offers_the_rest(account, bob, marketer_client):
    customer_properties_set(
        account=account,
        customer=make_customer(account),
        writes=[PropertyWrite(f"extra_{n:03}", n) for n in range(40)],
    )

    first = card(marketer_client.get(url(bob)).content.decode(), "add-property")
    every = card(marketer_client.get(url(bob) + "?all=1").content.decode(), "add-property")

    assert first.count("<li data-search=") == 47
    assert first.count(" hidden>") == 47 - 25
    assert "Showing 25 of 47 properties." in first
    assert 'href="?all=1#all-properties" data-show-all>Show all 47 properties</a>' in first
    assert " hidden>" not in every
    assert "data-all-shown" in every
    assert "data-all-shown" not in first
    assert "data-show-all" not in every


def test_marketer_creates_a_new_property_of_a_chosen_type(ada, marketer_client):
    response = marketer_client.post(
        url(ada),
        {"do": "create-property", "new-key": "seats", "new-type": "integer", "new-value": "25"},
    )

    assert response["Location"] == url(ada) + "#value-seats"
    definition = PropertyDefinition.objects.get(key="seats")
    assert (definition.type, definition.label, definition.source) == (
        "integer",
        "Seats",
        DefinitionSource.UI,
    )
    assert value_of(ada, "seats") == 25.0
    html = marketer_client.get(response["Location"]).content.decode()
    assert "Set seats to 25 on this customer." in row(html, "seats")


def test_the_older_add_address_still_sets_and_creates(bob, marketer_client):
    marketer_client.post(url(bob, "properties/"), {"key": "plan_tier", "add-value": "pro"})
    marketer_client.post(
        url(bob, "properties/"), {"new-key": "seats", "new-type": "integer", "new-value": "2"}
    )

    assert (value_of(bob, "plan_tier"), value_of(bob, "seats")) == ("pro", 2.0)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new-value": "x"}, "key", "Type the key of the new property."),
        (
            {"new-key": "Seat Count", "new-value": "3"},
            "key",
            "(for example &quot;seat_count&quot;)",
        ),
        ({"new-key": "payments", "new-type": "text", "new-value": "3"}, "type", "is of type"),
        ({"new-key": "seats", "new-type": "integer", "new-value": "many"}, "value", "whole number"),
        ({"new-key": "seats", "new-type": "text"}, "value", "Enter the value to set."),
        ({"new-key": "seats", "new-type": "colour", "new-value": "red"}, "type", "valid choice"),
    ],
)
def test_new_property_errors_are_next_to_the_field_which_has_the_focus(
    account, bob, marketer_client, data, field, message
):
    data = {"do": "create-property", "new-type": "text", **data}
    # Posted from a page with another property's editor open: that one is not focused.
    response = marketer_client.post(url(bob) + "?add=plan_tier", data)

    assert response.status_code == 400
    assert response.wsgi_request.get_full_path() == url(bob) + "?add=plan_tier"
    assert 'name="add-value"' in response.content.decode()
    html = response.content.decode()
    error_at = html.index(f'<ul class="errorlist" id="id_new-{field}_error">')
    assert message in html[error_at : error_at + 400]
    editor = tag_of(html, f"id_new-{field}")
    assert 'aria-invalid="true"' in editor
    assert f"id_new-{field}_error" in described_by(editor)
    assert " autofocus" in editor
    assert html.count("autofocus") == 1
    assert not PropertyDefinition.objects.filter(key__in=["seats", "seat_count"]).exists()
    assert not PropertyValue.objects.filter(customer=bob).exists()


def test_creating_an_archived_key_is_refused(account, ada, marketer_client):
    definition_archive(definition=PropertyDefinition.objects.get(key="plan_tier"), actor=TESTS)

    response = marketer_client.post(
        url(ada),
        {"do": "create-property", "new-key": "plan_tier", "new-type": "text", "new-value": "pro"},
    )

    assert response.status_code == 400
    assert "is archived" in response.content.decode()
    assert value_of(ada, "plan_tier") == "enterprise"


# --- Events


def test_events_are_listed_newest_first(account, ada, marketer_client):
    for day, name in ((1, "signed_up"), (3, "paid"), (2, "opened_app")):
        event_record(
            account=account,
            customer=ada,
            name=name,
            source="web",
            occurred_at=datetime.datetime(2026, 1, day, 9, 30, tzinfo=datetime.UTC),
            properties={"plan": "pro", "amount": 12},
        )

    html = marketer_client.get(url(ada)).content.decode()

    assert html.index("paid") < html.index("opened_app") < html.index("signed_up")
    assert "2026-01-03 09:30" in html
    assert "<dt>amount</dt><dd>12</dd>" in html
    assert '<span class="badge">web</span>' in html


def test_profile_without_events_says_so(ada, marketer_client):
    assert "No events yet." in marketer_client.get(url(ada)).content.decode()


def test_events_of_other_customers_are_not_shown(account, ada, marketer_client):
    bob = make_customer(account, "bob@example.com")
    event_record(account=account, customer=bob, name="bobs_event")

    assert "bobs_event" not in marketer_client.get(url(ada)).content.decode()


def profile_queries(client, customer, query="") -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(customer) + query)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_profile_runs_a_fixed_number_of_queries(account, ada, marketer_client):
    few = profile_queries(marketer_client, ada)
    customer_properties_set(
        account=account,
        customer=ada,
        writes=[PropertyWrite(f"extra_{n}", n) for n in range(40)],
    )
    customer_tags_add(customer=ada, tags=make_tags(account, *(f"t{n}" for n in range(10))))
    for n in range(60):
        event_record(account=account, customer=ada, name=f"e{n}", properties={"n": n})
    for n in range(5):
        customer_device_set(account=account, customer=ada, token=f"token-{n}", platform="ios")

    customer_properties_set(
        account=account,
        customer=make_customer(account),
        writes=[PropertyWrite(f"other_{n:03}", n) for n in range(300)],
    )

    many = profile_queries(marketer_client, ada)
    searched = profile_queries(marketer_client, ada, "?q=other&all=1")
    opened = profile_queries(marketer_client, ada, "?add=other_007")

    # Session, user, membership, customer, its tags, devices, values, definitions (the
    # panel's too), events.
    assert few == many == searched == opened == 9


def test_suppression_unsubscription_and_devices_are_shown(account, ada, marketer_client):
    empty = marketer_client.get(url(ada)).content.decode()
    assert "No devices." in empty
    assert "Suppressed</span> since" not in empty

    customer_suppress(customer=ada)
    customers_unsubscribe(account=account, emails=[ada.email])
    customer_device_set(
        account=account, customer=ada, token="abc123-device-token", platform="android"
    )

    page = marketer_client.get(url(ada)).content.decode()

    assert "Suppressed</span> since" in page
    assert "Unsubscribed</span> since" in page
    assert "Android" in page
    assert "abc123-device-token" in page
    assert "No devices." not in page


# --- Access and CSRF


def test_another_accounts_customer_is_404(ada, other_admin_client):
    assert other_admin_client.get(url(ada)).status_code == 404
    saved = other_admin_client.post(url(ada, "values/plan_tier/"), {"v-plan_tier-value": "x"})
    assert saved.status_code == 404
    added = other_admin_client.post(
        url(ada, "properties/"), {"add-key": "x", "add-type": "text", "add-value": "x"}
    )
    assert added.status_code == 404
    assert value_of(ada, "plan_tier") == "enterprise"


def test_unknown_customer_is_404(account, marketer_client):
    assert marketer_client.get("/customers/999999/").status_code == 404


def test_value_save_without_csrf_token_is_refused(account, ada):
    client = member_client(account, "csrf@acme.example.com", enforce_csrf_checks=True)

    saved = client.post(url(ada, "values/plan_tier/"), {"v-plan_tier-value": "pro"})
    added = client.post(url(ada, "properties/"), {"add-key": "x", "add-value": "x"})

    assert saved.status_code == added.status_code == 403
    assert value_of(ada, "plan_tier") == "enterprise"


def test_value_save_with_the_pages_csrf_token_is_accepted(account, ada):
    client = member_client(account, "csrf@acme.example.com", enforce_csrf_checks=True)
    client.get(url(ada))
    token = client.cookies["csrftoken"].value

    response = client.post(
        url(ada, "values/plan_tier/"), {"v-plan_tier-value": "pro", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert value_of(ada, "plan_tier") == "pro"
