import datetime

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

pytestmark = pytest.mark.urls("tests.customers.pages.urls_customers")

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

    assert 'type="checkbox" name="v-active-value" id="id_v-active-value" checked' in html
    assert 'type="number" name="v-payments-value" value="12" step="1"' in html
    assert 'type="number" name="v-ltv-value" value="15.5" step="any"' in html
    assert 'type="date" name="v-trial_ends-value" value="2026-06-01"' in html
    assert 'type="url" name="v-homepage-value" value="https://ada.example.com"' in html
    assert 'type="text" name="v-interests-value" value="golf, chess"' in html
    assert 'type="text" name="v-plan_tier-value" value="enterprise"' in html
    assert '<label for="id_v-plan_tier-value">Plan tier</label>' in html
    assert html.count('type="submit">Save<span class="visually-hidden">') == len(TYPED)
    assert '<span class="visually-hidden"> Plan tier</span></a>' in html


def test_archived_properties_are_not_shown(ada, marketer_client):
    definition_archive(definition=PropertyDefinition.objects.get(key="plan_tier"), actor=TESTS)

    html = marketer_client.get(url(ada)).content.decode()

    assert "v-plan_tier-value" not in html


def test_marketer_saves_a_value(ada, marketer_client):
    response = marketer_client.post(
        url(ada, "values/payments/"), {"v-payments-value": "40"}, follow=True
    )

    assert response.redirect_chain == [(url(ada) + "#value-payments", 302)]
    assert "Saved Payments: 40." in response.content.decode()
    assert value_of(ada, "payments") == 40.0


def test_unchecked_boolean_saves_false(ada, marketer_client):
    marketer_client.post(url(ada, "values/active/"), {})

    assert value_of(ada, "active") is False


def test_collection_is_saved_from_comma_separated_text(ada, marketer_client):
    marketer_client.post(url(ada, "values/interests/"), {"v-interests-value": "tennis, golf ,"})

    assert value_of(ada, "interests") == ["tennis", "golf"]


def test_date_is_saved_as_utc_midnight(ada, marketer_client):
    marketer_client.post(url(ada, "values/trial_ends/"), {"v-trial_ends-value": "2027-01-31"})

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
def test_refused_value_is_explained_next_to_its_field_and_not_stored(
    ada, marketer_client, key, typed, message
):
    before = value_of(ada, key)

    response = marketer_client.post(url(ada, f"values/{key}/"), {f"v-{key}-value": typed})

    assert response.status_code == 400
    html = response.content.decode()
    error_at = html.index(f'id="id_v-{key}-value_error"')
    assert message in html[error_at : error_at + 400]
    assert f'aria-describedby="id_v-{key}-value_error"' in html or (
        f'id_v-{key}-value_error"' in html and 'aria-invalid="true"' in html
    )
    assert f'value="{typed}"' in html
    assert value_of(ada, key) == before


def test_empty_value_points_to_unassign_instead(ada, marketer_client):
    response = marketer_client.post(url(ada, "values/plan_tier/"), {"v-plan_tier-value": ""})

    assert response.status_code == 400
    assert "Enter a value, or use Unassign" in response.content.decode()
    assert value_of(ada, "plan_tier") == "enterprise"


def test_saving_a_value_the_customer_does_not_have_is_404(ada, marketer_client):
    response = marketer_client.post(url(ada, "values/nope/"), {"v-nope-value": "x"})

    assert response.status_code == 404


def test_value_save_refuses_get(ada, marketer_client):
    assert marketer_client.get(url(ada, "values/plan_tier/")).status_code == 405


def test_unassign_is_offered_per_value(ada, marketer_client):
    html = marketer_client.get(url(ada)).content.decode()

    assert f'href="/customers/{ada.pk}/values/plan_tier/unassign/"' in html


# --- Add a property


def test_marketer_sets_an_existing_property_on_a_customer(account, ada, marketer_client):
    other = make_customer(account, "bob@example.com")

    form = marketer_client.get(url(other)).content.decode()
    assert '<option value="plan_tier">Plan tier (plan_tier, Text)</option>' in form

    response = marketer_client.post(
        url(other, "properties/"), {"add-definition": "plan_tier", "add-value": "pro"}, follow=True
    )

    assert "Set plan_tier to pro on this customer." in response.content.decode()
    assert value_of(other, "plan_tier") == "pro"


def test_properties_the_customer_has_are_not_offered_again(ada, marketer_client):
    html = marketer_client.get(url(ada)).content.decode()

    assert '<option value="plan_tier">' not in html


def test_marketer_creates_a_new_property_of_a_chosen_type(ada, marketer_client):
    response = marketer_client.post(
        url(ada, "properties/"),
        {"add-key": "seats", "add-type": "integer", "add-value": "25"},
    )

    assert response.status_code == 302
    definition = PropertyDefinition.objects.get(key="seats")
    assert (definition.type, definition.label, definition.source) == (
        "integer",
        "Seats",
        DefinitionSource.UI,
    )
    assert value_of(ada, "seats") == 25.0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"add-value": "x"}, "definition", "Choose a property, or type the key of a new one."),
        (
            {"add-definition": "plan_tier", "add-key": "x", "add-value": "x"},
            "key",
            "not both",
        ),
        (
            {"add-key": "Seat Count", "add-value": "3"},
            "key",
            "(for example &quot;seat_count&quot;)",
        ),
        ({"add-key": "payments", "add-type": "text", "add-value": "3"}, "type", "is of type"),
        ({"add-key": "seats", "add-type": "integer", "add-value": "many"}, "value", "whole number"),
        ({"add-key": "seats", "add-type": "text"}, "value", "Enter the value to set."),
    ],
)
def test_add_property_errors_are_shown_next_to_the_field(
    account, ada, marketer_client, data, field, message
):
    bob = make_customer(account, "bob@example.com")
    data = {"add-type": "text", **data}
    response = marketer_client.post(url(bob, "properties/"), data)

    assert response.status_code == 400
    html = response.content.decode()
    error_at = html.index(f'id="id_add-{field}_error"')
    assert message in html[error_at : error_at + 400]
    assert not PropertyDefinition.objects.filter(key__in=["seats", "seat_count", "x"]).exists()
    assert not PropertyValue.objects.filter(customer=bob).exists()


def test_adding_to_an_archived_property_is_refused(account, ada, marketer_client):
    definition_archive(definition=PropertyDefinition.objects.get(key="plan_tier"), actor=TESTS)

    response = marketer_client.post(
        url(ada, "properties/"), {"add-key": "plan_tier", "add-type": "text", "add-value": "pro"}
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
    assert "2026-01-03 09:30:00" in html
    assert "<dt>amount</dt><dd>12</dd>" in html
    assert '<span class="badge">web</span>' in html


def test_profile_without_events_says_so(ada, marketer_client):
    assert "No events yet." in marketer_client.get(url(ada)).content.decode()


def test_events_of_other_customers_are_not_shown(account, ada, marketer_client):
    bob = make_customer(account, "bob@example.com")
    event_record(account=account, customer=bob, name="bobs_event")

    assert "bobs_event" not in marketer_client.get(url(ada)).content.decode()


def profile_queries(client, customer) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(customer))
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

    many = profile_queries(marketer_client, ada)

    # Session, user, membership, customer, its tags, devices, values, definitions, events.
    assert few == many == 9


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
